/**
 * Informer<T>: client-go's reflector + indexer + shared processor in one object.
 *
 * Contract:
 * - start() lists (paged) and then watches from the list's resourceVersion; it resolves once the initial list is
 *   in the cache and every handler has been told about it (hasSynced() is then true).
 * - A watch that ends normally (server timeout) is re-opened from the last seen resourceVersion (bookmarks
 *   included); a watch ending with 410 Expired/Gone triggers a relist, diffed against the cache (adds, updates
 *   for changed resourceVersions, deletes for vanished objects). Other failures back off (200 ms → 30 s) and
 *   re-watch; repeated failures fall back to a relist.
 * - Handler calls are serialized in event order through one FIFO and are never re-entrant: a handler that adds
 *   another handler, or anything else that enqueues notifications, only appends; the running drain delivers them.
 *   A handler added late receives synthetic onAdd calls for the cache contents at the time it was added, then
 *   only events after that. Handler exceptions are logged and do not stop delivery.
 * - The cache holds the objects as received; treat them as read-only (copy before mutating).
 */
import type { KObject } from '../api/meta/object.js';
import { isGone, objectKey, type ApiStatusError, type KubeClient, type ResourceRef, type WatchHandle } from './kube-client.js';

export interface InformerOptions {
  /** '' or absent = all namespaces / cluster-scoped. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of the initial list (default 500, as client-go). */
  pageSize?: number;
  /** Logger for handler exceptions and watch failures. */
  log?: (message: string) => void;
  /**
   * Applied to every object before it is cached and handed to handlers (client-go's SetTransform), e.g.
   * `stripManagedFields` so a cache of 50k pods does not also hold their managedFields.
   */
  transform?: (obj: KObject) => KObject;
}

/** Informer transform dropping metadata.managedFields (what kube-scheduler and kubelets do with their caches). */
export function stripManagedFields(obj: KObject): KObject {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export interface EventHandler<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** For a delete noticed on relist, `obj` is the last state the cache knew. */
  onDelete?(obj: T): void;
}

export type IndexFunc<T> = (obj: T) => string[];

/** The informer's local cache. Keys are `ns/name`, or `name` for cluster-scoped objects. */
export class InformerStore<T extends KObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor() {
    this.addIndexer('namespace', (o) => [o.metadata.namespace ?? '']);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(index: string, value: string): T[] {
    const idx = this.indices.get(index);
    if (!idx) throw new Error(`informer: no indexer named ${JSON.stringify(index)}`);
    const keys = idx.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }

  /** Adds (or replaces) an index and indexes the current contents. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.indexers.set(name, fn);
    const idx = new Map<string, Set<string>>();
    this.indices.set(name, idx);
    for (const [k, obj] of this.items) this.indexInto(idx, fn, k, obj);
  }

  /** @internal */
  set(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.indexInto(this.indices.get(name)!, fn, key, obj);
    return old;
  }

  /** @internal */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private indexInto(idx: Map<string, Set<string>>, fn: IndexFunc<T>, key: string, obj: T): void {
    for (const v of fn(obj)) {
      let set = idx.get(v);
      if (!set) idx.set(v, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const idx = this.indices.get(name)!;
      for (const v of fn(obj)) {
        const set = idx.get(v);
        if (!set) continue;
        set.delete(key);
        if (set.size === 0) idx.delete(v);
      }
    }
  }
}

interface Listener<T> {
  handler: EventHandler<T>;
  active: boolean;
}

type Notification<T> =
  | { l: Listener<T>; kind: 'add'; obj: T }
  | { l: Listener<T>; kind: 'update'; old: T; obj: T }
  | { l: Listener<T>; kind: 'delete'; obj: T };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Informer<T extends KObject> {
  readonly store = new InformerStore<T>();
  private readonly listeners: Listener<T>[] = [];
  private queue: Notification<T>[] = [];
  private qHead = 0;
  private draining = false;
  private synced = false;
  private stopped = false;
  private started?: Promise<void>;
  private watch?: WatchHandle;
  private lastRv = '';
  private wake?: () => void;
  private eventsSeen = 0;
  private readonly log: (m: string) => void;
  /** Number of full lists performed (1 + relists); for tests and diagnostics. */
  listCount = 0;

  constructor(private readonly client: KubeClient, readonly resource: ResourceRef, private readonly opts: InformerOptions = {}) {
    this.log = opts.log ?? ((m) => console.error(m));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion the cache reflects (from the last list, event or bookmark). */
  lastSyncResourceVersion(): string {
    return this.lastRv;
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  /** Subscribes; returns a disposer. A late subscriber first gets onAdd for every cached object. */
  addHandler(handler: EventHandler<T>): () => void {
    const l: Listener<T> = { handler, active: true };
    this.listeners.push(l);
    if (this.synced || this.store.size > 0) {
      for (const obj of this.store.list()) this.queue.push({ l, kind: 'add', obj });
      this.drain();
    }
    return () => {
      l.active = false;
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Starts list+watch (idempotent); resolves once synced. Rejects if the initial list fails before stop(). */
  start(): Promise<void> {
    if (!this.started) {
      this.started = new Promise<void>((resolve, reject) => {
        void this.run(resolve, reject);
      });
    }
    return this.started;
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    this.wake?.();
  }

  private async run(onSynced: () => void, onFailed: (e: unknown) => void): Promise<void> {
    let needList = true;
    let failures = 0;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.relist();
        } catch (e) {
          if (this.stopped) break;
          failures++;
          this.log(`informer ${this.resource.plural}: list failed: ${(e as Error).message}`);
          if (!this.synced && failures >= 5) {
            onFailed(e);
            return;
          }
          await this.backoff(failures);
          continue;
        }
        needList = false;
        failures = 0;
        if (!this.synced) {
          this.synced = true;
          onSynced();
        }
      }
      const opened = Date.now();
      const before = this.eventsSeen;
      const err = await this.watchOnce();
      if (this.stopped) break;
      const healthy = this.eventsSeen > before || Date.now() - opened > 1000;
      if (healthy) failures = 0;
      if (!err) {
        // Normal end: re-watch from lastRv. A stream that ended at once with nothing in it is not allowed to spin.
        if (!healthy) await this.backoff(1, 100);
        continue;
      }
      if (isGone(err)) {
        needList = true;
        continue;
      }
      failures++;
      this.log(`informer ${this.resource.plural}: watch failed: ${err.message}`);
      await this.backoff(failures);
      if (failures >= 3) needList = true;
    }
    if (!this.synced) onFailed(new Error('informer stopped before it synced'));
  }

  private backoff(failures: number, baseMs = 200): Promise<void> {
    const ms = Math.min(30_000, baseMs * 2 ** Math.min(failures - 1, 8));
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    }).finally(() => { this.wake = undefined; });
  }

  private async relist(): Promise<void> {
    const ns = this.opts.namespace ?? '';
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    for (;;) {
      let page;
      try {
        page = await this.client.list<T>(this.resource, ns, {
          labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
          limit: this.opts.pageSize ?? 500, continue: cont,
        });
      } catch (e) {
        // An expired continue token restarts the whole list.
        if (cont && isGone(e)) {
          items.length = 0;
          cont = undefined;
          continue;
        }
        throw e;
      }
      const transform = this.opts.transform;
      for (const it of page.items) items.push(transform ? (transform(it) as T) : it);
      rv = page.resourceVersion;
      if (!page.continue || this.stopped) break;
      cont = page.continue;
    }
    if (this.stopped) return;
    this.listCount++;
    this.replace(items, rv);
  }

  /** Makes the cache equal to `items`, notifying the differences. */
  private replace(items: T[], rv: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      this.store.set(key, obj);
      this.notify(old ? { kind: 'update', old, obj } : { kind: 'add', obj });
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const old = this.store.delete(key)!;
      this.notify({ kind: 'delete', obj: old });
    }
    this.lastRv = rv;
    this.drain();
  }

  private watchOnce(): Promise<ApiStatusError | undefined> {
    const ns = this.opts.namespace ?? '';
    this.watch = this.client.watch<T>(this.resource, ns, {
      resourceVersion: this.lastRv, labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector, allowBookmarks: true,
    }, (e) => {
      if (this.stopped) return;
      const transform = this.opts.transform;
      const obj = transform && e.type !== 'BOOKMARK' && e.type !== 'ERROR' ? (transform(e.object) as T) : e.object;
      const rv = obj?.metadata?.resourceVersion;
      this.eventsSeen++;
      if (e.type === 'BOOKMARK') {
        if (rv) this.lastRv = rv;
        return;
      }
      const key = objectKey(obj);
      if (e.type === 'DELETED') {
        this.store.delete(key);
        this.notify({ kind: 'delete', obj });
      } else {
        const old = this.store.set(key, obj);
        this.notify(old ? { kind: 'update', old, obj } : { kind: 'add', obj });
      }
      if (rv) this.lastRv = rv;
      this.drain();
    });
    return this.watch.done;
  }

  private notify(n: { kind: 'add'; obj: T } | { kind: 'update'; old: T; obj: T } | { kind: 'delete'; obj: T }): void {
    for (const l of this.listeners) this.queue.push({ ...n, l } as Notification<T>);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.qHead < this.queue.length) {
        const n = this.queue[this.qHead++]!;
        if (!n.l.active) continue;
        const h = n.l.handler;
        try {
          if (n.kind === 'add') h.onAdd?.(n.obj);
          else if (n.kind === 'update') h.onUpdate?.(n.old, n.obj);
          else h.onDelete?.(n.obj);
        } catch (e) {
          this.log(`informer ${this.resource.plural}: handler threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
      }
      this.queue = [];
      this.qHead = 0;
    } finally {
      this.draining = false;
    }
  }
}

export { SharedInformerFactory } from './shared-informer-factory.js';
