/**
 * The node lifecycle controller ("node-lifecycle", events as "node-controller"). Upstream:
 * pkg/controller/nodelifecycle.
 *
 * Health: on the nodeMonitorPeriod (5 s) grid — at the instants where a node changed or a grace period ran out,
 * not blindly every period — each node's liveness is judged by when the controller last saw its Ready
 * condition's lastHeartbeatTime or its kube-node-lease Lease renewTime change (local observation time, so clock
 * skew does not matter). Past nodeMonitorGracePeriod (50 s in 1.32; nodeStartupGracePeriod 60 s for a node that
 * never posted Ready) its Ready, MemoryPressure, DiskPressure and PIDPressure conditions become Unknown
 * (NodeStatusUnknown, "Kubelet stopped posting node status."; NodeStatusNeverUpdated for missing ones). When it
 * flips Ready from True, the node gets a NodeNotReady event and its pods' Ready condition is set False
 * (MarkPodsNotReady, a NodeNotReady warning on each pod).
 *
 * Taints: NoSchedule taints follow conditions and the cordon flag on every node change (not-ready, unreachable,
 * memory/disk/pid-pressure, network-unavailable, unschedulable). NoExecute taints not-ready (Ready=False) and
 * unreachable (Ready=Unknown) are added through the per-zone rate limiter (zone-state.ts) and removed at once
 * when the node is Ready again; the taint eviction controller then evicts pods that do not tolerate them.
 */
import type { Node, Taint } from '../api/core/v1/node.js';
import type { Lease } from '../api/coordination.k8s.io/v1/lease.js';
import type { Pod, PodCondition } from '../api/core/v1/pod-types.js';
import { NODE_NAME_INDEX, byNodeName } from '../client/indexers.js';
import { isConflict, isNotFound, LEASES, NODES, PODS } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import {
  condition,
  hasTaint,
  reconcileNoScheduleTaints,
  swapNoExecuteTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  wantedNoScheduleTaints,
} from './node-lifecycle/node-taints.js';
import { computeZoneState, TokenBucket, zoneKey, zoneRate, type ZoneState } from './node-lifecycle/zone-state.js';
import { nextGridInstant } from '../timing/aligned-ticker.js';

export const DEFAULT_NODE_MONITOR_PERIOD_SECONDS = 5;
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS = 50;
export const DEFAULT_NODE_STARTUP_GRACE_PERIOD_SECONDS = 60;
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The conditions the controller turns Unknown (upstream nodeConditionTypes plus Ready). */
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
const ZONE_TAINT_PERIOD_MS = 100;

interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

interface NodeHealth {
  /** When the controller last saw a sign of life (local time, ms). */
  probeTimestamp: number;
  readyHeartbeat?: string;
  leaseRenewTime?: string;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle';
  private readonly nodes;
  private readonly leases;
  private readonly pods;
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly zoneLimiters = new Map<string, TokenBucket>();
  /** Per zone, the nodes waiting for a NoExecute taint (FIFO, deduplicated). */
  private readonly zoneQueues = new Map<string, Set<string>>();
  private readonly noScheduleQueue = new WorkQueue<string>();
  private readonly recorder;
  private readonly periodMs: number;
  private readonly graceMs: number;
  private readonly startupGraceMs: number;
  /** A node changed (or a pass failed) since the last pass: the next monitor instant runs one. */
  private dirty = true;
  private monitorTimer?: NodeJS.Timeout;
  private monitorAt = Infinity;
  private zoneTimer?: NodeJS.Timeout;
  private monitoring?: Promise<void>;
  private tainting?: Promise<void>;
  private stopWorkers?: () => Promise<void>;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    const o = ctx.options;
    this.periodMs = (o.nodeMonitorPeriodSeconds ?? DEFAULT_NODE_MONITOR_PERIOD_SECONDS) * 1000;
    this.graceMs = (o.nodeMonitorGracePeriodSeconds ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_SECONDS) * 1000;
    this.startupGraceMs = (o.nodeStartupGracePeriodSeconds ?? DEFAULT_NODE_STARTUP_GRACE_PERIOD_SECONDS) * 1000;
    this.recorder = ctx.recorder('node-controller');
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    // The cluster-wide informer, shared with the garbage collector (one watch and one decode per event), as upstream.
    this.leases = ctx.informers.informerFor<Lease>(LEASES);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.pods.addIndexer(NODE_NAME_INDEX, byNodeName);
    // A pod newly bound to a node known not to be Ready is marked not ready too (upstream processPod).
    const podBound = (old: Pod | undefined, pod: Pod) => {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || old?.spec?.nodeName === nodeName || !this.health.has(nodeName)) return;
      const node = this.nodes.store.get(nodeName);
      const ready = node && condition(node, 'Ready')?.status;
      if (ready && ready !== 'True') void this.markPodsNotReady(nodeName, [pod]).catch((err) => this.ctx.log(`node-lifecycle: ${errText(err)}`));
    };
    this.pods.addHandler({ onAdd: (p) => podBound(undefined, p), onUpdate: podBound });
    const enqueue = (n: Node) => this.noScheduleQueue.add(n.metadata.name ?? '');
    this.nodes.addHandler({
      onAdd: (n) => {
        enqueue(n);
        this.markDirty();
      },
      onUpdate: (_o, n) => {
        enqueue(n);
        this.markDirty();
      },
      onDelete: (n) => {
        this.health.delete(n.metadata.name ?? '');
        for (const q of this.zoneQueues.values()) q.delete(n.metadata.name ?? '');
        this.markDirty();
      },
    });
    this.leases.addHandler({ onAdd: (l) => this.leaseRenewed(l), onUpdate: (_o, l) => this.leaseRenewed(l) });
  }

  run(): void {
    this.stopWorkers = runWorkers(this.noScheduleQueue, 1, (name) => this.noScheduleTaintingPass(name), {
      onError: (key, err) => this.ctx.log(`node-lifecycle: taints of ${key}: ${errText(err)}`),
    });
    this.runMonitor();
  }

  // ---- when to monitor --------------------------------------------------------------------------------------
  //
  // monitorNodeHealth runs on the nodeMonitorPeriod grid (aligned-ticker.ts), as upstream's loop does, but only at
  // the instants where it can change something: after a node changed, or once some node's grace period has run
  // out. Lease renewals refresh probe timestamps as they arrive (leaseRenewed), so an idle, healthy cluster needs
  // no pass at all — the controller wakes only when a deadline that keeps moving away is reached.

  private markDirty(): void {
    this.dirty = true;
    this.scheduleMonitor();
  }

  private runMonitor(): void {
    if (this.monitoring || this.stopped) return;
    this.dirty = false;
    this.monitoring = this.monitorNodeHealth()
      .catch((err) => {
        this.dirty = true; // try again next period
        this.ctx.log(`node-lifecycle: monitoring node health: ${errText(err)}`);
      })
      .finally(() => {
        this.monitoring = undefined;
        this.scheduleMonitor();
      });
  }

  /** Arms the monitor timer for the first period instant after the next thing due (a change or a deadline). */
  private scheduleMonitor(): void {
    if (this.stopped || this.monitoring) return; // a running pass reschedules when it ends
    const now = this.ctx.now();
    const due = this.dirty ? now : this.earliestDeadline();
    const at = due === Infinity ? Infinity : nextGridInstant(Math.max(now, due), this.periodMs);
    if (this.monitorTimer && this.monitorAt === at) return;
    clearTimeout(this.monitorTimer);
    this.monitorTimer = undefined;
    this.monitorAt = at;
    if (at === Infinity) return;
    this.monitorTimer = setTimeout(() => {
      this.monitorTimer = undefined;
      this.monitorAt = Infinity;
      if (this.dirty || this.earliestDeadline() < this.ctx.now()) this.runMonitor();
      else this.scheduleMonitor(); // renewals moved every deadline on
    }, at - now);
  }

  /**
   * The earliest instant at which some node's silence exceeds its grace period (now for a node not yet seen);
   * nodes whose monitored conditions are all Unknown already cannot change further and are left out.
   */
  private earliestDeadline(): number {
    let earliest = Infinity;
    for (const node of this.nodes.store.list()) {
      const h = this.health.get(node.metadata.name ?? '');
      if (!h) return this.ctx.now();
      const conditions = node.status?.conditions ?? [];
      if (MONITORED_CONDITIONS.every((type) => conditions.some((c) => c.type === type && c.status === 'Unknown'))) continue;
      const grace = condition(node, 'Ready') ? this.graceMs : this.startupGraceMs;
      earliest = Math.min(earliest, h.probeTimestamp + grace);
    }
    return earliest;
  }

  /** A renewed node Lease is a sign of life: its node's probe timestamp moves to now (upstream tryUpdateNodeHealth). */
  private leaseRenewed(lease: Lease): void {
    if (lease.metadata.namespace !== NODE_LEASE_NAMESPACE) return;
    const h = this.health.get(lease.metadata.name ?? '');
    const renew = lease.spec?.renewTime;
    if (!h || !renew) return; // a node not monitored yet is judged at its first pass
    if (h.leaseRenewTime && Date.parse(renew) <= Date.parse(h.leaseRenewTime)) return;
    h.leaseRenewTime = renew;
    h.probeTimestamp = this.ctx.now();
  }

  /**
   * Runs doNoExecuteTaintingPass every ZONE_TAINT_PERIOD_MS while some node waits for its taint, as upstream's
   * nodeEvictionPeriod loop does; the timer stops when the queues are empty, so an idle cluster is not woken ten
   * times a second for nothing.
   */
  private armTainting(): void {
    if (this.zoneTimer || this.stopped) return;
    this.zoneTimer = setInterval(() => {
      if (this.tainting || this.stopped) return;
      if (![...this.zoneQueues.values()].some((q) => q.size > 0)) {
        clearInterval(this.zoneTimer);
        this.zoneTimer = undefined;
        return;
      }
      this.tainting = this.noExecuteTaintingPass()
        .catch((err) => this.ctx.log(`node-lifecycle: NoExecute tainting: ${errText(err)}`))
        .finally(() => (this.tainting = undefined));
    }, ZONE_TAINT_PERIOD_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.monitorTimer);
    clearInterval(this.zoneTimer);
    await Promise.all([this.stopWorkers?.(), this.monitoring, this.tainting]);
  }

  // ---- NoSchedule taints ------------------------------------------------------------------------------------

  private async noScheduleTaintingPass(name: string): Promise<void> {
    const cached = this.nodes.store.get(name);
    if (!cached) return;
    if (!reconcileNoScheduleTaints(cached, wantedNoScheduleTaints(cached), '')) return;
    await this.updateTaints(name, (node, now) => reconcileNoScheduleTaints(node, wantedNoScheduleTaints(node), now));
  }

  /** Read-modify-write of the node's taints with conflict retries; `change` returns undefined for no change. */
  private async updateTaints(name: string, change: (node: Node, now: string) => Taint[] | undefined): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let node: Node;
      try {
        node = await this.ctx.client.get<Node>(NODES, '', name);
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      const taints = change(node, rfc3339(this.ctx.now()));
      if (!taints) return;
      const updated = structuredClone(node);
      updated.spec = { ...(updated.spec ?? {}), taints };
      if (!taints.length) delete updated.spec.taints;
      try {
        await this.ctx.client.update<Node>(NODES, '', updated);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= 4) throw e;
      }
    }
  }

  // ---- health -----------------------------------------------------------------------------------------------

  private async monitorNodeHealth(): Promise<void> {
    const now = this.ctx.now();
    const zoneReady = new Map<string, (string | undefined)[]>();
    const nodes = this.nodes.store.list();
    for (const cached of nodes) {
      const name = cached.metadata.name ?? '';
      let node = cached;
      const observedReady = condition(node, 'Ready')?.status;
      try {
        node = (await this.tryUpdateNodeHealth(node, now)) ?? node;
      } catch (err) {
        this.ctx.log(`node-lifecycle: updating health of node ${name}: ${errText(err)}`);
        continue;
      }
      const currentReady = condition(node, 'Ready')?.status;
      const zone = zoneKey(node);
      zoneReady.set(zone, [...(zoneReady.get(zone) ?? []), currentReady]);
      if (currentReady === 'True') {
        this.dequeueForTaint(name);
        if (hasTaint(node, TAINT_NOT_READY, 'NoExecute') || hasTaint(node, TAINT_UNREACHABLE, 'NoExecute'))
          await this.updateTaints(name, (n, t) => swapNoExecuteTaints(n, [], [TAINT_NOT_READY, TAINT_UNREACHABLE], t)).catch((err) =>
            this.ctx.log(`node-lifecycle: removing NoExecute taints of ${name}: ${errText(err)}`));
      } else if (currentReady !== undefined) {
        const [want, other] = currentReady === 'False' ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
        if (hasTaint(node, other, 'NoExecute')) {
          // Already tainted the other way: swap right away (no new eviction decision, so not rate limited).
          await this.updateTaints(name, (n, t) => swapNoExecuteTaints(n, [want], [other], t)).catch((err) =>
            this.ctx.log(`node-lifecycle: swapping NoExecute taints of ${name}: ${errText(err)}`));
        } else if (!hasTaint(node, want, 'NoExecute')) this.enqueueForTaint(zone, name);
      }
      if (observedReady === 'True' && currentReady !== 'True') {
        this.recorder.event({ kind: 'Node', name, uid: name, apiVersion: 'v1' }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        await this.markPodsNotReady(name).catch((err) => this.ctx.log(`node-lifecycle: marking pods of ${name} not ready: ${errText(err)}`));
      }
    }
    this.handleDisruption(zoneReady, nodes, now);
  }

  /** Updates the node's conditions to Unknown if it has been silent too long; returns the node as written. */
  private async tryUpdateNodeHealth(node: Node, now: number): Promise<Node | undefined> {
    const name = node.metadata.name ?? '';
    const ready = condition(node, 'Ready') as NodeCondition | undefined;
    let h = this.health.get(name);
    if (!h) {
      // A node that never posted Ready is judged from its creation (startup grace), others from first sight.
      const created = Date.parse(node.metadata.creationTimestamp ?? '');
      const probeTimestamp = !ready && Number.isFinite(created) ? Math.min(created, now) : now;
      this.health.set(name, (h = { probeTimestamp, readyHeartbeat: ready?.lastHeartbeatTime }));
    }
    else if (ready?.lastHeartbeatTime !== h.readyHeartbeat) {
      h.readyHeartbeat = ready?.lastHeartbeatTime;
      h.probeTimestamp = now;
    }
    const renew = this.leases.store.getByName(NODE_LEASE_NAMESPACE, name)?.spec?.renewTime;
    if (renew && (!h.leaseRenewTime || Date.parse(renew) > Date.parse(h.leaseRenewTime))) {
      h.leaseRenewTime = renew;
      h.probeTimestamp = now;
    }
    const grace = ready ? this.graceMs : this.startupGraceMs;
    if (now <= h.probeTimestamp + grace) return undefined;
    const stamp = rfc3339(now);
    const conditions = structuredClone((node.status?.conditions ?? []) as NodeCondition[]);
    let changed = false;
    for (const type of MONITORED_CONDITIONS) {
      const c = conditions.find((x) => x.type === type);
      if (!c) {
        conditions.push({
          type,
          status: 'Unknown',
          reason: 'NodeStatusNeverUpdated',
          message: 'Kubelet never posted node status.',
          lastHeartbeatTime: node.metadata.creationTimestamp ?? stamp,
          lastTransitionTime: stamp,
        });
        changed = true;
      } else if (c.status !== 'Unknown') {
        Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: stamp });
        changed = true;
      }
    }
    if (!changed) return undefined;
    const updated = structuredClone(node);
    updated.status = { ...(updated.status ?? {}), conditions };
    try {
      return await this.ctx.client.update<Node>(NODES, '', updated, { subresource: 'status' });
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return undefined; // changed meanwhile: judged again next period
      throw e;
    }
  }

  /** MarkPodsNotReady: the Ready condition of every pod bound to the node becomes False. */
  private async markPodsNotReady(nodeName: string, pods = this.pods.store.byIndex(NODE_NAME_INDEX, nodeName)): Promise<void> {
    const stamp = rfc3339(this.ctx.now());
    for (const pod of pods) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const updated = structuredClone(pod);
      const c = updated.status!.conditions!.find((x) => x.type === 'Ready') as PodCondition;
      c.status = 'False';
      c.lastTransitionTime = stamp;
      try {
        await this.ctx.client.update<Pod>(PODS, pod.metadata.namespace ?? '', updated, { subresource: 'status' });
        const ref = { apiVersion: 'v1', kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
        this.recorder.event(ref, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
  }

  // ---- NoExecute taints through the zone limiters -------------------------------------------------------------

  private enqueueForTaint(zone: string, name: string): void {
    let q = this.zoneQueues.get(zone);
    if (!q) this.zoneQueues.set(zone, (q = new Set()));
    q.add(name);
    this.armTainting();
  }

  private dequeueForTaint(name: string): void {
    for (const q of this.zoneQueues.values()) q.delete(name);
  }

  private limiter(zone: string): TokenBucket {
    let l = this.zoneLimiters.get(zone);
    if (!l) this.zoneLimiters.set(zone, (l = new TokenBucket(zoneRate('Normal', 0), () => this.ctx.now())));
    return l;
  }

  /** doNoExecuteTaintingPass: taints queued nodes as their zone's limiter allows, rechecking each node first. */
  private async noExecuteTaintingPass(): Promise<void> {
    for (const [zone, q] of this.zoneQueues) {
      for (const name of [...q]) {
        if (!this.limiter(zone).tryAccept()) break;
        q.delete(name);
        const node = this.nodes.store.get(name);
        const ready = node && condition(node, 'Ready')?.status;
        if (!node || ready === undefined || ready === 'True') continue;
        const [want, other] = ready === 'False' ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
        await this.updateTaints(name, (n, t) => swapNoExecuteTaints(n, [want], [other], t)).catch((err) => {
          this.ctx.log(`node-lifecycle: tainting ${name}: ${errText(err)}`);
          q.add(name); // retried later
        });
      }
    }
  }

  /** handleDisruption: zone states, their limiter rates, and the all-zones-disrupted mode. */
  private handleDisruption(zoneReady: Map<string, (string | undefined)[]>, nodes: Node[], now: number): void {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, statuses] of zoneReady) {
      const state = computeZoneState(statuses);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneReady.has(zone)) {
        this.zoneStates.delete(zone);
        this.zoneLimiters.delete(zone);
        this.zoneQueues.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') allWasFullyDisrupted = false;
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      if (newStates.size) this.ctx.log('node-lifecycle: all nodes are not Ready; entering master disruption mode (no NoExecute taints)');
      for (const n of nodes) {
        const name = n.metadata.name ?? '';
        this.dequeueForTaint(name);
        if (hasTaint(n, TAINT_NOT_READY, 'NoExecute') || hasTaint(n, TAINT_UNREACHABLE, 'NoExecute'))
          void this.updateTaints(name, (x, t) => swapNoExecuteTaints(x, [], [TAINT_NOT_READY, TAINT_UNREACHABLE], t)).catch((err) =>
            this.ctx.log(`node-lifecycle: ${errText(err)}`));
      }
      for (const zone of this.zoneStates.keys()) {
        this.limiter(zone).setRate(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWasFullyDisrupted) {
      this.ctx.log('node-lifecycle: some nodes are Ready; exiting master disruption mode');
      // Nodes get a fresh grace period: their silence may have been ours.
      for (const h of this.health.values()) h.probeTimestamp = now;
    }
    for (const [zone, state] of newStates) {
      if (!allWasFullyDisrupted && this.zoneStates.get(zone) === state) continue;
      this.limiter(zone).setRate(zoneRate(state, zoneReady.get(zone)?.length ?? 0));
      this.zoneStates.set(zone, state);
    }
  }
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const nodeLifecycleControllerFactory: ControllerFactory = {
  name: 'node-lifecycle',
  create: (ctx) => new NodeLifecycleController(ctx),
};
