/**
 * Control messages between the control plane (host) and a component worker, on the worker's parentPort. API
 * traffic has its own port (port-protocol.ts).
 *
 * host → worker: `call` a component call; `probe` its health (answered with a `result` carrying the state);
 *                `cpu` asks the CPU time of the worker's thread (a `result`); `stop` the component (the worker
 *                answers `stopped`).
 * worker → host: `ready` once started (or `failed`), `log` lines, call and probe `result`s.
 */
import type { MessagePort } from 'node:worker_threads';

export const COMPONENT_WORKER_ROLE = 'pilothouse-component';

export interface ComponentWorkerData {
  role: typeof COMPONENT_WORKER_ROLE;
  /** A name in componentKinds. */
  kind: string;
  options: unknown;
  /** The client end of the API transport (transferred). */
  api: MessagePort;
}

export type ToWorker =
  | { t: 'call'; id: number; method: string; args: unknown[] }
  | { t: 'probe'; id: number }
  | { t: 'cpu'; id: number }
  | { t: 'stop' };

export type ToHost =
  | { t: 'ready' }
  | { t: 'failed'; message: string }
  | { t: 'log'; message: string }
  | { t: 'result'; id: number; value?: unknown; error?: string }
  | { t: 'stopped' };
