/**
 * Watch fan-out and the bounded event history behind watch-from-revision.
 *
 * History policy (documented contract): the hub keeps every committed event until it is BOTH older than
 * `windowMs` (default 5 minutes, kube-apiserver's watch-cache horizon) AND not among the newest `minEvents`
 * (default 100,000). `maxEvents` (default 1,000,000) is a hard memory cap that wins over the time window.
 * The compact revision is the revision of the newest dropped event; a watch may start at any revision >= it.
 *
 * Delivery: events are queued per watcher and drained from a microtask, never from inside the write that
 * produced them. A handler that writes to the store only appends to the queues; the running drain loop picks
 * the new events up afterwards, so every watcher sees strictly increasing revisions with no gaps and no
 * reentrant calls.
 */
import { StoreError, type StoreEvent, type Unsubscribe, type WatchHandlers } from './store.js';

export interface HistoryPolicy {
  minEvents: number;
  windowMs: number;
  maxEvents: number;
}

export const DEFAULT_HISTORY: HistoryPolicy = { minEvents: 100_000, windowMs: 5 * 60_000, maxEvents: 1_000_000 };

interface Watcher {
  prefix: string;
  /** Only events with a greater revision are delivered (matters when a watch starts in the future). */
  after: number;
  handlers: WatchHandlers;
  queue: StoreEvent[];
  head: number;
  /** True while the watcher sits in the hub's dirty list. */
  queued: boolean;
  active: boolean;
}

export class WatchHub {
  private readonly policy: HistoryPolicy;
  /** Retained events; events[head + i].revision === compacted + 1 + i. */
  private events: StoreEvent[] = [];
  private times: number[] = [];
  private head = 0;
  private compacted: number;
  /** Watchers grouped by prefix: fan-out cost is per distinct prefix, not per watcher. */
  private readonly byPrefix = new Map<string, Set<Watcher>>();
  private dirty: Watcher[] = [];
  private scheduled = false;
  private draining = false;

  constructor(startRevision: number, policy?: Partial<HistoryPolicy>) {
    this.policy = { ...DEFAULT_HISTORY, ...policy };
    this.compacted = startRevision;
  }

  /** The oldest revision a watch may start from. */
  compactRevision(): number {
    return this.compacted;
  }

  /** Forgets the history and makes `revision` the new start (after bulk-loading a snapshot). */
  resetStart(revision: number): void {
    this.events = [];
    this.times = [];
    this.head = 0;
    this.compacted = revision;
  }

  /** Number of events currently retained (for tests and metrics). */
  retained(): number {
    return this.events.length - this.head;
  }

  /** Appends a committed event (revisions must be consecutive) and queues it for matching watchers. */
  record(ev: StoreEvent): void {
    this.events.push(ev);
    this.times.push(Date.now());
    this.trim();
    if (this.byPrefix.size === 0) return;
    for (const [prefix, set] of this.byPrefix) {
      if (!ev.entry.key.startsWith(prefix)) continue;
      for (const w of set) this.enqueue(w, ev);
    }
  }

  /**
   * Registers a watcher for keys under `prefix` and replays retained events newer than `fromRevision`.
   * Throws Compacted when `fromRevision` is older than the retained history.
   */
  subscribe(prefix: string, fromRevision: number, handlers: WatchHandlers): Unsubscribe {
    if (fromRevision < this.compacted) {
      throw new StoreError(
        'Compacted',
        `required revision ${fromRevision} has been compacted (oldest available: ${this.compacted})`,
        undefined,
        this.compacted,
      );
    }
    const w: Watcher = { prefix, after: fromRevision, handlers, queue: [], head: 0, queued: false, active: true };
    const start = this.head + Math.max(0, fromRevision - this.compacted);
    for (let i = start; i < this.events.length; i++) {
      const ev = this.events[i]!;
      if (ev.entry.key.startsWith(prefix)) this.enqueue(w, ev);
    }
    let set = this.byPrefix.get(prefix);
    if (!set) this.byPrefix.set(prefix, (set = new Set()));
    set.add(w);
    return () => this.remove(w);
  }

  /** Ends every watch with `err` (store closed). */
  closeAll(err: StoreError): void {
    const all = [...this.byPrefix.values()].flatMap((s) => [...s]);
    this.byPrefix.clear();
    for (const w of all) {
      w.active = false;
      w.queue = [];
      try {
        w.handlers.onError?.(err);
      } catch (e) {
        reportHandlerError(e);
      }
    }
  }

  private remove(w: Watcher): void {
    w.active = false;
    w.queue = [];
    w.head = 0;
    const set = this.byPrefix.get(w.prefix);
    if (!set) return;
    set.delete(w);
    if (set.size === 0) this.byPrefix.delete(w.prefix);
  }

  private enqueue(w: Watcher, ev: StoreEvent): void {
    if (ev.revision <= w.after) return;
    w.queue.push(ev);
    if (!w.queued) {
      w.queued = true;
      this.dirty.push(w);
    }
    if (!this.scheduled && !this.draining) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    this.draining = true;
    try {
      while (this.dirty.length > 0) {
        const batch = this.dirty;
        this.dirty = [];
        for (const w of batch) {
          w.queued = false;
          // Handlers may write to the store: new events land at the end of w.queue and are read by this loop.
          while (w.active && w.head < w.queue.length) {
            const ev = w.queue[w.head++]!;
            try {
              w.handlers.onEvent(ev);
            } catch (e) {
              reportHandlerError(e);
            }
          }
          w.queue = [];
          w.head = 0;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private trim(): void {
    const { minEvents, maxEvents, windowMs } = this.policy;
    const now = Date.now();
    while (this.events.length - this.head > minEvents) {
      const overCap = this.events.length - this.head > maxEvents;
      if (!overCap && now - this.times[this.head]! <= windowMs) break;
      this.compacted = this.events[this.head]!.revision;
      this.head++;
    }
    // Reclaim the dropped prefix of the arrays once it dominates.
    if (this.head > 4096 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

function reportHandlerError(e: unknown): void {
  console.error('store: watch handler threw:', e);
}
