/** Argument parsing for `pilothouse serve`. */
import { resolve } from 'node:path';

export class UsageError extends Error {}

export const USAGE = `Usage:
  pilothouse serve --data-dir <dir> [--api-port <port>] [--host <address>]

Options:
  --data-dir <dir>     where the cluster's store, certificates and kubeconfig live (created if missing)
  --api-port <port>    HTTPS port of the API server (default 6443; 0 = any free port)
  --host <address>     address to listen on (default 127.0.0.1)
  --simulated-nodes <n>
                       ensure simulated (kwok-style) nodes sim-node-1..n exist; more can be added at runtime
                       with \`kubectl apply\` of a SimulatedNode (pilothouse.dev/v1alpha1)
`;

export interface ServeArgs {
  dataDir: string;
  apiPort: number;
  host: string;
  /** Only set when --simulated-nodes is given. */
  simulatedNodes?: number;
}

export function parseServeArgs(argv: string[]): ServeArgs {
  let dataDir: string | undefined;
  let apiPort = 6443;
  let host = '127.0.0.1';
  let simulatedNodes: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--data-dir':
        dataDir = resolve(value());
        break;
      case '--api-port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--api-port must be a port number (0-65535), got "${v}"`);
        apiPort = n;
        break;
      }
      case '--host':
        host = value();
        break;
      case '--simulated-nodes': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 100_000) throw new UsageError(`--simulated-nodes must be a number of nodes (0-100000), got "${v}"`);
        simulatedNodes = Number(v);
        break;
      }
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  if (!dataDir) throw new UsageError('--data-dir is required');
  return { dataDir, apiPort, host, ...(simulatedNodes !== undefined ? { simulatedNodes } : {}) };
}
