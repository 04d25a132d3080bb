/**
 * The in-process client: requests go straight into `ApiServer.handle(req, res, user)` through small in-memory
 * stand-ins for IncomingMessage and ServerResponse (EventEmitter based — no socket, no TLS, no HTTP parsing),
 * so authorization, admission, validation, patching and subresources run exactly as for HTTP callers.
 *
 * The stand-ins implement only what the API server uses: req.{method,url,headers}, 'data'/'end'/'close' events
 * and resume(); res.{writeHead,setHeader,getHeader,flushHeaders,write,end,destroy,headersSent,writableEnded} and
 * 'close'. They are deliberately lighter than node:stream objects: this path carries thousands of writes per
 * second for the scheduler benchmark.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiServer } from '../apiserver/api-server.js';
import type { UserInfo } from '../apiserver/authn/user-info.js';
import type { KubeClient } from './kube-client.js';
import { createKubeClient, type ClientOptions, type ResponseBody, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

/** Request stand-in: emits its body ('data' then 'end') on the microtask after the first reader subscribes. */
class LocalRequest extends EventEmitter {
  readonly httpVersion = '1.1';
  readonly socket = { remoteAddress: '127.0.0.1', encrypted: true };
  private flowing = false;
  aborted = false;

  constructor(readonly method: string, readonly url: string, readonly headers: Record<string, string>, private readonly body: Buffer | undefined) {
    super();
  }

  override on(event: string | symbol, fn: (...args: any[]) => void): this {
    super.on(event, fn);
    if (event === 'data' || event === 'end') this.flow();
    return this;
  }

  resume(): this {
    this.flow();
    return this;
  }

  private flow(): void {
    if (this.flowing) return;
    this.flowing = true;
    queueMicrotask(() => {
      if (this.body && this.body.length) this.emit('data', this.body);
      this.emit('end');
    });
  }
}

/**
 * Response stand-in and client-side body in one: the server writes, the client reads. Chunks are handed to the
 * reader from a microtask, never synchronously inside the server's write (which may run inside a store drain).
 */
class LocalResponse extends EventEmitter implements ResponseBody {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  private headerMap: Record<string, string | string[]> = {};
  private chunks: string[] = [];
  private reader?: (chunk: string) => void;
  private finished?: (err?: Error) => void;
  private flushScheduled = false;
  private failure?: Error;
  onHead?: () => void;

  setHeader(name: string, value: string | number | string[]): this {
    this.headerMap[name.toLowerCase()] = typeof value === 'number' ? String(value) : value;
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headerMap[name.toLowerCase()];
  }

  removeHeader(name: string): void {
    delete this.headerMap[name.toLowerCase()];
  }

  get headers(): Record<string, string | string[]> {
    return this.headerMap;
  }

  writeHead(code: number, a?: unknown, b?: unknown): this {
    const headers = (typeof a === 'string' ? b : a) as Record<string, string | string[] | number> | undefined;
    this.statusCode = code;
    if (headers) for (const k in headers) this.setHeader(k, headers[k]!);
    this.sendHead();
    return this;
  }

  flushHeaders(): void {
    this.sendHead();
  }

  private sendHead(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.onHead?.();
  }

  write(chunk: string | Uint8Array, a?: unknown, b?: unknown): boolean {
    if (this.writableEnded || this.destroyed) return false;
    this.sendHead();
    this.push(chunk);
    const cb = typeof a === 'function' ? a : typeof b === 'function' ? b : undefined;
    if (cb) queueMicrotask(cb as () => void);
    return true;
  }

  end(chunk?: unknown, a?: unknown, b?: unknown): this {
    if (this.writableEnded) return this;
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) {
      if (!this.destroyed) this.push(chunk);
    }
    this.sendHead();
    this.writableEnded = true;
    this.schedule();
    const cb = typeof chunk === 'function' ? chunk : typeof a === 'function' ? a : typeof b === 'function' ? b : undefined;
    if (cb) queueMicrotask(cb as () => void);
    this.emit('finish');
    return this;
  }

  /** Server-side abort (error after the head was sent): the reader sees a broken stream. */
  destroy(err?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.failure = err ?? new Error('the server aborted the response');
    this.schedule();
    this.emit('close');
    return this;
  }

  /** Client-side abort: the server sees the connection close. */
  abortFromClient(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.chunks.length = 0;
    this.schedule();
    this.emit('close');
  }

  private push(chunk: string | Uint8Array): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    if (this.reader) this.schedule();
  }

  private schedule(): void {
    if (this.flushScheduled || !this.finished) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.reader && this.chunks.length && !this.destroyed) {
      const data = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
      this.chunks.length = 0;
      this.reader(data);
    }
    const done = this.finished;
    if (!done) return;
    if (this.destroyed) {
      this.finished = undefined;
      // A client abort is a normal end for the reader; a server destroy is a failure.
      done(this.failure);
    } else if (this.writableEnded && this.chunks.length === 0) {
      this.finished = undefined;
      done();
    }
  }

  text(): Promise<string> {
    if (this.writableEnded && !this.destroyed && !this.reader) {
      const text = this.chunks.length === 1 ? this.chunks[0]! : this.chunks.join('');
      this.chunks.length = 0;
      return Promise.resolve(text);
    }
    let all = '';
    return this.stream((c) => { all += c; }).then(() => all);
  }

  stream(onChunk: (chunk: string) => void): Promise<void> {
    if (this.reader) return Promise.reject(new Error('response body already being read'));
    this.reader = onChunk;
    return new Promise<void>((resolve, reject) => {
      this.finished = (err) => (err ? reject(err) : resolve());
      this.schedule();
    });
  }
}

export class LocalTransport implements Transport {
  constructor(private readonly server: ApiServer, private readonly user: UserInfo) {}

  request(r: TransportRequest): Promise<TransportResponse> {
    const url = r.query ? `${r.path}?${r.query}` : r.path;
    const req = new LocalRequest(r.method, url, r.headers, r.body === undefined ? undefined : Buffer.from(r.body));
    const res = new LocalResponse();
    return new Promise<TransportResponse>((resolve, reject) => {
      let answered = false;
      const answer = () => {
        if (answered) return;
        answered = true;
        resolve({
          status: res.statusCode,
          headers: res.headers,
          body: res,
          abort: () => {
            if (res.writableEnded && !r.stream) return;
            req.aborted = true;
            req.emit('aborted');
            req.emit('close');
            res.abortFromClient();
          },
        });
      };
      res.onHead = answer;
      this.server.handle(req as unknown as IncomingMessage, res as unknown as ServerResponse, this.user).then(
        () => {
          if (!answered) {
            // The server returned without responding: report it like an HTTP server would (empty 500).
            res.statusCode = 500;
            res.end();
          }
        },
        (e: unknown) => {
          if (!answered) {
            answered = true;
            reject(e);
          } else res.destroy(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}

/** A KubeClient that acts as `user` inside this process (authorization still applies to `user`). */
export function createLocalClient(server: ApiServer, user: UserInfo, opts?: ClientOptions): KubeClient {
  return createKubeClient(new LocalTransport(server, user), opts);
}
