/**
 * EventRecorder: client-go's record.EventRecorder for core/v1 Events.
 *
 * Contract:
 * - event() never blocks or throws: it enqueues, and a small pool of writers (default 4 in flight) sends.
 * - Shape as upstream: name `<involved name>.<unix nanos in hex>`, namespace of the involved object (cluster-scoped
 *   objects → 'default'), involvedObject {kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath},
 *   source {component, host}, reportingComponent = component, reportingInstance = host, first/lastTimestamp
 *   (RFC 3339, seconds), count, type, reason, message, optional related.
 * - Repeats of the same (source, involved object, type, reason, message) within 10 minutes are aggregated into the
 *   existing Event with a strategic-merge PATCH of count and lastTimestamp (as upstream's event logger); repeats
 *   arriving while the first write is still queued are folded into it. If the Event was deleted meanwhile it is
 *   created again. At most 4096 series are remembered (upstream's LRU size).
 * - Overload: when `maxPending` (default 1000, the broadcaster's queue length upstream) distinct events wait,
 *   new ones are dropped and counted in `dropped`.
 */
import type { KObject } from '../api/meta/object.js';
import { EVENTS, isNotFound, type KubeClient } from './kube-client.js';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorderOptions {
  component: string;
  /** Node name for node agents; '' otherwise. */
  host?: string;
  maxPending?: number;
  concurrency?: number;
  /** Aggregation window (default 10 minutes). */
  windowMs?: number;
  clock?: () => Date;
  log?: (message: string) => void;
}

export type EventType = 'Normal' | 'Warning';

interface Series {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  lastSeen: number;
}

interface Pending {
  key: string;
  ref: ObjectReference;
  related?: ObjectReference;
  type: EventType;
  reason: string;
  message: string;
  /** Occurrences folded into this write. */
  repeats: number;
  first: Date;
  last: Date;
}

const MAX_SERIES = 4096;

/** RFC 3339 with seconds precision, as metav1.Time serializes. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function referenceOf(obj: KObject | ObjectReference): ObjectReference {
  if ('metadata' in obj && obj.metadata && typeof obj.metadata === 'object') {
    const o = obj as KObject;
    const ref: ObjectReference = { kind: o.kind, name: o.metadata.name, uid: o.metadata.uid, apiVersion: o.apiVersion, resourceVersion: o.metadata.resourceVersion };
    if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
    return ref;
  }
  return { ...(obj as ObjectReference) };
}

let seq = 0;

export class EventRecorder {
  private readonly component: string;
  private readonly host: string;
  private readonly maxPending: number;
  private readonly concurrency: number;
  private readonly windowMs: number;
  private readonly clock: () => Date;
  private readonly log: (m: string) => void;
  private readonly pending = new Map<string, Pending>();
  private readonly busy = new Set<string>();
  private readonly series = new Map<string, Series>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  /** Events dropped because the queue was full. */
  dropped = 0;
  /** Writes that failed (logged and abandoned). */
  failed = 0;

  constructor(private readonly client: KubeClient, opts: EventRecorderOptions) {
    this.component = opts.component;
    this.host = opts.host ?? '';
    this.maxPending = opts.maxPending ?? 1000;
    this.concurrency = opts.concurrency ?? 4;
    this.windowMs = opts.windowMs ?? 10 * 60_000;
    this.clock = opts.clock ?? (() => new Date());
    this.log = opts.log ?? ((m) => console.error(m));
  }

  /** Records an event about `obj` (an object, or a reference to one). Never blocks, never throws. */
  event(obj: KObject | ObjectReference, type: EventType, reason: string, message: string, related?: KObject | ObjectReference): void {
    if (this.stopped) return;
    const ref = referenceOf(obj);
    const now = this.clock();
    const key = [this.component, this.host, ref.kind, ref.namespace, ref.name, ref.fieldPath, ref.uid, ref.apiVersion, type, reason, message].join('\u0000');
    const queued = this.pending.get(key);
    if (queued) {
      queued.repeats++;
      queued.last = now;
      queued.ref = ref;
      return;
    }
    if (this.pending.size >= this.maxPending) {
      this.dropped++;
      return;
    }
    this.pending.set(key, { key, ref, related: related ? referenceOf(related) : undefined, type, reason, message, repeats: 1, first: now, last: now });
    this.pump();
  }

  /** Resolves when everything queued so far has been written (or abandoned). */
  flush(): Promise<void> {
    if (this.pending.size === 0 && this.busy.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops queued events and ignores new ones; in-flight writes finish. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.checkIdle();
  }

  private pump(): void {
    if (this.busy.size >= this.concurrency) return;
    for (const [key, item] of this.pending) {
      if (this.busy.has(key)) continue;
      this.pending.delete(key);
      this.busy.add(key);
      void this.write(item).finally(() => {
        this.busy.delete(key);
        this.pump();
        this.checkIdle();
      });
      if (this.busy.size >= this.concurrency) return;
    }
  }

  private checkIdle(): void {
    if (this.pending.size === 0 && this.busy.size === 0 && this.idleWaiters.length) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async write(item: Pending): Promise<void> {
    const last = rfc3339(item.last);
    let s = this.series.get(item.key);
    if (s && item.last.getTime() - s.lastSeen > this.windowMs) {
      this.series.delete(item.key);
      s = undefined;
    }
    try {
      if (s) {
        const count = s.count + item.repeats;
        try {
          await this.client.patch(EVENTS, s.namespace, s.name, 'strategic', { count, lastTimestamp: last, message: item.message });
          s.count = count;
          s.lastSeen = item.last.getTime();
          this.touch(item.key, s);
          return;
        } catch (e) {
          if (!isNotFound(e)) throw e;
          // The Event expired or was deleted: create it again under the same name, as upstream does.
          await this.create(item, s.name, s.namespace, count, s.firstTimestamp, last);
          s.count = count;
          s.lastSeen = item.last.getTime();
          this.touch(item.key, s);
          return;
        }
      }
      const namespace = item.ref.namespace || 'default';
      const name = `${item.ref.name ?? 'unknown'}.${uniqueHex(item.first)}`;
      const first = rfc3339(item.first);
      await this.create(item, name, namespace, item.repeats, first, last);
      this.touch(item.key, { name, namespace, count: item.repeats, firstTimestamp: first, lastSeen: item.last.getTime() });
    } catch (e) {
      this.failed++;
      this.log(`event ${item.reason} for ${item.ref.kind ?? ''} ${item.ref.namespace ?? ''}/${item.ref.name ?? ''} not recorded: ${(e as Error).message}`);
    }
  }

  private async create(item: Pending, name: string, namespace: string, count: number, first: string, last: string): Promise<void> {
    const ev: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: item.ref,
      reason: item.reason,
      message: item.message,
      source: this.host ? { component: this.component, host: this.host } : { component: this.component },
      firstTimestamp: first,
      lastTimestamp: last,
      count,
      type: item.type,
      eventTime: null,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    if (item.related) ev['related'] = item.related;
    await this.client.create(EVENTS, namespace, ev);
  }

  /** LRU bookkeeping: most recently used series last; the oldest is evicted beyond MAX_SERIES. */
  private touch(key: string, s: Series): void {
    this.series.delete(key);
    this.series.set(key, s);
    if (this.series.size > MAX_SERIES) this.series.delete(this.series.keys().next().value!);
  }
}

/** Upstream uses the creation time in Unix nanoseconds; a counter keeps names unique within one millisecond. */
function uniqueHex(t: Date): string {
  seq = (seq + 1) % 1_000_000;
  return (BigInt(t.getTime()) * 1_000_000n + BigInt(seq)).toString(16);
}
