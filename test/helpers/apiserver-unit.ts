/**
 * In-process fixtures for API server unit tests: storage over a memory store, an ApiServer whose every request
 * is the admin (system:masters), and lightweight fake IncomingMessage/ServerResponse objects for `handle()`.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtinResources } from '../../main/api/registry.js';
import type { ResourceDescriptor } from '../../main/api/resource.js';
import type { KObject } from '../../main/api/meta/object.js';
import { ApiServer } from '../../main/apiserver/api-server.js';
import { AdmissionChain } from '../../main/apiserver/admission/admission.js';
import { mastersAuthorizer } from '../../main/apiserver/authz/authorizer.js';
import { LOOPBACK_USER, type UserInfo } from '../../main/apiserver/authn/user-info.js';
import { ResourceStorage, type KindHooks, type WriteOptions } from '../../main/apiserver/registry/resource-storage.js';
import { patchers } from '../../main/control-plane/patchers.js';
import { openMemoryStore, type MemoryStoreOptions } from '../../main/store/memory-store.js';
import type { Store } from '../../main/store/store.js';

export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export function descriptor(group: string, version: string, plural: string): ResourceDescriptor {
  const d = builtinResources.find((x) => x.group === group && x.version === version && x.plural === plural);
  if (!d) throw new Error(`no built-in ${group}/${version}/${plural}`);
  return d;
}

export interface StorageFixture {
  storage: ResourceStorage;
  store: Store;
  /** Advances the fake clock by `ms`. */
  tick(ms: number): void;
  now(): Date;
}

let uidCounter = 0;

/** Storage for `d` over a fresh memory store, with a controllable clock and predictable UIDs. */
export function newStorage(
  d: ResourceDescriptor,
  opts: { hooks?: KindHooks; store?: Store; history?: MemoryStoreOptions['history']; start?: Date } = {},
): StorageFixture {
  const store = opts.store ?? openMemoryStore({ history: opts.history });
  let now = opts.start ?? new Date('2026-01-02T03:04:05Z');
  const storage = new ResourceStorage(d, {
    store,
    admission: new AdmissionChain([]),
    clock: () => now,
    newUid: () => `00000000-0000-0000-0000-${String(++uidCounter).padStart(12, '0')}`,
    managedFields: (a) => patchers.managedFields(a),
    hooks: opts.hooks,
  });
  return { storage, store, tick: (ms) => (now = new Date(now.getTime() + ms)), now: () => now };
}

export const writeOpts = (extra: Partial<WriteOptions> = {}): WriteOptions => ({ user: LOOPBACK_USER, ...extra });

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data } as KObject;
}

/** An ApiServer over a memory store where every request is authenticated as the admin. */
export function newApiServer(opts: { store?: Store; hooks?: Record<string, KindHooks>; builtins?: ResourceDescriptor[] } = {}): ApiServer {
  return new ApiServer({
    store: opts.store ?? openMemoryStore(),
    builtins: opts.builtins ?? builtinResources,
    patchers,
    authenticator: { authenticate: async () => ({ user: ADMIN }) },
    authorizer: mastersAuthorizer,
    admission: [],
    hooks: opts.hooks,
    tls: { key: '', cert: '', clientCA: '' },
    watch: { bookmarkIntervalMs: 50 },
  });
}

export interface FakeRequestInit {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A readable IncomingMessage stand-in carrying `body` (ended at once unless `open` is set). */
export function fakeRequest(init: FakeRequestInit, open = false): IncomingMessage & PassThrough {
  const s = new PassThrough() as unknown as IncomingMessage & PassThrough;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
  Object.assign(s, { method: init.method ?? 'GET', url: init.url, headers, socket: new EventEmitter() });
  if (init.body !== undefined) s.write(init.body);
  if (!open) s.end();
  return s;
}

/** A ServerResponse stand-in recording status, headers and body. */
export class FakeResponse extends EventEmitter {
  statusCode = 0;
  headers: Record<string, string | string[]> = {};
  chunks: string[] = [];
  headersSent = false;
  writableEnded = false;
  destroyed = false;

  writeHead(code: number, headers: Record<string, string | string[]> = {}): this {
    this.statusCode = code;
    for (const [k, v] of Object.entries(headers)) this.headers[k.toLowerCase()] = v;
    this.headersSent = true;
    return this;
  }

  setHeader(k: string, v: string | string[]): void {
    this.headers[k.toLowerCase()] = v;
  }

  flushHeaders(): void {
    this.headersSent = true;
  }

  write(chunk: string | Buffer): boolean {
    this.chunks.push(chunk.toString());
    this.emit('data');
    return true;
  }

  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.chunks.push(chunk.toString());
    this.writableEnded = true;
    this.emit('finish');
    return this;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }

  get body(): string {
    return this.chunks.join('');
  }

  json(): any {
    return JSON.parse(this.body);
  }
}

export interface Exchange {
  res: FakeResponse;
  status: number;
  body: any;
  headers: Record<string, string | string[]>;
}

/** Runs one complete (non-watch) request through `server.handle`. */
export async function call(server: ApiServer, init: FakeRequestInit): Promise<Exchange> {
  const res = new FakeResponse();
  await server.handle(fakeRequest(init), res as unknown as ServerResponse);
  let body: any = res.body;
  try {
    body = JSON.parse(res.body);
  } catch {
    /* text */
  }
  return { res, status: res.statusCode, body, headers: res.headers };
}

/** Accept headers exactly as kubectl 1.32 sends them. */
export const KUBECTL_ACCEPT = {
  table: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
  discovery: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
  protobufFirst: 'application/vnd.kubernetes.protobuf,application/json',
};
