/**
 * Store lists kept in memory and refreshed from a store watch, for admission lookups that run on every write
 * (Priority admission lists PriorityClasses for every pod create).
 *
 * Contract: `list(prefix)` returns the same values `store.list(prefix)` would (the stored objects themselves,
 * read-only, in key order) in a fresh array. The first call for a prefix lists the store and subscribes to
 * changes under the prefix from the list's revision; any change marks the prefix stale and the next call lists
 * the store again. The store's watch hub enqueues an event synchronously when the write becomes visible and
 * delivers it before the writer's continuation runs, so a caller that saw a write complete never gets a list
 * from before it. A list that raced with a change is not kept; a failed watch (store closed) turns caching off
 * for that prefix.
 */
import type { KObject } from '../api/meta/object.js';
import type { Store } from '../store/store.js';

interface Cached {
  /** Bumped by every change under the prefix. */
  generation: number;
  items?: KObject[];
  /** The watch is running (false before the first list and after a watch failure). */
  watching: boolean;
  failed: boolean;
}

export class WatchedListCache {
  private readonly prefixes = new Map<string, Cached>();
  private readonly unsubscribes: (() => void)[] = [];

  constructor(private readonly store: Store) {}

  async list(prefix: string): Promise<KObject[]> {
    let c = this.prefixes.get(prefix);
    if (!c) this.prefixes.set(prefix, (c = { generation: 0, watching: false, failed: false }));
    if (c.items && c.watching) return c.items.slice();
    const generation = c.generation;
    const res = await this.store.list(prefix);
    const items = res.items.map((e) => e.value);
    if (!c.failed && !c.watching) this.watch(prefix, c, res.revision);
    if (c.watching && c.generation === generation) c.items = items;
    return items.slice();
  }

  /** Stops every watch (the store is closing). */
  close(): void {
    for (const u of this.unsubscribes.splice(0)) u();
    for (const c of this.prefixes.values()) {
      c.watching = false;
      c.failed = true;
      c.items = undefined;
    }
  }

  private watch(prefix: string, c: Cached, fromRevision: number): void {
    try {
      this.unsubscribes.push(this.store.watch(prefix, fromRevision, {
        onEvent: () => {
          c.generation++;
          c.items = undefined;
        },
        onError: () => {
          c.watching = false;
          c.failed = true;
          c.items = undefined;
        },
      }));
      c.watching = true;
    } catch {
      c.failed = true;
    }
  }
}
