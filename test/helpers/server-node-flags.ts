/**
 * Benchmarks measure the control plane as `serve` runs it: with SERVER_NODE_FLAGS. A benchmark started without
 * them re-runs itself in a child process that has them (unless `--gc=default` asks for V8's defaults).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../main/cli/server-node-flags.js';

const RE_RUN_MARK = '--gc=server';

/** True when this process already runs with the flags (or was asked to run with V8's defaults). */
export function hasServerFlags(argv: string[]): boolean {
  return argv.some((a) => a.startsWith('--gc=')) || SERVER_NODE_FLAGS.every((f) => process.execArgv.includes(f));
}

/** Prints which flags this process runs with. */
export function describeNodeFlags(): string {
  const flags = process.execArgv.filter((a) => a.includes('semi-space'));
  return `node flags: ${flags.length ? flags.join(' ') : '(V8 defaults)'}`;
}

/** Runs `npm run bench -- <name> ...argv` again in a child with the server's flags; resolves when it exits 0. */
export function rerunWithServerFlags(name: string, argv: string[]): Promise<void> {
  const runner = fileURLToPath(new URL('../bench/run.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, runner, name, ...argv, RE_RUN_MARK], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} benchmark child exited with ${code}`))));
  });
}
