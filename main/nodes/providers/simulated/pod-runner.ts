/**
 * The pod side of every simulated kubelet, shared by all simulated nodes: fed by the pod informer, it keeps a
 * record per pod bound to a simulated node, one deadline per pod for its next lifecycle transition
 * (pod-lifecycle.ts) in a DueQueue (one clock timer for all pods), allocates the pod IP from the node's pod
 * CIDR when the sandbox is ready (released when the pod finishes or goes), writes status through a coalescing
 * write queue as merge patches of pods/status, and carries out deletions: Killing events, then — after
 * min(grace period, termination-seconds) — the final delete with gracePeriodSeconds 0 and a uid precondition,
 * as the kubelet does.
 *
 * Kubelet events go through KubeletEvents (per-node EventRecorders behind a rate cap).
 *
 * Pods on a Stopped node are frozen: no transitions, no writes, no deletions, until the node comes back.
 */
import type { Pod, PodCondition } from '../../../api/core/v1/pod-types.js';
import type { ObjectReference } from '../../../client/event-recorder.js';
import { isNotFound, objectKey, PODS, type KubeClient } from '../../../client/kube-client.js';
import type { PodIpPool } from './address-pool.js';
import type { Clock } from './clock.js';
import { DueQueue, type DueEntry } from './due-queue.js';
import type { KubeletEvents } from './kubelet-events.js';
import { adoptPodRun } from './pod-adopt.js';
import { advance, type ContainerRun, type PodRun } from './pod-lifecycle.js';
import { terminationSeconds } from './pod-plan.js';
import { podStatus } from './pod-status.js';
import type { WriteQueue } from './write-queue.js';

/** What the runner needs to know about a simulated node. */
export interface RunnerNode {
  name: string;
  hostIP: string;
  podIPs: PodIpPool;
  podStartSeconds: number;
  /** False while the node is Stopped. */
  running: boolean;
}

interface PodRecord {
  key: string;
  uid: string;
  node: string;
  pod: Pod;
  run: PodRun;
  podIP?: string;
  ipHeld: boolean;
  /** The pending deadline: the next transition ('step') or the end of the grace period ('finish'). */
  due?: DueEntry<PodRecord>;
  dueKind: 'step' | 'finish';
  terminating: boolean;
  /**
   * Conditions of our last status write until the pod informer shows them (then the cached pod is the
   * reference again and this copy is let go), so transition times stay stable across quick successive writes.
   */
  lastConditions?: PodCondition[];
  /** Status not yet sent for the current run state. */
  dirty: boolean;
}

export interface PodRunnerDeps {
  client: KubeClient;
  clock: Clock;
  events: KubeletEvents;
  writes: WriteQueue;
  node(name: string): RunnerNode | undefined;
  log(message: string): void;
}

const isTerminalPhase = (phase: string | undefined) => phase === 'Succeeded' || phase === 'Failed';

/** Whether the cached pod already carries the conditions we wrote (type, status and transition time each). */
function sameConditions(ours: PodCondition[], theirs: PodCondition[] | undefined): boolean {
  if (!theirs || theirs.length !== ours.length) return false;
  return ours.every((c, i) => {
    const t = theirs[i]!;
    return t.type === c.type && t.status === c.status && t.lastTransitionTime === c.lastTransitionTime;
  });
}

export class PodRunner {
  private readonly records = new Map<string, PodRecord>();
  private readonly byNode = new Map<string, Set<string>>();
  private readonly due: DueQueue<PodRecord>;
  private stopped = false;

  constructor(private readonly deps: PodRunnerDeps) {
    this.due = new DueQueue<PodRecord>(deps.clock, (rec) => {
      rec.due = undefined;
      if (rec.dueKind === 'step') this.step(rec);
      else void this.finishTermination(rec);
    });
  }

  get size(): number {
    return this.records.size;
  }

  /** A pod was added or changed (including echoes of our own status writes). */
  upsert(pod: Pod): void {
    if (this.stopped) return;
    const nodeName = pod.spec?.nodeName;
    const key = objectKey(pod);
    let rec = this.records.get(key);
    if (rec && rec.uid !== pod.metadata.uid) {
      this.forget(rec);
      rec = undefined;
    }
    const node = nodeName ? this.deps.node(nodeName) : undefined;
    if (!node || !nodeName) {
      if (rec) this.forget(rec);
      return;
    }
    if (!rec) {
      if (isTerminalPhase(pod.status?.phase)) return; // finished before we saw it (e.g. before a restart)
      rec = this.adopt(pod, node);
    }
    rec.pod = pod;
    if (rec.lastConditions && sameConditions(rec.lastConditions, pod.status?.conditions)) rec.lastConditions = undefined;
    if (!node.running) return;
    if (pod.metadata.deletionTimestamp) {
      if (!rec.terminating) this.beginTermination(rec);
      return;
    }
    if (!rec.due) this.step(rec);
  }

  remove(pod: Pod): void {
    const rec = this.records.get(objectKey(pod));
    if (rec && rec.uid === pod.metadata.uid) this.forget(rec);
  }

  /** The node's state changed (Stopped ↔ running): freeze or resume its pods. */
  nodeChanged(name: string): void {
    const node = this.deps.node(name);
    for (const key of [...(this.byNode.get(name) ?? [])]) {
      const rec = this.records.get(key)!;
      if (!node) {
        this.forget(rec);
        continue;
      }
      this.cancelDue(rec);
      if (node.running) this.upsert(rec.pod);
    }
  }

  /** Keys of the pods the runner tracks on a node. */
  podsOn(name: string): Pod[] {
    return [...(this.byNode.get(name) ?? [])].map((k) => this.records.get(k)!.pod);
  }

  stop(): void {
    this.stopped = true;
    this.due.stop();
  }

  private adopt(pod: Pod, node: RunnerNode): PodRecord {
    const now = this.deps.clock.now();
    const run = adoptPodRun(pod, now, node.podStartSeconds);
    const rec: PodRecord = {
      key: objectKey(pod),
      uid: pod.metadata.uid ?? '',
      node: node.name,
      pod,
      run,
      ipHeld: false,
      terminating: false,
      dueKind: 'step',
      dirty: run.phase !== 'Running', // an adopted running pod's status is already right
    };
    if (run.sandboxReady && pod.status?.podIP) {
      rec.podIP = pod.status.podIP;
      node.podIPs.reserve(rec.podIP);
      rec.ipHeld = true;
    }
    this.records.set(rec.key, rec);
    let set = this.byNode.get(node.name);
    if (!set) this.byNode.set(node.name, (set = new Set()));
    set.add(rec.key);
    return rec;
  }

  private forget(rec: PodRecord): void {
    this.cancelDue(rec);
    this.releaseIP(rec);
    this.records.delete(rec.key);
    this.byNode.get(rec.node)?.delete(rec.key);
    this.deps.writes.cancel(rec.key);
  }

  private releaseIP(rec: PodRecord): void {
    if (!rec.ipHeld || !rec.podIP) return;
    this.deps.node(rec.node)?.podIPs.release(rec.podIP);
    rec.ipHeld = false;
  }

  private setDue(rec: PodRecord, at: number, kind: PodRecord['dueKind']): void {
    this.due.cancel(rec.due);
    rec.dueKind = kind;
    rec.due = this.due.add(at, rec);
  }

  private cancelDue(rec: PodRecord): void {
    this.due.cancel(rec.due);
    rec.due = undefined;
  }

  private step(rec: PodRecord): void {
    const node = this.deps.node(rec.node);
    if (!node || !node.running || rec.terminating || this.stopped) return;
    const now = this.deps.clock.now();
    const result = advance(rec.run, rec.pod, now);
    if (rec.run.sandboxReady && !rec.podIP && rec.pod.spec.hostNetwork) {
      rec.podIP = node.hostIP; // host-network pods share the node's address; nothing to allocate
    } else if (rec.run.sandboxReady && !rec.podIP) {
      rec.podIP = node.podIPs.allocate();
      rec.ipHeld = rec.podIP !== undefined;
      if (!rec.podIP) this.deps.log(`simulated node ${node.name}: pod CIDR exhausted; ${rec.key} runs without an IP`);
    }
    if (isTerminalPhase(rec.run.phase)) this.releaseIP(rec);
    for (const e of result.events) this.event(rec, e.type, e.reason, e.message, e.container);
    if (result.changed) rec.dirty = true;
    if (rec.dirty) this.writeStatus(rec);
    if (result.nextAt !== undefined) {
      this.setDue(rec, result.nextAt, 'step');
    }
  }

  private writeStatus(rec: PodRecord): void {
    const { client, writes, clock } = this.deps;
    writes.enqueue(rec.key, async () => {
      if (this.records.get(rec.key) !== rec || rec.terminating) return;
      const node = this.deps.node(rec.node);
      if (!node) return;
      const status = podStatus(rec.run, rec.pod, { hostIP: node.hostIP, podIP: rec.podIP }, clock.now(), rec.lastConditions);
      rec.lastConditions = status.conditions;
      rec.dirty = false;
      try {
        await client.patch(PODS, rec.pod.metadata.namespace ?? '', rec.pod.metadata.name ?? '', 'merge', { status }, { subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }

  private beginTermination(rec: PodRecord): void {
    rec.terminating = true;
    this.deps.writes.cancel(rec.key);
    for (const c of rec.run.containers)
      if (c.state === 'running') this.event(rec, 'Normal', 'Killing', `Stopping container ${c.name}`, c);
    const delay = terminationSeconds(rec.pod) * 1000;
    this.setDue(rec, this.deps.clock.now() + delay, 'finish');
  }

  private async finishTermination(rec: PodRecord): Promise<void> {
    const node = this.deps.node(rec.node);
    if (this.records.get(rec.key) !== rec || this.stopped || !node?.running) {
      rec.terminating = false; // a node that stopped meanwhile finishes the job when it comes back
      return;
    }
    this.releaseIP(rec);
    const { namespace = '', name = '' } = rec.pod.metadata;
    try {
      await this.deps.client.delete(PODS, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
    } catch (err) {
      if (isNotFound(err) || this.records.get(rec.key) !== rec) return;
      this.deps.log(`simulated node ${rec.node}: deleting pod ${rec.key} failed: ${String(err)}; retrying`);
      this.setDue(rec, this.deps.clock.now() + 1000, 'finish');
    }
  }

  private event(rec: PodRecord, type: 'Normal' | 'Warning', reason: string, message: string, c?: ContainerRun): void {
    const { name = '', namespace = '', uid = '', resourceVersion } = rec.pod.metadata;
    const ref: ObjectReference = { kind: 'Pod', namespace, name, uid, apiVersion: 'v1' };
    if (resourceVersion) ref.resourceVersion = resourceVersion;
    if (c) ref.fieldPath = `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}`;
    this.deps.events.record(rec.node, ref, type, reason, message);
  }
}
