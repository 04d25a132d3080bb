/**
 * A Transport over a MessagePort, used inside component workers: requests go to the control plane's thread
 * (port-transport-server.ts) and responses come back as messages (port-protocol.ts). Response bodies behave as
 * the other transports' do: text() for whole bodies, stream() delivering chunks in order.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ResponseBody, Transport, TransportRequest, TransportResponse } from '../client/transport.js';
import { onBatches, PortOutbox } from './port-outbox.js';
import type { Headers, ToClient, ToServer } from './port-protocol.js';

/** One request/response exchange, which is also the response's body once the head has arrived. */
class Exchange implements ResponseBody {
  private chunks: string[] = [];
  private reader?: (chunk: string) => void;
  private ended = false;
  private failure?: Error;
  private settle?: (err?: Error) => void;
  headed = false;

  constructor(
    private readonly id: number,
    private readonly owner: PortTransport,
    readonly resolve: (r: TransportResponse) => void,
    readonly reject: (e: Error) => void,
  ) {}

  respond(status: number, headers: Headers): void {
    this.headed = true;
    this.resolve({ status, headers, body: this, abort: () => this.owner.abort(this.id) });
  }

  push(data: string): void {
    if (this.reader) this.reader(data);
    else this.chunks.push(data);
  }

  finish(err?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = err;
    const settle = this.settle;
    this.settle = undefined;
    settle?.(err);
  }

  text(): Promise<string> {
    let all = '';
    return this.stream((c) => { all += c; }).then(() => all);
  }

  stream(onChunk: (chunk: string) => void): Promise<void> {
    if (this.reader) return Promise.reject(new Error('response body already being read'));
    this.reader = onChunk;
    for (const c of this.chunks.splice(0)) onChunk(c);
    if (this.ended) return this.failure ? Promise.reject(this.failure) : Promise.resolve();
    return new Promise((resolve, reject) => (this.settle = (err) => (err ? reject(err) : resolve())));
  }
}

export class PortTransport implements Transport {
  private nextId = 1;
  private readonly exchanges = new Map<number, Exchange>();
  private closed = false;
  private readonly outbox: PortOutbox<ToServer>;

  constructor(private readonly port: MessagePort) {
    this.outbox = new PortOutbox<ToServer>(port);
    onBatches<ToClient>(port, (m) => this.onMessage(m));
    port.on('close', () => this.failAll(new Error('the control plane closed the API connection')));
  }

  request(req: TransportRequest): Promise<TransportResponse> {
    if (this.closed) return Promise.reject(new Error('the API connection is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.exchanges.set(id, new Exchange(id, this, resolve, reject));
      this.outbox.send({ t: 'req', id, req });
    });
  }

  /** Client-side abort: ends the stream for this side at once; the server is told to drop the exchange. */
  abort(id: number): void {
    const ex = this.exchanges.get(id);
    if (!ex) return;
    this.exchanges.delete(id);
    ex.finish();
    if (!this.closed) this.outbox.send({ t: 'abort', id });
  }

  close(): void {
    this.failAll(new Error('the API connection is closed'));
    this.outbox.flush();
    this.port.close();
  }

  private onMessage(m: ToClient): void {
    const ex = this.exchanges.get(m.id);
    if (!ex) return; // aborted here already
    switch (m.t) {
      case 'whole':
        this.exchanges.delete(m.id);
        ex.respond(m.status, m.headers);
        ex.push(m.body);
        ex.finish();
        break;
      case 'head':
        ex.respond(m.status, m.headers);
        break;
      case 'chunk':
        ex.push(m.data);
        break;
      case 'end':
        this.exchanges.delete(m.id);
        ex.finish();
        break;
      case 'fail':
        this.exchanges.delete(m.id);
        if (ex.headed) ex.finish(new Error(m.message));
        else ex.reject(new Error(m.message));
        break;
    }
  }

  private failAll(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const ex of this.exchanges.values()) {
      if (ex.headed) ex.finish(err);
      else ex.reject(err);
    }
    this.exchanges.clear();
  }
}
