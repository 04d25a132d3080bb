/**
 * The scheduling queue (internal/queue.PriorityQueue): three sub-queues.
 * - activeQ: pods ready to be tried, ordered by priority (higher first) then by queue timestamp (PrioritySort).
 * - backoffQ: pods that failed recently, released to activeQ when their backoff expires; backoff doubles
 *   per attempt from 1 s up to 10 s.
 * - unschedulablePods: pods no node could take; they leave only when a cluster event matches an event a
 *   rejecting plugin registered (and its queueing hint says Queue), or after 5 minutes (the leftover flush).
 * Events that arrive while a pod is being scheduled (in flight) are replayed against that pod when its
 * attempt fails, so a node added mid-attempt is not missed (upstream's in-flight event tracking).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KObject } from '../../api/meta/object.js';
import { eventMatches, type ClusterEvent, type ClusterEventWithHint } from '../framework/events.js';
import { PodInfo, podKey, podPriority } from '../framework/pod-info.js';
import type { Status } from '../framework/status.js';
import { KeyedHeap } from './keyed-heap.js';
import { Nominator } from './nominator.js';

export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was last added to activeQ/backoffQ: the FIFO tie-break among equal priorities. */
  timestamp: number;
  /** When the pod was first popped (for the scheduling duration metric). */
  initialAttemptTimestamp?: number;
  attempts: number;
  /** Plugins that rejected the pod in its last attempt (Filter/PreFilter/Permit...). Empty after an error. */
  unschedulablePlugins: Set<string>;
  /** Plugins that returned Pending. */
  pendingPlugins: Set<string>;
  /** Rejected by a PreEnqueue plugin (e.g. scheduling gates): parked without counting attempts. */
  gated: boolean;
  /** When the pod entered unschedulablePods. */
  unschedulableSince?: number;
}

export interface QueueOptions {
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod may stay in unschedulablePods without an event (podMaxInUnschedulablePodsDuration). */
  maxInUnschedulableMs?: number;
  /** PreEnqueue plugins of the pod's profile; a non-null result keeps the pod gated. */
  preEnqueue?: (pod: Pod) => { plugin: string; status: Status } | null;
  /** The EnqueueExtensions of the pod's profile: plugin name → registered events (undefined = all events). */
  hintsFor?: (schedulerName: string) => Map<string, ClusterEventWithHint[] | undefined>;
  /** Called when a pod enters backoffQ: the owner runs flushBackoffCompleted until backoffQ is empty again. */
  onBackoff?: () => void;
}

const schedulerNameOf = (pod: Pod) => pod.spec?.schedulerName || 'default-scheduler';

export class SchedulingQueue {
  readonly nominator = new Nominator();
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods popped and not yet done(): events seen meanwhile. */
  private readonly inFlight = new Map<string, { event: ClusterEvent; oldObj?: KObject; newObj?: KObject }[]>();
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  private readonly now: () => number;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxInUnschedulable: number;
  /** Incremented on each pop (the scheduling cycle). */
  schedulingCycle = 0;

  constructor(private readonly opts: QueueOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.initialBackoff = opts.initialBackoffMs ?? 1000;
    this.maxBackoff = opts.maxBackoffMs ?? 10_000;
    this.maxInUnschedulable = opts.maxInUnschedulableMs ?? 5 * 60_000;
    this.activeQ = new KeyedHeap((q) => q.podInfo.key, (a, b) => {
      const pa = podPriority(a.podInfo.pod);
      const pb = podPriority(b.podInfo.pod);
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    });
    this.backoffQ = new KeyedHeap((q) => q.podInfo.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** A new pending pod (informer Add). */
  add(pod: Pod): void {
    const pi = new PodInfo(pod);
    const q: QueuedPodInfo = { podInfo: pi, timestamp: this.now(), attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false };
    this.moveToActiveOrGate(q);
    this.nominator.add(pi);
  }

  /** Runs PreEnqueue; gated pods are parked in unschedulablePods. */
  private moveToActiveOrGate(q: QueuedPodInfo): boolean {
    const key = q.podInfo.key;
    const gate = this.opts.preEnqueue?.(q.podInfo.pod) ?? null;
    if (gate) {
      q.gated = true;
      q.unschedulablePlugins = new Set([gate.plugin]);
      q.unschedulableSince = this.now();
      this.backoffQ.delete(key);
      this.unschedulable.set(key, q);
      return false;
    }
    q.gated = false;
    this.unschedulable.delete(key);
    this.backoffQ.delete(key);
    this.activeQ.addOrUpdate(q);
    this.wake();
    return true;
  }

  private wake(): void {
    while (this.waiters.length && this.activeQ.size) {
      const w = this.waiters.shift()!;
      w(this.popNow());
    }
  }

  private popNow(): QueuedPodInfo {
    const q = this.activeQ.pop()!;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.now();
    this.schedulingCycle++;
    this.inFlight.set(q.podInfo.key, []);
    return q;
  }

  /** The next pod to schedule; waits while activeQ is empty. Resolves undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    if (this.activeQ.size) return Promise.resolve(this.popNow());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Ends the in-flight tracking of a popped pod (after its scheduling cycle). */
  done(pod: Pod): void {
    this.inFlight.delete(podKey(pod));
  }

  /** backoff = initial · 2^(attempts-1), capped (calculateBackoffDuration). */
  backoffDuration(q: QueuedPodInfo): number {
    let d = this.initialBackoff;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d > this.maxBackoff) return this.maxBackoff;
    }
    return d;
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.now();
  }

  /**
   * Returns a pod whose attempt failed. With rejecting plugins it is parked in unschedulablePods, unless an
   * event that arrived during the attempt may help it (then backoffQ). Without (an error) it goes to backoffQ.
   */
  addUnschedulable(q: QueuedPodInfo): void {
    const key = q.podInfo.key;
    const events = this.inFlight.get(key) ?? [];
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    q.timestamp = this.now();
    const helped = events.some((e) => this.eventMayHelp(q, e.event, e.oldObj, e.newObj));
    if (q.unschedulablePlugins.size === 0 && q.pendingPlugins.size === 0) {
      this.toBackoff(q);
    } else if (helped) {
      this.toBackoff(q);
    } else {
      q.unschedulableSince = this.now();
      this.unschedulable.set(key, q);
    }
    this.nominator.add(q.podInfo);
  }

  private toBackoff(q: QueuedPodInfo): void {
    this.backoffQ.addOrUpdate(q);
    this.opts.onBackoff?.();
  }

  /** True while some pod waits out its backoff. */
  hasBackoff(): boolean {
    return this.backoffQ.size > 0;
  }

  /** Releases backoffQ pods whose backoff has expired (run every second while backoffQ has pods). */
  flushBackoffCompleted(): void {
    const now = this.now();
    for (;;) {
      const q = this.backoffQ.peek();
      if (!q || this.backoffExpiry(q) > now) break;
      this.backoffQ.pop();
      this.activeQ.addOrUpdate(q);
    }
    this.wake();
  }

  /** Moves pods parked longer than maxInUnschedulable back (run every 30 s). */
  flushUnschedulableLeftover(): void {
    const now = this.now();
    const moved: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) {
      if (now - (q.unschedulableSince ?? now) >= this.maxInUnschedulable) moved.push(q);
    }
    for (const q of moved) this.requeue(q);
  }

  private requeue(q: QueuedPodInfo): void {
    const key = q.podInfo.key;
    this.unschedulable.delete(key);
    if (q.gated) {
      this.moveToActiveOrGate(q);
      return;
    }
    if (this.isBackingOff(q)) this.toBackoff(q);
    else {
      this.activeQ.addOrUpdate(q);
      this.wake();
    }
  }

  /** Whether `event` matches an event registered by a plugin that rejected `q`, with a Queue hint. */
  private eventMayHelp(q: QueuedPodInfo, event: ClusterEvent, oldObj?: KObject, newObj?: KObject): boolean {
    if (event.resource === '*') return true;
    const rejectors = [...q.unschedulablePlugins, ...q.pendingPlugins];
    if (rejectors.length === 0) return true;
    const hints = this.opts.hintsFor?.(schedulerNameOf(q.podInfo.pod));
    for (const plugin of rejectors) {
      const registered = hints?.get(plugin);
      if (registered === undefined) return true; // no EnqueueExtensions: every event may help
      for (const r of registered) {
        if (!eventMatches(r.event, event)) continue;
        if (!r.queueingHintFn) return true;
        try {
          if (r.queueingHintFn(q.podInfo.pod, oldObj, newObj) === 'Queue') return true;
        } catch {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A cluster event (node added/changed, assigned pod deleted, PV/PVC change...): moves the unschedulable
   * pods it may help to activeQ (or backoffQ while backing off), and remembers it for in-flight pods.
   */
  onClusterEvent(event: ClusterEvent, oldObj?: KObject, newObj?: KObject, preCheck?: (pod: Pod) => boolean): number {
    for (const list of this.inFlight.values()) list.push({ event, oldObj, newObj });
    let moved = 0;
    for (const q of [...this.unschedulable.values()]) {
      if (q.gated && event.resource !== 'UnscheduledPod') continue;
      if (preCheck && !preCheck(q.podInfo.pod)) continue;
      if (!this.eventMayHelp(q, event, oldObj, newObj)) continue;
      this.requeue(q);
      moved++;
    }
    return moved;
  }

  /** The pending pod itself changed (informer Update of an unassigned pod). */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    const pi = new PodInfo(newPod);
    this.nominator.update(oldPod, pi);
    for (const heap of [this.activeQ, this.backoffQ]) {
      const q = heap.get(key);
      if (q) {
        q.podInfo = pi;
        heap.addOrUpdate(q);
        return;
      }
    }
    const q = this.unschedulable.get(key);
    if (q) {
      q.podInfo = pi;
      if (isPodUpdated(oldPod, newPod)) {
        if (q.gated) this.moveToActiveOrGate(q);
        else this.requeue(q);
      }
      return;
    }
    if (this.inFlight.has(key)) {
      this.inFlight.get(key)!.push({ event: { resource: 'UnscheduledPod', actionType: 1 << 11, label: 'UnscheduledPodUpdate' }, oldObj: oldPod, newObj: newPod });
      return;
    }
    this.add(newPod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.nominator.delete(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** Re-activates specific pods (e.g. after their nominated node's victims are gone). */
  activate(keys: Iterable<string>): void {
    for (const k of keys) {
      const q = this.unschedulable.get(k) ?? this.backoffQ.get(k);
      if (!q) continue;
      this.unschedulable.delete(k);
      this.backoffQ.delete(k);
      this.activeQ.addOrUpdate(q);
    }
    this.wake();
  }

  has(pod: Pod): boolean {
    const k = podKey(pod);
    return this.activeQ.has(k) || this.backoffQ.has(k) || this.unschedulable.has(k) || this.inFlight.has(k);
  }

  /** Which sub-queue holds the pod (tests, decision records). */
  where(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    const k = podKey(pod);
    if (this.activeQ.has(k)) return 'active';
    if (this.backoffQ.has(k)) return 'backoff';
    if (this.unschedulable.has(k)) return 'unschedulable';
    if (this.inFlight.has(k)) return 'inFlight';
    return undefined;
  }

  pendingPods(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}

/** Spec/labels/annotations changed (status-only and resourceVersion changes do not count). */
function isPodUpdated(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify([p.spec, p.metadata.labels, p.metadata.annotations]);
  return strip(a) !== strip(b);
}
