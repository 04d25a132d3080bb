/**
 * The control plane's side of a component worker's API transport: every request arriving on the port is
 * passed to `transport` (the in-process LocalTransport acting as the component's user) and its response sent
 * back. Closing aborts every open exchange, so the API server releases the watches of a worker that exited.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Transport, TransportResponse } from '../client/transport.js';
import { onBatches, PortOutbox } from './port-outbox.js';
import type { ToClient, ToServer } from './port-protocol.js';

export interface PortTransportServer {
  close(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function servePortTransport(port: MessagePort, transport: Transport): PortTransportServer {
  const open = new Map<number, TransportResponse>();
  /** Exchanges the client aborted before their head arrived. */
  const abortedEarly = new Set<number>();
  let closed = false;
  const outbox = new PortOutbox<ToClient>(port);
  const send = (m: ToClient) => {
    if (!closed) outbox.send(m);
  };

  const serve = async (id: number, req: Extract<ToServer, { t: 'req' }>['req']) => {
    let res: TransportResponse;
    try {
      res = await transport.request(req);
    } catch (e) {
      abortedEarly.delete(id);
      send({ t: 'fail', id, message: message(e) });
      return;
    }
    if (closed || abortedEarly.delete(id)) {
      res.abort();
      return;
    }
    if (!req.stream) {
      try {
        send({ t: 'whole', id, status: res.status, headers: res.headers, body: await res.body.text() });
      } catch (e) {
        send({ t: 'fail', id, message: message(e) });
      }
      return;
    }
    open.set(id, res);
    send({ t: 'head', id, status: res.status, headers: res.headers });
    try {
      await res.body.stream((data) => send({ t: 'chunk', id, data }));
      send({ t: 'end', id });
    } catch (e) {
      send({ t: 'fail', id, message: message(e) });
    } finally {
      open.delete(id);
    }
  };

  onBatches<ToServer>(port, (m) => {
    if (m.t === 'req') void serve(m.id, m.req);
    else if (m.t === 'abort') {
      const res = open.get(m.id);
      if (res) res.abort();
      else abortedEarly.add(m.id);
    }
  });
  port.on('close', () => close());

  function close(): void {
    if (closed) return;
    closed = true;
    for (const res of open.values()) res.abort();
    open.clear();
    outbox.flush();
    port.close();
  }
  return { close };
}
