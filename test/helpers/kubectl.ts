/**
 * Runs the real kubectl against a test server with its own discovery cache dir (kubectl caches discovery for
 * 6 hours, so servers must never share one) and a scratch HOME.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Like the call, but throws unless kubectl exits 0; returns stdout. */
  ok(args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<string>;
  readonly cacheDir: string;
}

/** `kubeconfig` may be given late (a function called per run), for servers started in a before() hook. */
export function kubectlFor(kubeconfigOf: string | (() => string)): Kubectl {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  const cacheDir = join(home, 'cache');
  const run = (args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}) =>
    new Promise<KubectlResult>((resolve, reject) => {
      const kubeconfig = typeof kubeconfigOf === 'string' ? kubeconfigOf : kubeconfigOf();
      const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
        env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig, ...opts.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
  const k = run as Kubectl;
  k.ok = async (args, opts) => {
    const r = await run(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  Object.defineProperty(k, 'cacheDir', { value: cacheDir });
  return k;
}

/** Splits `kubectl get` table output into rows of cells (header included). */
export function tableRows(out: string): string[][] {
  return out.trim().split('\n').filter(Boolean).map((l) => l.trim().split(/\s{2,}/));
}

/** Removes terminal colour codes (kubectl colours some output, e.g. cluster-info). */
export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

export /** The header of a table and its rows as objects keyed by header (cells cut at the header's column offsets). */
function table(out: string): { header: string[]; rows: Record<string, string>[] } {
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  const headerLine = lines[0] ?? '';
  const starts: { name: string; at: number }[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(headerLine); m; m = re.exec(headerLine)) starts.push({ name: m[0], at: m.index });
  const rows = lines.slice(1).map((l) => {
    const row: Record<string, string> = {};
    starts.forEach((s, i) => {
      const end = i + 1 < starts.length ? starts[i + 1]!.at : undefined;
      row[s.name] = l.slice(s.at, end).trim();
    });
    return row;
  });
  return { header: starts.map((s) => s.name), rows };
}
