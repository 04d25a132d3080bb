/**
 * The in-memory backend, and the committed-state core (`MemoryState`) that the durable lowdb backend reuses.
 *
 * `MemoryState` holds the key → entry map, a sorted key index for prefix ranges, the global revision and the
 * watch hub. Writes are split in two steps so a durable backend can put a log in between:
 *   1. `prepareWrite(current, mutation, revision)` checks preconditions and builds the event (pure);
 *   2. `MemoryState.apply(event)` makes it visible and feeds the watch hub.
 * The memory backend does both at once.
 */
import type { KObject } from '../api/meta/object.js';
import { StateStore } from './state-store.js';
import { SortedKeyIndex } from './sorted-key-index.js';
import {
  StoreError,
  type ListOptions,
  type ListResult,
  type Store,
  type StoredEntry,
  type StoreEvent,
} from './store.js';
import { WatchHub, type HistoryPolicy } from './watch-hub.js';

export type Mutation =
  | { op: 'create'; key: string; value: KObject }
  | { op: 'update'; key: string; value: KObject; expected?: number }
  | { op: 'delete'; key: string; expected?: number };

/**
 * Returns a copy of `value` whose metadata.resourceVersion is `revision`. Shallow on purpose: callers hand in
 * values that may share nested objects (even `metadata`) with older stored values, which must stay untouched.
 */
export function stampRevision(value: KObject, revision: number): KObject {
  return { ...value, metadata: { ...value.metadata, resourceVersion: String(revision) } };
}

/** Validates `m` against the current entry (undefined = absent) and builds its event at `revision`. */
export function prepareWrite(current: StoredEntry | undefined, m: Mutation, revision: number): StoreEvent {
  const key = m.key;
  if (m.op === 'create') {
    if (current) throw new StoreError('KeyExists', `key "${key}" already exists`, current);
    const entry: StoredEntry = { key, value: stampRevision(m.value, revision), modRevision: revision, createRevision: revision };
    return { type: 'create', entry, revision };
  }
  if (!current) throw new StoreError('KeyNotFound', `key "${key}" not found`);
  if (m.expected !== undefined && m.expected !== current.modRevision) {
    throw new StoreError(
      'Conflict',
      `key "${key}" has revision ${current.modRevision}, expected ${m.expected}`,
      current,
    );
  }
  const value = m.op === 'update' ? m.value : current.value;
  const entry: StoredEntry = {
    key,
    value: stampRevision(value, revision),
    modRevision: revision,
    createRevision: current.createRevision,
  };
  return { type: m.op, entry, prev: current, revision };
}

export interface MemoryStateOptions {
  /** Revision of the initial content (0 for a fresh store). */
  revision?: number;
  history?: Partial<HistoryPolicy>;
}

export class MemoryState {
  readonly entries = new Map<string, StoredEntry>();
  readonly index = new SortedKeyIndex();
  readonly hub: WatchHub;
  private rev: number;

  constructor(opts: MemoryStateOptions = {}) {
    this.rev = opts.revision ?? 0;
    this.hub = new WatchHub(this.rev, opts.history);
  }

  revision(): number {
    return this.rev;
  }

  /**
   * Bulk-loads entries of a snapshot taken at `revision` (before any event is applied). The watch history
   * starts empty at `revision`.
   */
  load(entries: Iterable<StoredEntry>, revision: number): void {
    for (const e of entries) this.entries.set(e.key, e);
    this.index.load([...this.entries.keys()]);
    this.rev = revision;
    this.hub.resetStart(revision);
  }

  get(key: string): StoredEntry | undefined {
    return this.entries.get(key);
  }

  list(prefix: string, opts: ListOptions = {}): ListResult {
    const { keys, remaining } = this.index.range(prefix, opts.after, opts.limit ?? 0);
    const items = keys.map((k) => this.entries.get(k)!);
    return { items, revision: this.rev, more: remaining > 0, remaining };
  }

  count(prefix: string): number {
    return this.index.countRange(prefix);
  }

  /** Makes a prepared event visible. Its revision must be exactly revision() + 1. */
  apply(ev: StoreEvent): void {
    if (ev.revision !== this.rev + 1) {
      throw new Error(`store: event revision ${ev.revision} does not follow ${this.rev}`);
    }
    const key = ev.entry.key;
    if (ev.type === 'delete') {
      this.entries.delete(key);
      this.index.remove(key);
    } else {
      if (ev.type === 'create') this.index.insert(key);
      this.entries.set(key, ev.entry);
    }
    this.rev = ev.revision;
    this.hub.record(ev);
  }
}

export interface MemoryStoreOptions {
  history?: Partial<HistoryPolicy>;
}

/** Volatile backend: every write is applied and acknowledged immediately. */
export class MemoryStore extends StateStore {
  readonly backend = 'memory';
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    super(new MemoryState({ history: opts.history }));
  }

  protected get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.state.hub.closeAll(new StoreError('Closed', 'store closed'));
  }

  protected async write(m: Mutation): Promise<StoredEntry> {
    this.checkOpen();
    const ev = prepareWrite(this.state.get(m.key), m, this.state.revision() + 1);
    this.state.apply(ev);
    return ev.entry;
  }
}

export function openMemoryStore(opts?: MemoryStoreOptions): Store {
  return new MemoryStore(opts);
}
