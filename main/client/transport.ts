/**
 * The one KubeClient implementation. It owns URL building, JSON encoding, Status → ApiStatusError mapping and
 * newline-delimited JSON watch parsing; a Transport only moves bytes (in-process: local-client.ts, HTTPS:
 * https-client.ts), so both clients behave identically above the wire.
 * Objects delivered to watch handlers may be shared with other watchers in this process: never mutate them.
 */
import type { KObject } from '../api/meta/object.js';
import {
  ApiStatusError,
  type DeleteOpts, type KubeClient, type ListOptions, type ObjectList, type PatchType, type ResourceRef,
  type WatchEvent, type WatchHandle, type WatchOptions, type WriteOpts,
} from './kube-client.js';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** URL path, already escaped, without query. */
  path: string;
  /** Encoded query string without '?', or ''. */
  query: string;
  headers: Record<string, string>;
  body?: string;
  /** A watch: the response body is a long-lived stream. */
  stream?: boolean;
}

export interface ResponseBody {
  /** The whole body (non-streaming responses). */
  text(): Promise<string>;
  /** Delivers body chunks as they arrive; resolves at the end of the body, rejects on a broken stream. */
  stream(onChunk: (chunk: string) => void): Promise<void>;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ResponseBody;
  /** Ends the exchange early (the server sees a client disconnect). Idempotent. */
  abort(): void;
}

export interface Transport {
  /** Resolves once the response head is available; rejects only on transport failure (no HTTP response). */
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled resources (sockets). */
  close?(): void;
}

export interface ClientOptions {
  /** Sent as User-Agent; its product token is the default field manager (as upstream). */
  userAgent?: string;
}

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Expired', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/** `/api/v1/namespaces/ns/pods/name/sub` or `/apis/group/version/...`; namespace '' on a namespaced resource = all namespaces. */
export function resourcePath(r: ResourceRef, namespace: string, name?: string, subresource?: string): string {
  let p = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name !== undefined) {
    if (!name) throw new ApiStatusError(400, 'BadRequest', `resource name may not be empty`, undefined);
    p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
  }
  return p;
}

function queryString(params: Record<string, string | number | boolean | undefined>): string {
  let q = '';
  for (const k in params) {
    const v = params[k];
    if (v === undefined || v === '') continue;
    q += `${q ? '&' : ''}${k}=${encodeURIComponent(String(v))}`;
  }
  return q;
}

function writeQuery(opts: WriteOpts | undefined, patchType?: PatchType): string {
  if (!opts) return '';
  return queryString({
    fieldManager: opts.fieldManager,
    dryRun: opts.dryRun ? 'All' : undefined,
    force: patchType === 'apply' && opts.force ? true : undefined,
  });
}

/** Maps a failed response to ApiStatusError, using the server's Status when it sent one. */
export function statusError(code: number, text: string): ApiStatusError {
  let status: unknown;
  try {
    status = text ? JSON.parse(text) : undefined;
  } catch {
    status = undefined;
  }
  const s = status as { kind?: string; reason?: string; message?: string } | undefined;
  if (s && s.kind === 'Status') {
    return new ApiStatusError(code, s.reason || REASONS[code] || 'Unknown', s.message ?? `status ${code}`, status);
  }
  return new ApiStatusError(code, REASONS[code] ?? 'Unknown', text.trim() || `the server responded with status ${code}`, status);
}

/** Turns a thrown transport error (connection refused, reset) into an ApiStatusError with code 0. */
function transportError(e: unknown): ApiStatusError {
  if (e instanceof ApiStatusError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new ApiStatusError(0, 'ConnectionError', msg, undefined);
}

/**
 * Watch event objects parsed recently in this process, by their exact JSON text. Every watcher of the same
 * resource receives the same object text for the same change (same resourceVersion), typically within
 * microseconds of the others — though not always with the same type: a watcher whose selector starts
 * matching sees ADDED where the others see MODIFIED — so the object is parsed once and handed to all of them.
 * Watch objects are therefore shared: consumers must treat them as read-only (informers already do: their
 * cache holds the objects as received). FIFO-bounded; a miss only costs a parse.
 */
const recentObjects = new Map<string, KObject>();
const RECENT_OBJECTS_MAX = 1024;
const TYPE_PREFIX = '{"type":"';
const OBJECT_INFIX = '","object":';

function parseWatchLine(line: string): WatchEvent<KObject> {
  // Lines as API servers write them: {"type":"<TYPE>","object":<object JSON>}
  const infix = line.startsWith(TYPE_PREFIX) ? line.indexOf(OBJECT_INFIX, TYPE_PREFIX.length) : -1;
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
  if (infix < 0 || infix > TYPE_PREFIX.length + 16 || line.charCodeAt(end - 1) !== 125 /* } */) {
    return JSON.parse(line) as WatchEvent<KObject>;
  }
  const type = line.slice(TYPE_PREFIX.length, infix) as WatchEvent<KObject>['type'];
  if (type === 'ERROR') return JSON.parse(line) as WatchEvent<KObject>;
  const text = line.slice(infix + OBJECT_INFIX.length, end - 1);
  let object = recentObjects.get(text);
  if (!object) {
    try {
      object = JSON.parse(text) as KObject;
    } catch {
      // Not a bare object value (more members follow it, say): the generic parse decides.
      return JSON.parse(line) as WatchEvent<KObject>;
    }
    if (recentObjects.size >= RECENT_OBJECTS_MAX) recentObjects.delete(recentObjects.keys().next().value!);
    recentObjects.set(text, object);
  }
  return { type, object };
}

class TransportClient implements KubeClient {
  private readonly headers: Record<string, string>;
  private readonly jsonHeaders: Record<string, string>;

  constructor(private readonly transport: Transport, opts: ClientOptions) {
    const ua = opts.userAgent ?? 'pilothouse';
    this.headers = { accept: 'application/json', 'user-agent': ua };
    this.jsonHeaders = { ...this.headers, 'content-type': 'application/json' };
  }

  private async call(method: TransportRequest['method'], path: string, query: string, body?: unknown, contentType?: string): Promise<unknown> {
    let res: TransportResponse;
    const headers = body === undefined ? this.headers : contentType ? { ...this.headers, 'content-type': contentType } : this.jsonHeaders;
    try {
      res = await this.transport.request({ method, path, query, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw transportError(e);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      throw transportError(e);
    }
    if (res.status < 200 || res.status >= 300) throw statusError(res.status, text);
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiStatusError(res.status, 'InternalError', `invalid JSON in response to ${method} ${path}`, undefined);
    }
  }

  get<T extends KObject>(r: ResourceRef, namespace: string, name: string): Promise<T> {
    return this.call('GET', resourcePath(r, namespace, name), '') as Promise<T>;
  }

  async list<T extends KObject>(r: ResourceRef, namespace: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const q = queryString({
      labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit,
      continue: opts.continue, resourceVersion: opts.resourceVersion,
    });
    const raw = await this.call('GET', resourcePath(r, namespace), q) as
      { items?: T[] | null; metadata?: { resourceVersion?: string; continue?: string } };
    const out: ObjectList<T> = { items: raw.items ?? [], resourceVersion: raw.metadata?.resourceVersion ?? '' };
    if (raw.metadata?.continue) out.continue = raw.metadata.continue;
    return out;
  }

  create<T extends KObject>(r: ResourceRef, namespace: string, obj: T, opts?: WriteOpts): Promise<T> {
    const ns = namespace || obj.metadata.namespace || '';
    const path = opts?.subresource ? resourcePath(r, ns, obj.metadata.name ?? '', opts.subresource) : resourcePath(r, ns);
    return this.call('POST', path, writeQuery(opts), obj) as Promise<T>;
  }

  update<T extends KObject>(r: ResourceRef, namespace: string, obj: T, opts?: WriteOpts): Promise<T> {
    const ns = namespace || obj.metadata.namespace || '';
    return this.call('PUT', resourcePath(r, ns, obj.metadata.name ?? '', opts?.subresource), writeQuery(opts), obj) as Promise<T>;
  }

  patch<T extends KObject>(r: ResourceRef, namespace: string, name: string, type: PatchType, patch: unknown, opts?: WriteOpts): Promise<T> {
    const q = writeQuery(opts, type);
    return this.call('PATCH', resourcePath(r, namespace, name, opts?.subresource), q, patch, PATCH_CONTENT_TYPES[type]) as Promise<T>;
  }

  async delete(r: ResourceRef, namespace: string, name: string, opts?: DeleteOpts): Promise<void> {
    let body: Record<string, unknown> | undefined;
    if (opts) {
      body = { kind: 'DeleteOptions', apiVersion: 'v1' };
      if (opts.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = opts.gracePeriodSeconds;
      if (opts.propagationPolicy) body['propagationPolicy'] = opts.propagationPolicy;
      if (opts.preconditions) body['preconditions'] = opts.preconditions;
      if (opts.dryRun) body['dryRun'] = ['All'];
    }
    await this.call('DELETE', resourcePath(r, namespace, name), '', body);
  }

  post(r: ResourceRef, namespace: string, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.call('POST', resourcePath(r, namespace, name, subresource), '', body);
  }

  getRaw(path: string): Promise<unknown> {
    if (!path.startsWith('/')) throw new ApiStatusError(400, 'BadRequest', `path must be absolute: ${path}`, undefined);
    return this.call('GET', path, '');
  }

  watch<T extends KObject>(r: ResourceRef, namespace: string, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle {
    const q = queryString({
      watch: 'true', resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector, allowWatchBookmarks: opts.allowBookmarks ? 'true' : undefined,
      timeoutSeconds: opts.timeoutSeconds,
    });
    let stopped = false;
    let response: TransportResponse | undefined;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      response?.abort();
    };
    const run = async (): Promise<ApiStatusError | undefined> => {
      try {
        response = await this.transport.request({ method: 'GET', path: resourcePath(r, namespace), query: q, headers: this.headers, stream: true });
      } catch (e) {
        return stopped ? undefined : transportError(e);
      }
      if (stopped) {
        response.abort();
        return undefined;
      }
      if (response.status !== 200) {
        const text = await response.body.text().catch(() => '');
        return stopped ? undefined : statusError(response.status, text);
      }
      let buf = '';
      let failure: ApiStatusError | undefined;
      const onChunk = (chunk: string) => {
        if (stopped || failure) return;
        const text = buf ? buf + chunk : chunk;
        let pos = 0;
        let nl: number;
        while ((nl = text.indexOf('\n', pos)) >= 0) {
          const line = text.slice(pos, nl);
          pos = nl + 1;
          if (line.length === 0 || !line.trim()) continue;
          let ev: WatchEvent<T>;
          try {
            ev = parseWatchLine(line) as WatchEvent<T>;
          } catch {
            failure = new ApiStatusError(500, 'InternalError', `invalid watch event: ${line.slice(0, 200)}`, undefined);
            response!.abort();
            return;
          }
          if (ev.type === 'ERROR') {
            const s = ev.object as unknown as { code?: number; reason?: string; message?: string };
            failure = new ApiStatusError(s.code ?? 500, s.reason ?? 'InternalError', s.message ?? 'watch error', ev.object);
            response!.abort();
            return;
          }
          try {
            onEvent(ev);
          } catch (e) {
            // A consumer bug must not kill the stream silently, nor the server code delivering it.
            console.error(`watch ${r.plural}: event handler threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
          }
          if (stopped) return;
        }
        buf = pos < text.length ? text.slice(pos) : '';
      };
      try {
        await response.body.stream(onChunk);
      } catch (e) {
        if (!stopped && !failure) failure = transportError(e);
      }
      return stopped ? undefined : failure;
    };
    return { stop, done: run() };
  }
}

export function createKubeClient(transport: Transport, opts: ClientOptions = {}): KubeClient {
  return new TransportClient(transport, opts);
}
