/**
 * NodeInfo: one node plus the aggregate of the pods on it (framework.NodeInfo). The cache owns and mutates
 * NodeInfos; each mutation bumps `generation` so the snapshot copies only what changed. Plugins receive
 * snapshot copies and must treat them as read-only (preemption works on clone()s).
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { HostPortInfo, podHostPorts } from './host-ports.js';
import { PodInfo, podKey } from './pod-info.js';
import { Resource } from './resource.js';

/** An image present on a node: its size and on how many nodes it is present (ImageStateSummary). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

let generationCounter = 0;
/** Monotonic generation numbers shared by all NodeInfos (nextGeneration). */
export function nextGeneration(): number {
  return ++generationCounter;
}

export class NodeInfo {
  node: Node | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' effective requests. */
  requested = new Resource();
  /** Sum of the pods' non-zero requests (cpu/memory defaults applied), for scoring. */
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  /** Images on this node keyed by every name it reports (normalized names as reported). */
  imageStates = new Map<string, ImageStateSummary>();
  /** "namespace/claimName" → number of pods on this node using the PVC. */
  pvcRefCounts = new Map<string, number>();
  generation = nextGeneration();
  /**
   * Derived, read-only: allocatable minus requested (pods: allowed minus present), kept up to date by
   * setNode/addPod/removePod. NodeResourcesFit's Filter reads these plain fields for every pod × node
   * instead of walking two Resource objects.
   */
  freePods = 0;
  freeMilliCPU = 0;
  freeMemory = 0;
  freeEphemeralStorage = 0;

  constructor(node?: Node, ...pods: Pod[]) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(new PodInfo(p));
  }

  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = Resource.fromList(node.status?.allocatable);
    this.refreshFree();
    this.generation = nextGeneration();
  }

  removeNode(): void {
    this.node = undefined;
    this.generation = nextGeneration();
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity()) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinityTerms.length) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /** Removes the pod with the same uid (or key when uid is empty); false when absent. */
  removePod(pod: Pod): boolean {
    const uid = pod.metadata.uid;
    const key = podKey(pod);
    const match = (p: PodInfo) => (uid ? p.uid === uid : p.key === key);
    const i = this.pods.findIndex(match);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods[i] = this.pods[this.pods.length - 1]!;
    this.pods.pop();
    for (const list of [this.podsWithAffinity, this.podsWithRequiredAntiAffinity]) {
      const j = list.findIndex(match);
      if (j >= 0) {
        list[j] = list[list.length - 1]!;
        list.pop();
      }
    }
    this.update(pi, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    const nz = pi.nonZeroRequests;
    this.nonZeroRequested.milliCPU += sign * nz.milliCPU;
    this.nonZeroRequested.memory += sign * nz.memory;
    for (const p of podHostPorts(pi.pod)) {
      if (sign > 0) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort!);
      else this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort!);
    }
    const ns = pi.pod.metadata.namespace ?? '';
    for (const v of pi.pod.spec?.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pi.pod.metadata.name}-${v.name}` : undefined);
      if (!claim) continue;
      const k = `${ns}/${claim}`;
      const n = (this.pvcRefCounts.get(k) ?? 0) + sign;
      if (n > 0) this.pvcRefCounts.set(k, n);
      else this.pvcRefCounts.delete(k);
    }
    this.refreshFree();
    this.generation = nextGeneration();
  }

  private refreshFree(): void {
    const a = this.allocatable;
    const r = this.requested;
    this.freePods = a.allowedPodNumber - this.pods.length;
    this.freeMilliCPU = a.milliCPU - r.milliCPU;
    this.freeMemory = a.memory - r.memory;
    this.freeEphemeralStorage = a.ephemeralStorage - r.ephemeralStorage;
  }

  /** A copy that can be mutated independently (preemption simulations, snapshots). PodInfos are shared. */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable.clone();
    c.imageStates = this.imageStates;
    c.pvcRefCounts = new Map(this.pvcRefCounts);
    c.generation = this.generation;
    c.freePods = this.freePods;
    c.freeMilliCPU = this.freeMilliCPU;
    c.freeMemory = this.freeMemory;
    c.freeEphemeralStorage = this.freeEphemeralStorage;
    return c;
  }
}
