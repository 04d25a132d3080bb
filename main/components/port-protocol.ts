/**
 * Messages of the API transport between a component worker (the client side) and the control plane's thread
 * (the server side), carried over a MessagePort. Only bytes of HTTP-like exchanges cross, exactly what a
 * Transport moves, so a component in a worker talks to the API server the way kubectl does: through
 * authentication of its user, authorization, admission and validation.
 *
 * Both directions send arrays of these, batched per event-loop turn (port-outbox.ts).
 *
 * client → server: `req` starts exchange `id`; `abort` ends it early (the server sees a disconnect).
 * server → client: `whole` answers a non-streaming request in one message; for streams, `head`, then any number
 * of `chunk`s, then `end` or `fail`. `fail` before the head rejects the request (no HTTP response at all).
 */
import type { TransportRequest } from '../client/transport.js';

export type ToServer =
  | { t: 'req'; id: number; req: TransportRequest }
  | { t: 'abort'; id: number };

export type Headers = Record<string, string | string[] | undefined>;

export type ToClient =
  | { t: 'whole'; id: number; status: number; headers: Headers; body: string }
  | { t: 'head'; id: number; status: number; headers: Headers }
  | { t: 'chunk'; id: number; data: string }
  | { t: 'end'; id: number }
  | { t: 'fail'; id: number; message: string };
