/**
 * The storage contract (ARCHITECTURE.md §4; kine's and etcd's shape). Every backend implements it and passes
 * the same contract suite (test/main/store/store-contract.ts).
 *
 * - Keys are strings like `/apps/deployments/default/web`; prefixes select ranges (`/apps/deployments/`).
 * - Every successful write gets the next global revision; the stored value's `metadata.resourceVersion` is
 *   set to that revision (as a string) by the store, so values are ready to serve as-is.
 * - Values are JSON objects. They are shared, never copied: callers must not mutate a value after passing it
 *   in, nor mutate values they get back (clone first).
 * - A write resolves only once it is durable (for persistent backends); a rejected write changed nothing.
 * - Watches deliver every change with revision > the start revision, in revision order, with no gaps.
 *   A start revision older than the retained history throws `StoreError('Compacted')`.
 *   Delivery is asynchronous (never inside the write call) and never reentrant: a handler may write to the
 *   store; the resulting events are delivered after the current one.
 * - Reads and watches reflect committed (for persistent backends: durable) writes only.
 * - `Unavailable` on a write means the backend could not make it durable (e.g. fsync failed); the outcome is
 *   unknown and the backend refuses further writes until restarted.
 */
import type { KObject } from '../api/meta/object.js';

export interface StoredEntry {
  readonly key: string;
  readonly value: KObject;
  /** Revision of the write that produced this value. Equals value.metadata.resourceVersion. */
  readonly modRevision: number;
  /** Revision at which the key was created. */
  readonly createRevision: number;
  /** Cached JSON text of `value`; any layer may fill it once (values are immutable). */
  json?: string;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface StoreEvent {
  type: WatchEventType;
  /** For 'delete': the last value before deletion; its resourceVersion is the deletion revision. */
  entry: StoredEntry;
  /** For 'update' and 'delete': the value before this event. */
  prev?: StoredEntry;
  /** Revision of this event. */
  revision: number;
}

export type StoreErrorCode = 'KeyNotFound' | 'KeyExists' | 'Conflict' | 'Compacted' | 'Closed' | 'Unavailable';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Conflict: the current entry; for Compacted: the oldest revision still watchable. */
    readonly current?: StoredEntry,
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface ListOptions {
  /** Maximum number of items; 0/undefined = all. */
  limit?: number;
  /** Start strictly after this key (continue token support). */
  after?: string;
}

export interface ListResult {
  items: StoredEntry[];
  /** The store revision the list reflects. */
  revision: number;
  /** True when `limit` cut the list short. */
  more: boolean;
  /** Items left after this page, when `more`. */
  remaining: number;
}

export type Unsubscribe = () => void;

export interface WatchHandlers {
  onEvent(event: StoreEvent): void;
  /** The watch ended abnormally (store closed). */
  onError?(err: StoreError): void;
}

export interface Store {
  /** Human-readable backend name ("lowdb", "memory", ...). */
  readonly backend: string;
  /** The latest revision (0 for an empty, fresh store). */
  revision(): number;
  /** The oldest revision a watch may start from. */
  compactRevision(): number;
  get(key: string): Promise<StoredEntry | undefined>;
  /** Keys starting with `prefix`, sorted by key. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Fails with KeyExists when the key is present. */
  create(key: string, value: KObject): Promise<StoredEntry>;
  /**
   * Replaces the value. With `expectedModRevision`, fails with Conflict unless the current entry has it.
   * Fails with KeyNotFound when absent.
   */
  update(key: string, value: KObject, expectedModRevision?: number): Promise<StoredEntry>;
  /** Removes the key; resolves with the deleted entry (value stamped with the deletion revision). */
  delete(key: string, expectedModRevision?: number): Promise<StoredEntry>;
  /** Subscribes to changes under `prefix` with revision > `fromRevision`. Throws Compacted when too old. */
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Unsubscribe;
  /** Flushes and releases resources; further calls fail with Closed. */
  close(): Promise<void>;
}
