/**
 * A watch on one resource, as kube-apiserver serves it: optional synthetic ADDED events for the current state
 * (resourceVersion unset or "0"), then every change after the start revision, filtered by selectors with
 * upstream's transitions (an object that stops matching is DELETED, one that starts matching is ADDED), and
 * periodic BOOKMARKs when asked for.
 */
import type { KObject } from '../../api/meta/object.js';
import { StoreError, type StoreEvent, type StoredEntry, type Unsubscribe } from '../../store/store.js';
import { ApiError, badRequest } from '../http/api-error.js';
import { listObjects } from '../registry/list-objects.js';
import type { ObjectFilter } from '../registry/object-filter.js';
import { listPrefix } from '../registry/object-keys.js';
import type { ResourceStorage } from '../registry/resource-storage.js';
import { everyAligned } from '../../timing/aligned-ticker.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface ResourceWatchEvent {
  type: WatchEventType;
  object: KObject;
  /** The stored entry behind `object`, when it is served as stored (lets the writer reuse cached JSON). */
  entry?: StoredEntry;
}

export interface WatchRequest {
  namespace: string;
  filter: ObjectFilter;
  /** Raw `resourceVersion` query value. */
  resourceVersion: string | null;
  /** Send a BOOKMARK every this many ms (0 = never). */
  bookmarkIntervalMs: number;
}

export interface ResourceWatch {
  stop(): void;
}

export async function openResourceWatch(
  storage: ResourceStorage,
  req: WatchRequest,
  emit: (e: ResourceWatchEvent) => void,
): Promise<ResourceWatch> {
  const store = storage.store;
  const codec = storage.codec;
  const d = storage.descriptor;
  const prefix = listPrefix(d, req.namespace);
  const served = (e: StoredEntry) => codec.fromStored(e.value);
  const withEntry = (e: StoredEntry) => (codec.identity ? e : undefined);

  let start: number;
  const rv = req.resourceVersion;
  if (!rv || rv === '0') {
    // Initial state as synthetic ADDED events, then changes after the revision it was read at.
    let continueToken: string | undefined;
    const initial: StoredEntry[] = [];
    let listRevision = 0;
    do {
      const page = await listObjects(storage, { namespace: req.namespace, filter: req.filter, limit: 5000, continueToken });
      initial.push(...page.entries);
      listRevision ||= Number(page.resourceVersion);
      continueToken = page.continue;
    } while (continueToken);
    start = listRevision;
    for (const e of initial) emit({ type: 'ADDED', object: served(e), entry: withEntry(e) });
  } else {
    if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: "${rv}"`);
    start = Number(rv);
  }

  let lastRevision = start;
  let unsubscribe: Unsubscribe;
  try {
    unsubscribe = store.watch(prefix, start, {
      onEvent(ev: StoreEvent) {
        lastRevision = ev.revision;
        const out = translate(ev, req.filter, served, withEntry);
        if (out) emit(out);
      },
    });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'Compacted')
      throw new ApiError(410, 'Expired', `too old resource version: ${start} (${err.compactRevision ?? store.compactRevision()})`);
    throw err;
  }

  // Bookmarks of every watch go out on the same instants (aligned ticker): one wake-up a minute for all of them.
  const bookmarks = req.bookmarkIntervalMs > 0
    ? everyAligned(req.bookmarkIntervalMs, () => emit({
      type: 'BOOKMARK',
      object: { kind: d.kind, apiVersion: storage.apiVersion, metadata: { resourceVersion: String(lastRevision) } },
    }))
    : undefined;
  return {
    stop() {
      bookmarks?.stop();
      unsubscribe();
    },
  };
}

function translate(
  ev: StoreEvent,
  filter: ObjectFilter,
  served: (e: StoredEntry) => KObject,
  withEntry: (e: StoredEntry) => StoredEntry | undefined,
): ResourceWatchEvent | undefined {
  const obj = served(ev.entry);
  if (ev.type === 'create') return filter.matches(obj) ? { type: 'ADDED', object: obj, entry: withEntry(ev.entry) } : undefined;
  if (ev.type === 'delete') return filter.matches(obj) ? { type: 'DELETED', object: obj, entry: withEntry(ev.entry) } : undefined;
  const now = filter.matches(obj);
  if (filter.everything) return { type: 'MODIFIED', object: obj, entry: withEntry(ev.entry) };
  const before = ev.prev ? filter.matches(served(ev.prev)) : false;
  if (now && before) return { type: 'MODIFIED', object: obj, entry: withEntry(ev.entry) };
  if (now) return { type: 'ADDED', object: obj, entry: withEntry(ev.entry) };
  if (before) {
    // As upstream's cacheWatcher: the previous content (the version that matched) at this event's resourceVersion.
    const old = served(ev.prev!);
    return { type: 'DELETED', object: { ...old, metadata: { ...old.metadata, resourceVersion: obj.metadata.resourceVersion } } };
  }
  return undefined;
}
