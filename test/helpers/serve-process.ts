/**
 * Starts `pilothouse serve` as a child process on a free port with a fresh data dir, the way a user runs it,
 * and gives tests its URL and kubeconfig. Every server is killed when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled CLI users run (dist/pilothouse.mjs), relative to this compiled file (dist/test/helpers). */
export const CLI = resolve(here, '../../pilothouse.mjs');

export interface ServeProcess {
  url: string;
  kubeconfig: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Removes the data dir (after stop). */
  cleanup(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export async function makeDataDir(prefix = 'pilothouse-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function startServe(opts: { dataDir?: string; args?: string[]; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const dataDir = opts.dataDir ?? (await makeDataDir());
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--api-port', '0', ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => {
    live.delete(child);
    r(code);
  }));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not become ready:\n${out}`)), opts.timeoutMs ?? 30_000);
    const check = () => {
      const m = /API server:\s+(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    kubeconfig: join(dataDir, 'kubeconfig'),
    dataDir,
    child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
    async cleanup() {
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 200 ms until it holds; on timeout fails with the server's last output for context. */
export async function eventually(serve: ServeProcess, what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out: ${what}\n${serve.output().slice(-2000)}`);
}
