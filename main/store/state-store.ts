/**
 * What every backend built on MemoryState shares: reads, watches and the Store surface are served from the
 * in-memory state; a backend supplies only how a mutation is made (and acknowledged) and how it closes.
 */
import type { KObject } from '../api/meta/object.js';
import type { MemoryState, Mutation } from './memory-store.js';
import {
  StoreError, type ListOptions, type ListResult, type Store, type StoredEntry, type Unsubscribe, type WatchHandlers,
} from './store.js';

export abstract class StateStore implements Store {
  abstract readonly backend: string;

  protected constructor(protected readonly state: MemoryState) {}

  /** True once close() has begun; every call then fails with Closed. */
  protected abstract get isClosed(): boolean;
  /** Applies one mutation; resolves when it is acknowledged (durable, for persistent backends). */
  protected abstract write(m: Mutation): Promise<StoredEntry>;
  abstract close(): Promise<void>;

  revision(): number {
    return this.state.revision();
  }

  compactRevision(): number {
    return this.state.hub.compactRevision();
  }

  async get(key: string): Promise<StoredEntry | undefined> {
    this.checkOpen();
    return this.state.get(key);
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    return this.state.list(prefix, opts);
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    return this.state.count(prefix);
  }

  create(key: string, value: KObject): Promise<StoredEntry> {
    return this.write({ op: 'create', key, value });
  }

  update(key: string, value: KObject, expectedModRevision?: number): Promise<StoredEntry> {
    return this.write({ op: 'update', key, value, expected: expectedModRevision });
  }

  delete(key: string, expectedModRevision?: number): Promise<StoredEntry> {
    return this.write({ op: 'delete', key, expected: expectedModRevision });
  }

  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Unsubscribe {
    this.checkOpen();
    return this.state.hub.subscribe(prefix, fromRevision, handlers);
  }

  protected checkOpen(): void {
    if (this.isClosed) throw new StoreError('Closed', 'store closed');
  }
}
