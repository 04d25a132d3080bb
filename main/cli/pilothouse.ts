#!/usr/bin/env node
/**
 * The `pilothouse` command.
 *   pilothouse serve --data-dir <dir> [--api-port <port>] [--host <address>]
 * Runs the control plane headless until SIGINT/SIGTERM, then shuts down cleanly (exit code 0).
 */
import { parseServeArgs, USAGE, UsageError } from './serve-args.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write('pilothouse 0.1.0 (Kubernetes API v1.32)\n');
    return 0;
  }
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`);
  const args = parseServeArgs(rest);
  // Signal handlers go in before anything starts: a SIGINT/SIGTERM that arrives during start-up (or just as the
  // ready line is read) must not hit the default action and kill the process without a clean shutdown.
  let pendingSignal: string | undefined;
  let onSignal: ((signal: string) => void) | undefined;
  const signalled = (signal: string) => (onSignal ? onSignal(signal) : (pendingSignal ??= signal));
  process.on('SIGINT', () => signalled('SIGINT'));
  process.on('SIGTERM', () => signalled('SIGTERM'));
  const { startControlPlane } = await import('../control-plane/control-plane.js');
  const started = Date.now();
  const cp = await startControlPlane({ dataDir: args.dataDir, apiPort: args.apiPort, host: args.host, simulatedNodes: args.simulatedNodes });
  process.stdout.write(
    `Pilothouse control plane ready in ${Date.now() - started} ms\n` +
      `  API server:  ${cp.url}\n` +
      `  kubeconfig:  ${cp.kubeconfigPath}\n` +
      `  try:         kubectl --kubeconfig ${cp.kubeconfigPath} get namespaces\n`,
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    onSignal = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${signal}: shutting down\n`);
      cp.stop().then(resolve, (err) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        resolve();
      });
    };
    if (pendingSignal) onSignal(pendingSignal);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
