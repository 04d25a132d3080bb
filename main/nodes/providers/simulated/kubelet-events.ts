/**
 * Kubelet events of the simulated nodes (Pulling, Pulled, Created, Started, Killing, BackOff) through the shared
 * EventRecorder (main/client/event-recorder.ts): one recorder per node, as every kubelet has its own
 * (source.component "kubelet", source.host the node; upstream's aggregation of repeats into count/lastTimestamp).
 *
 * Rate cap: a process-wide token bucket (default 100 events/s, burst 500) sits in front of the recorders, so a
 * bulk run of thousands of pods posts a bounded number of events — upstream's broadcaster drops under load too.
 * `enabled: false` turns events off (benchmarks). Events over the cap are dropped and counted in `dropped`.
 *
 * Memory: a recorder remembers up to 4096 event series for aggregation. A node's recorder is dropped when the
 * node goes, and when it has recorded nothing for longer than the aggregation window (its series could no
 * longer aggregate anything), so idle nodes of a large cluster hold no event state.
 */
import { EventRecorder, type EventType, type ObjectReference } from '../../../client/event-recorder.js';
import type { KubeClient } from '../../../client/kube-client.js';
import type { Clock } from './clock.js';

export interface KubeletEventOptions {
  enabled?: boolean;
  /** Sustained events per second across all simulated nodes (default 100). */
  qps?: number;
  /** Bucket size (default 500). */
  burst?: number;
  log?: (message: string) => void;
}

/** The recorder's aggregation window (EventRecorder's default): recorders idle this long are dropped. */
const WINDOW_MS = 10 * 60_000;
/** How often idle recorders are looked for (on the next event after this much time). */
const SWEEP_MS = 60_000;

interface NodeRecorder {
  recorder: EventRecorder;
  lastUsed: number;
}

export class KubeletEvents {
  private readonly recorders = new Map<string, NodeRecorder>();
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;
  private lastSweep: number;
  private stopped = false;
  readonly enabled: boolean;
  /** Events dropped by the rate cap. */
  private capped = 0;
  /** Queue-full drops of recorders already let go. */
  private retiredDrops = 0;

  constructor(private readonly client: KubeClient, private readonly clock: Clock, private readonly opts: KubeletEventOptions = {}) {
    this.enabled = opts.enabled ?? true;
    this.qps = opts.qps ?? 100;
    this.burst = opts.burst ?? 500;
    this.tokens = this.burst;
    this.last = this.lastSweep = clock.now();
  }

  /** Events dropped by the rate cap or by a recorder's full queue. */
  get dropped(): number {
    let n = this.capped + this.retiredDrops;
    for (const r of this.recorders.values()) n += r.recorder.dropped;
    return n;
  }

  /** Records an event about `involved` (a pod reference, fieldPath e.g. `spec.containers{web}`) from `node`. */
  record(node: string, involved: ObjectReference, type: EventType, reason: string, message: string): boolean {
    if (!this.enabled || this.stopped || !this.take()) return false;
    const now = this.clock.now();
    if (now - this.lastSweep >= SWEEP_MS) this.sweep(now);
    let r = this.recorders.get(node);
    if (!r) {
      r = {
        recorder: new EventRecorder(this.client, {
          component: 'kubelet',
          host: node,
          windowMs: WINDOW_MS,
          clock: () => new Date(this.clock.now()),
          log: this.opts.log ?? (() => {}),
        }),
        lastUsed: now,
      };
      this.recorders.set(node, r);
    }
    r.lastUsed = now;
    r.recorder.event(involved, type, reason, message);
    return true;
  }

  /** The node is gone: queued events of it are dropped (in-flight writes finish). */
  nodeGone(node: string): void {
    const r = this.recorders.get(node);
    if (!r) return;
    r.recorder.stop();
    this.retiredDrops += r.recorder.dropped;
    this.recorders.delete(node);
  }

  /** Resolves when every queued event has been written (tests, idle()). */
  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.recorder.flush()));
  }

  stop(): void {
    this.stopped = true;
    for (const r of this.recorders.values()) r.recorder.stop();
    this.recorders.clear();
  }

  /** Number of per-node recorders alive (diagnostics, tests). */
  get recorderCount(): number {
    return this.recorders.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [node, r] of this.recorders) {
      if (now - r.lastUsed <= WINDOW_MS) continue;
      // Nothing recorded for a whole window: its queue has long drained and no series can aggregate any more.
      this.retiredDrops += r.recorder.dropped;
      this.recorders.delete(node);
    }
  }

  private take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) {
      this.capped++;
      return false;
    }
    this.tokens--;
    return true;
  }
}
