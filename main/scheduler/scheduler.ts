/**
 * The scheduler (pkg/scheduler): informers feed the cache and the queue; one loop pops a pod, runs its
 * profile's scheduling cycle against a fresh snapshot, assumes the pod onto the chosen node and binds it
 * asynchronously (pods/binding), so the next pod is scheduled while the binding is in flight.
 * Failures: FailedScheduling Warning event with upstream's message, PodScheduled=False (reason Unschedulable
 * or SchedulerError) with that message, nominatedNodeName from preemption, and requeue (unschedulablePods
 * or backoff). Every attempt is recorded in the DecisionStore. Pods whose schedulerName no profile serves are
 * ignored and stay Pending.
 */
import type { Node } from '../api/core/v1/node.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { KObject } from '../api/meta/object.js';
import { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { NODES, PODS, PVCS, PVS, STORAGECLASSES, isNotFound, type KubeClient } from '../client/kube-client.js';
import type { SharedInformerFactory } from '../client/shared-informer-factory.js';
import { DefaultBinder } from './builtin/default-binder.js';
import { SchedulerCache } from './cache/scheduler-cache.js';
import {
  ASSIGNED_POD_ADD, ASSIGNED_POD_DELETE, NODE_ADD, NODE_DELETE, assignedPodUpdateEvent, isAssigned, isTerminal, nodeUpdateEvent,
} from './cluster-events.js';
import { DecisionStore } from './decisions/decision-store.js';
import { FitError } from './fit-error.js';
import { ActionType, type ClusterEvent } from './framework/events.js';
import { PodInfo, podKey } from './framework/pod-info.js';
import { DEFAULT_SCHEDULER_NAME, defaultProfile, type ProfileConfig } from './framework/profile-config.js';
import { Snapshot } from './framework/snapshot.js';
import { Code } from './framework/status.js';
import type { PluginListers, PluginRegistry } from './framework/types.js';
import { SchedulerMetrics } from './metrics.js';
import { createPluginContext, emptyListers, informerListers } from './plugin-context.js';
import { DefaultPreemption } from './preemption/default-preemption.js';
import type { QueuedPodInfo } from './queue/scheduling-queue.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { FrameworkRuntime } from './runtime/framework-runtime.js';
import { ScheduleAlgorithm, type ScheduleResult } from './schedule-algorithm.js';
import { everyAligned, type Ticker } from '../timing/aligned-ticker.js';

export interface SchedulerOptions {
  client: KubeClient;
  informers: SharedInformerFactory;
  /** Plugin factories by name (the in-tree plugins); DefaultBinder and DefaultPreemption are built in. */
  registry?: PluginRegistry;
  /** Defaults to [upstream's default profile]. */
  profiles?: ProfileConfig[];
  percentageOfNodesToScore?: number;
  decisions?: DecisionStore;
  metrics?: SchedulerMetrics;
  now?: () => number;
  random?: () => number;
  log?: (m: string) => void;
  /** Queue tuning (tests). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

const MAX_MESSAGE = 1024;
/** truncateMessage: events carry at most 1024 characters. */
function truncate(msg: string): string {
  const suffix = ' ...';
  return msg.length <= MAX_MESSAGE ? msg : msg.slice(0, MAX_MESSAGE - suffix.length) + suffix;
}

interface Profile {
  config: ProfileConfig;
  fwk: FrameworkRuntime;
  recorder: EventRecorder;
  preemption?: DefaultPreemption;
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly decisions: DecisionStore;
  readonly metrics: SchedulerMetrics;
  readonly profiles = new Map<string, Profile>();
  private readonly snapshot = new Snapshot();
  private readonly algorithm: ScheduleAlgorithm;
  private readonly now: () => number;
  private readonly log: (m: string) => void;
  private readonly listers: PluginListers;
  private podInformer?: Informer<Pod>;
  private disposers: (() => void)[] = [];
  private running = false;
  private backoffFlush?: Ticker;
  private leftoverFlush?: Ticker;
  private loopDone?: Promise<void>;
  private inFlightBindings = new Set<Promise<void>>();
  /** When each pod was first seen by the queue, for end-to-end latency. */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly opts: SchedulerOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? ((m) => console.error(m));
    this.decisions = opts.decisions ?? new DecisionStore();
    this.metrics = opts.metrics ?? new SchedulerMetrics();
    this.algorithm = new ScheduleAlgorithm({ percentageOfNodesToScore: opts.percentageOfNodesToScore, random: opts.random });
    this.listers = opts.informers ? informerListers(opts.informers) : emptyListers();
    this.queue = new SchedulingQueue({
      now: this.now,
      initialBackoffMs: opts.initialBackoffMs,
      maxBackoffMs: opts.maxBackoffMs,
      preEnqueue: (pod) => this.profileOf(pod)?.fwk.runPreEnqueue(pod) ?? null,
      hintsFor: (name) => this.hints.get(name) ?? new Map(),
      onBackoff: () => this.armBackoffFlush(),
    });
    for (const cfg of opts.profiles ?? [defaultProfile()]) this.addProfile(cfg, !opts.profiles);
    this.hints = new Map([...this.profiles].map(([n, p]) => [n, p.fwk.enqueueHints()]));
  }

  private readonly hints: Map<string, ReturnType<FrameworkRuntime['enqueueHints']>>;

  private addProfile(config: ProfileConfig, isDefault: boolean): void {
    const ctx = createPluginContext({
      schedulerName: config.schedulerName,
      listers: this.listers,
      snapshot: () => this.snapshot,
      nominatedPodsForNode: (n) => this.queue.nominator.podsForNode(n),
      hasNominatedPods: () => this.queue.nominator.size > 0,
      now: this.now,
      log: this.log,
    });
    const recorder = new EventRecorder(this.opts.client, { component: config.schedulerName, log: this.log });
    let preemption: DefaultPreemption | undefined;
    const registry: PluginRegistry = {
      ...(this.opts.registry ?? {}),
      DefaultBinder: () => new DefaultBinder(this.opts.client),
      DefaultPreemption: (args) => {
        preemption = new DefaultPreemption(ctx, {
          framework: () => this.profiles.get(config.schedulerName)!.fwk,
          preemptVictim: (victim, preemptor, node) => this.preemptVictim(recorder, config.schedulerName, victim, preemptor, node),
          clearNominatedNodeName: (pod) => this.patchStatus(pod, { nominatedNodeName: null }),
          random: this.opts.random,
          now: this.now,
        }, (args ?? {}) as object);
        return preemption;
      },
    };
    let cfg = config;
    if (isDefault) {
      // The default profile uses the plugins that exist; an explicit profile naming a missing plugin is an error.
      const multi = (config.plugins.multiPoint ?? []).filter((r) => registry[r.name]);
      const missing = (config.plugins.multiPoint ?? []).filter((r) => !registry[r.name]).map((r) => r.name);
      if (missing.length) this.log(`scheduler: default profile without unavailable plugins: ${missing.join(', ')}`);
      cfg = { ...config, plugins: { ...config.plugins, multiPoint: multi } };
    }
    const fwk = new FrameworkRuntime(cfg, registry, ctx);
    ctx.bind(fwk);
    this.profiles.set(config.schedulerName, { config: cfg, fwk, recorder, preemption });
  }

  private profileOf(pod: Pod): Profile | undefined {
    return this.profiles.get(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  /** Whether some profile serves this pod (others are ignored and stay Pending). */
  responsibleFor(pod: Pod): boolean {
    return this.profileOf(pod) !== undefined;
  }

  // ---- informer wiring ----------------------------------------------------------------------------------

  /** Subscribes to the informers, waits for their sync, and starts the scheduling loop. */
  async start(): Promise<void> {
    const f = this.opts.informers;
    const nodes = f.informerFor<Node>(NODES);
    const pods = f.informerFor<Pod>(PODS);
    this.podInformer = pods;
    for (const r of [PVCS, PVS, STORAGECLASSES]) {
      const inf = f.informerFor<KObject>(r);
      const kind = r === PVCS ? 'PersistentVolumeClaim' : r === PVS ? 'PersistentVolume' : 'StorageClass';
      this.disposers.push(inf.addHandler({
        onAdd: (o) => this.event({ resource: kind, actionType: ActionType.Add, label: `${kind}Add` }, undefined, o),
        onUpdate: (a, b) => this.event({ resource: kind, actionType: ActionType.UpdateOther, label: `${kind}Update` }, a, b),
      }));
    }
    this.informerListersReady();
    this.disposers.push(nodes.addHandler({
      onAdd: (n) => this.onNodeAdd(n),
      onUpdate: (a, b) => this.onNodeUpdate(a, b),
      onDelete: (n) => this.onNodeDelete(n),
    }));
    this.disposers.push(pods.addHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (a, b) => this.onPodUpdate(a, b),
      onDelete: (p) => this.onPodDelete(p),
    }));
    f.start();
    await f.waitForSync();
    this.running = true;
    this.armBackoffFlush();
    this.leftoverFlush = everyAligned(30_000, () => this.queue.flushUnschedulableLeftover());
    this.loopDone = this.loop();
  }

  /** Touch every lister's informer so factory.start() starts them. */
  private informerListersReady(): void {
    for (const l of Object.values(this.listers)) l.list('__none__');
  }

  private event(ev: ClusterEvent, oldObj?: KObject, newObj?: KObject): void {
    this.queue.onClusterEvent(ev, oldObj, newObj);
  }

  onNodeAdd(n: Node): void {
    this.cache.addOrUpdateNode(n);
    this.event(NODE_ADD, undefined, n);
  }

  onNodeUpdate(a: Node, b: Node): void {
    const ev = nodeUpdateEvent(a, b);
    if (!ev && a.metadata.resourceVersion === b.metadata.resourceVersion) return;
    this.cache.addOrUpdateNode(b);
    if (ev) this.event(ev, a, b);
  }

  onNodeDelete(n: Node): void {
    this.cache.removeNode(n);
    this.event(NODE_DELETE, n, undefined);
  }

  onPodAdd(p: Pod): void {
    if (isAssigned(p)) {
      if (isTerminal(p)) return;
      this.cache.addPod(p);
      this.event(ASSIGNED_POD_ADD, undefined, p);
      return;
    }
    if (isTerminal(p) || !this.responsibleFor(p)) return;
    this.firstSeen.set(podKey(p), this.now());
    this.queue.add(p);
  }

  onPodUpdate(a: Pod, b: Pod): void {
    if (isAssigned(b)) {
      if (!isAssigned(a)) {
        // Bound (by us or another scheduler): leaves the queue, confirms the assumed pod.
        this.queue.delete(b);
        if (!isTerminal(b)) this.cache.addPod(b);
        this.event(ASSIGNED_POD_ADD, undefined, b);
        return;
      }
      if (isTerminal(b)) {
        if (!isTerminal(a)) {
          this.cache.removePod(a);
          this.event(ASSIGNED_POD_DELETE, a, undefined);
        }
        return;
      }
      this.cache.updatePod(a, b);
      const ev = assignedPodUpdateEvent(a, b);
      if (ev) this.event(ev, a, b);
      return;
    }
    if (isTerminal(b) || !this.responsibleFor(b)) {
      this.queue.delete(b);
      return;
    }
    this.queue.update(a, b);
  }

  onPodDelete(p: Pod): void {
    if (isAssigned(p)) {
      this.cache.removePod(p);
      this.event(ASSIGNED_POD_DELETE, p, undefined);
      return;
    }
    this.queue.delete(p);
    this.firstSeen.delete(podKey(p));
  }

  // ---- the loop -----------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    let lastYield = performance.now();
    while (this.running) {
      const q = await this.queue.pop();
      if (!q) break;
      try {
        await this.scheduleOne(q);
      } catch (e) {
        this.log(`scheduler: ${podKey(q.podInfo.pod)}: ${(e as Error).stack ?? e}`);
        this.queue.done(q.podInfo.pod);
      }
      // Popping is a microtask: give I/O (binding responses, informer events) a turn regularly.
      if (performance.now() - lastYield > 4) {
        await new Promise<void>((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
  }

  /** One scheduling cycle for a popped pod (exposed for tests). */
  async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const pi = q.podInfo;
    const pod = pi.pod;
    const profile = this.profileOf(pod);
    if (!profile || pod.metadata.deletionTimestamp || this.cache.isAssumed(pod)) {
      this.queue.done(pod);
      return;
    }
    const fwk = profile.fwk;
    const started = this.now();
    const t0 = performance.now();
    this.cache.updateSnapshot(this.snapshot);
    const state = fwk.newCycleState();
    let result: ScheduleResult;
    try {
      result = this.algorithm.schedulePod(fwk, state, pi, this.snapshot);
    } catch (err) {
      let nominatedNodeName: string | undefined;
      let victims: string[] | undefined;
      if (err instanceof FitError && fwk.postFilterPlugins.length) {
        this.metrics.preemptionAttempts++;
        const out = await fwk.runPostFilter(state, pi, err.diagnosis.nodeToStatus);
        if (out.status && out.status.code !== Code.Success) err.diagnosis.postFilterMsg = out.status.message();
        nominatedNodeName = out.result?.nominatedNodeName;
        if (out.status === null || out.status.code === Code.Success) {
          victims = profile.preemption?.lastVictims.get(pi.uid);
          profile.preemption?.lastVictims.delete(pi.uid);
          this.metrics.preemptionVictims += victims?.length ?? 0;
        }
      }
      const ms = performance.now() - t0;
      this.metrics.attemptLatency.observe(ms);
      this.recordFailure(profile, q, err as Error, started, ms, nominatedNodeName, victims);
      return;
    }

    const host = result.suggestedHost;
    const assumedInfo = pi.assumedOn(host);
    const assumed = assumedInfo.pod;
    this.cache.assumePod(assumed, assumedInfo);
    const reserve = fwk.runReserve(state, assumedInfo, host);
    const ms = performance.now() - t0;
    this.metrics.attemptLatency.observe(ms);
    if (reserve) {
      fwk.runUnreserve(state, assumedInfo, host);
      this.cache.forgetPod(assumed);
      this.recordFailure(profile, q, new Error(`running Reserve plugin "${reserve.plugin}": ${reserve.message()}`), started, ms);
      return;
    }
    this.decisions.record({
      pod, schedulerName: profile.config.schedulerName, attempt: q.attempts, startedAt: started, durationMs: ms, result: 'Binding',
      node: host, numAllNodes: this.snapshot.numNodes(), evaluatedNodes: result.evaluatedNodes, feasibleNodes: result.feasibleNodes,
      diagnosis: result.diagnosis, scoreTable: result.scoreTable,
    });
    this.queue.done(pod);
    const binding = this.bindingCycle(profile, q, state, assumedInfo, host).finally(() => this.inFlightBindings.delete(binding));
    this.inFlightBindings.add(binding);
  }

  private async bindingCycle(profile: Profile, q: QueuedPodInfo, state: ReturnType<FrameworkRuntime['newCycleState']>, pi: PodInfo, host: string): Promise<void> {
    const fwk = profile.fwk;
    const pod = q.podInfo.pod;
    let status = await fwk.runPreBind(state, pi, host);
    if (!status) status = await fwk.runBind(state, pi, host);
    if (status) {
      fwk.runUnreserve(state, pi, host);
      this.cache.forgetPod(pi.pod);
      this.metrics.bindingFailures++;
      // The assumed pod's room is free again: pods waiting for it may fit now.
      this.event(ASSIGNED_POD_DELETE, pi.pod, undefined);
      const msg = `Binding rejected: ${status.message()}`;
      this.decisions.updateLatest(pod, { result: 'Error', message: msg });
      if (!this.stillPending(pod)) return;
      q.unschedulablePlugins = new Set();
      q.pendingPlugins = new Set();
      this.queue.addUnschedulable(q);
      profile.recorder.event(pod, 'Warning', 'FailedScheduling', truncate(msg));
      return;
    }
    this.cache.finishBinding(pi.pod);
    this.metrics.scheduled++;
    const now = this.now();
    this.metrics.lastBindAt = now;
    const first = this.firstSeen.get(q.podInfo.key);
    if (first !== undefined) {
      this.metrics.e2eLatency.observe(now - first);
      this.firstSeen.delete(q.podInfo.key);
    }
    this.decisions.updateLatest(pod, { result: 'Scheduled' });
    profile.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${host}`);
    fwk.runPostBind(state, pi, host);
  }

  /** The pod still exists, unbound, with the same uid (else a failed attempt is not requeued). */
  private stillPending(pod: Pod): boolean {
    const cur = this.podInformer?.store.getByName(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!this.podInformer) return true;
    return !!cur && cur.metadata.uid === pod.metadata.uid && !isAssigned(cur);
  }

  /** handleSchedulingFailure: record, event, requeue, PodScheduled=False and nominatedNodeName. */
  private recordFailure(
    profile: Profile, q: QueuedPodInfo, err: Error, started: number, ms: number, nominatedNodeName?: string, victims?: string[],
  ): void {
    const pod = q.podInfo.pod;
    const fit = err instanceof FitError ? err : undefined;
    const reason = fit ? 'Unschedulable' : 'SchedulerError';
    const msg = truncate(err.message);
    if (fit) this.metrics.unschedulable++;
    else this.metrics.errors++;
    this.decisions.record({
      pod, schedulerName: profile.config.schedulerName, attempt: q.attempts, startedAt: started, durationMs: ms,
      result: fit ? 'Unschedulable' : 'Error', message: msg, nominatedNodeName, victims,
      numAllNodes: this.snapshot.numNodes(), evaluatedNodes: fit ? fit.diagnosis.nodeToStatus.size : 0, feasibleNodes: 0,
      diagnosis: fit?.diagnosis,
    });
    q.unschedulablePlugins = fit ? new Set(fit.diagnosis.unschedulablePlugins) : new Set();
    q.pendingPlugins = fit ? new Set(fit.diagnosis.pendingPlugins) : new Set();
    if (!this.stillPending(pod)) {
      this.queue.done(pod);
      return;
    }
    if (nominatedNodeName) this.queue.nominator.add(q.podInfo, nominatedNodeName);
    else if (nominatedNodeName === '') this.queue.nominator.delete(pod);
    this.queue.addUnschedulable(q);
    profile.recorder.event(pod, 'Warning', 'FailedScheduling', msg);
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    const nnnChanged = nominatedNodeName !== undefined && nominatedNodeName !== (pod.status?.nominatedNodeName ?? '');
    if (cond && cond.status === 'False' && cond.reason === reason && cond.message === msg && !nnnChanged) return;
    const patch: Record<string, unknown> = {
      conditions: [{ type: 'PodScheduled', status: 'False', reason, message: msg, lastProbeTime: null, lastTransitionTime: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') }],
    };
    if (nnnChanged) patch.nominatedNodeName = nominatedNodeName || null;
    void this.patchStatus(pod, patch);
  }

  private async patchStatus(pod: Pod, status: Record<string, unknown>): Promise<void> {
    try {
      await this.opts.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'strategic', { status }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) this.log(`scheduler: status of ${podKey(pod)}: ${(e as Error).message}`);
    }
  }

  /** Deletes a preemption victim after marking it DisruptionTarget; records "Preempted" on it. */
  private async preemptVictim(recorder: EventRecorder, schedulerName: string, victim: Pod, preemptor: Pod, node: string): Promise<void> {
    const ns = victim.metadata.namespace ?? '';
    const name = victim.metadata.name ?? '';
    await this.patchStatus(victim, {
      conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastTransitionTime: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') }],
    });
    try {
      await this.opts.client.delete(PODS, ns, name, { preconditions: victim.metadata.uid ? { uid: victim.metadata.uid } : undefined });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    recorder.event(victim, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata.uid} on node ${node}`, preemptor);
  }

  /**
   * flushBackoffCompleted every second, as upstream, but only while backoffQ holds pods: an idle scheduler
   * arms no timer at all.
   */
  private armBackoffFlush(): void {
    if (this.backoffFlush || !this.running || !this.queue.hasBackoff()) return;
    this.backoffFlush = everyAligned(1000, () => {
      this.queue.flushBackoffCompleted();
      if (this.queue.hasBackoff() && this.running) return;
      this.backoffFlush?.stop();
      this.backoffFlush = undefined;
    });
  }

  /** Stops the loop, timers and handlers; waits for in-flight bindings. Informers belong to the factory's owner. */
  async stop(): Promise<void> {
    this.running = false;
    this.queue.close();
    this.backoffFlush?.stop();
    this.leftoverFlush?.stop();
    for (const d of this.disposers.splice(0)) d();
    await this.loopDone;
    await Promise.allSettled([...this.inFlightBindings]);
    for (const p of this.profiles.values()) {
      await p.recorder.flush().catch(() => {});
      p.recorder.stop();
    }
  }

  isRunning(): boolean {
    return this.running;
  }
}
