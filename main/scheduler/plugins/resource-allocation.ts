/**
 * The resource-allocation scorer shared by NodeResourcesFit's scoring strategies and
 * NodeResourcesBalancedAllocation (noderesources.resourceAllocationScorer): per configured resource it takes
 * the node's allocatable and "requested after placing the pod", skipping resources the node does not
 * have and extended resources the pod does not ask for, and folds them with a strategy function.
 * Requests are the non-zero ones (cpu 100m / memory 200Mi per container without requests) unless
 * `useRequested` says to use the exact requests.
 */
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo } from '../framework/types.js';
import { isScalarResourceName, RESOURCE_CPU, RESOURCE_EPHEMERAL_STORAGE, RESOURCE_MEMORY } from '../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: ResourceSpec[] = [
  { name: RESOURCE_CPU, weight: 1 },
  { name: RESOURCE_MEMORY, weight: 1 },
];

/** (requested[], allocatable[]) → score in [0, MAX_NODE_SCORE]; allocatable 0 marks a skipped resource. */
export type ResourceScorerFn = (requested: number[], allocatable: number[]) => number;

export interface ResourceAllocationScorer {
  resources: ResourceSpec[];
  useRequested: boolean;
  scorer: ResourceScorerFn;
  /** Scratch arrays reused by scoreAllocation (Score is synchronous; scorer functions keep no reference). */
  scratch?: { requested: number[]; allocatable: number[] };
  /**
   * Set by withCpuMemoryFastPath when `resources` are exactly [cpu, memory] and `scorer` is the least-allocated
   * or balanced strategy over them: scoreAllocation then computes the same integers inline (no scratch arrays,
   * no strategy call). Absent = the generic path.
   */
  cpuMemory?: 'least' | 'balanced';
}

/**
 * Marks `s` for scoreAllocation's inline [cpu, memory] path when its resources allow it. `strategy` names the
 * function `s.scorer` was built with (leastAllocatedScorer(s.resources) or balancedResourceScorer).
 */
export function withCpuMemoryFastPath(s: ResourceAllocationScorer, strategy: 'least' | 'balanced'): ResourceAllocationScorer {
  const r = s.resources;
  if (r.length === 2 && r[0]!.name === RESOURCE_CPU && r[1]!.name === RESOURCE_MEMORY) s.cpuMemory = strategy;
  return s;
}

/** The pod's request for each configured resource (calculatePodResourceRequestList). */
export function podRequestList(pi: PodInfo, resources: ResourceSpec[], useRequested: boolean): number[] {
  const req = useRequested ? pi.requests : pi.nonZeroRequests;
  return resources.map((r) => req.get(r.name));
}

/** calculateResourceAllocatableRequest: [allocatable, requested-with-pod]; [0, 0] means "skip this resource". */
export function allocatableAndRequested(nodeInfo: NodeInfo, name: string, podRequest: number, useRequested: boolean): [number, number] {
  const requested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  if (podRequest === 0 && isScalarResourceName(name)) return [0, 0];
  switch (name) {
    case RESOURCE_CPU:
      return [nodeInfo.allocatable.milliCPU, requested.milliCPU + podRequest];
    case RESOURCE_MEMORY:
      return [nodeInfo.allocatable.memory, requested.memory + podRequest];
    case RESOURCE_EPHEMERAL_STORAGE:
      return [nodeInfo.allocatable.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default:
      if (nodeInfo.allocatable.scalarResources?.has(name)) {
        return [nodeInfo.allocatable.scalarResources.get(name)!, (nodeInfo.requested.scalarResources?.get(name) ?? 0) + podRequest];
      }
      return [0, 0];
  }
}

/**
 * Per-node score (runs for every pod × feasible node): fills the scorer's scratch arrays in place — the
 * same numbers allocatableAndRequested gives, without a tuple or array per call — and applies the strategy.
 */
export function scoreAllocation(s: ResourceAllocationScorer, nodeInfo: NodeInfo, podRequests: number[]): number {
  if (s.cpuMemory !== undefined) return scoreCpuMemory(s, nodeInfo, podRequests[0]!, podRequests[1]!);
  const resources = s.resources;
  const n = resources.length;
  const scratch = (s.scratch ??= { requested: new Array<number>(n).fill(0), allocatable: new Array<number>(n).fill(0) });
  const requested = scratch.requested;
  const allocatable = scratch.allocatable;
  const used = s.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  const alloc = nodeInfo.allocatable;
  for (let i = 0; i < n; i++) {
    const name = resources[i]!.name;
    const podRequest = podRequests[i]!;
    let a = 0;
    let r = 0;
    if (name === RESOURCE_CPU) {
      a = alloc.milliCPU;
      r = used.milliCPU + podRequest;
    } else if (name === RESOURCE_MEMORY) {
      a = alloc.memory;
      r = used.memory + podRequest;
    } else {
      [a, r] = allocatableAndRequested(nodeInfo, name, podRequest, s.useRequested);
    }
    if (a === 0) r = 0;
    allocatable[i] = a;
    requested[i] = r;
  }
  return s.scorer(requested, allocatable);
}

/**
 * scoreAllocation for resources [cpu, memory] with the least-allocated or balanced strategy: the arithmetic of
 * weightedScorer(leastRequestedScore) / balancedResourceScorer for two resources, where an allocatable of 0
 * skips the resource.
 */
function scoreCpuMemory(s: ResourceAllocationScorer, nodeInfo: NodeInfo, podCpu: number, podMemory: number): number {
  const used = s.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  const alloc = nodeInfo.allocatable;
  const ac = alloc.milliCPU;
  const am = alloc.memory;
  const rc = used.milliCPU + podCpu;
  const rm = used.memory + podMemory;
  if (s.cpuMemory === 'least') {
    let nodeScore = 0;
    let weightSum = 0;
    if (ac !== 0) {
      const w = s.resources[0]!.weight;
      nodeScore += leastRequestedScore(rc, ac) * w;
      weightSum += w;
    }
    if (am !== 0) {
      const w = s.resources[1]!.weight;
      nodeScore += leastRequestedScore(rm, am) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : idiv(nodeScore, weightSum);
  }
  // balanced: one or no resource ⇒ std 0; two ⇒ |f1 − f2| / 2.
  let std = 0;
  if (ac !== 0 && am !== 0) std = Math.abs((Math.min(rc / ac, 1) - Math.min(rm / am, 1)) / 2);
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

const idiv = (a: number, b: number) => Math.trunc(a / b);

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return idiv((capacity - requested) * MAX_NODE_SCORE, capacity);
}

export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return idiv(requested * MAX_NODE_SCORE, capacity);
}

/** Weighted integer average of a per-resource score (least/most allocated). */
function weightedScorer(resources: ResourceSpec[], per: (req: number, cap: number) => number): ResourceScorerFn {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      nodeScore += per(requested[i]!, allocatable[i]!) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : idiv(nodeScore, weightSum);
  };
}

export const leastAllocatedScorer = (resources: ResourceSpec[]) => weightedScorer(resources, leastRequestedScore);
export const mostAllocatedScorer = (resources: ResourceSpec[]) => weightedScorer(resources, mostRequestedScore);

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** Highest utilization (percent) and highest shape score of RequestedToCapacityRatio (MaxCustomPriorityScore). */
const MAX_UTILIZATION = 100;
export const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** helper.BuildBrokenLinearFunction over points sorted by utilization. */
export function brokenLinear(shape: UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + idiv((b.score - a.score) * (p - a.utilization), b.utilization - a.utilization);
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

/** RequestedToCapacityRatio: shape scores (0-10) are scaled to 0-100; the average is rounded; zero scores do not count. */
export function requestedToCapacityRatioScorer(resources: ResourceSpec[], shape: UtilizationShapePoint[]): ResourceScorerFn {
  const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;
  const fn = brokenLinear(shape.map((p) => ({ utilization: p.utilization, score: p.score * scale })));
  const per = (req: number, cap: number) => (cap === 0 || req > cap ? fn(MAX_UTILIZATION) : fn(idiv(req * MAX_UTILIZATION, cap)));
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      const s = per(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * w;
        weightSum += w;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/** BalancedAllocation: 100 × (1 − standard deviation of the requested/allocatable fractions, each capped at 1). */
export const balancedResourceScorer: ResourceScorerFn = (requested, allocatable) => {
  // Two passes over the inputs instead of a fractions array (this runs per pod × node); same arithmetic.
  let count = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    total += f;
    if (count === 0) first = f;
    else if (count === 1) second = f;
    count++;
  }
  let std = 0;
  if (count === 2) {
    std = Math.abs((first - second) / 2);
  } else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i]! / allocatable[i]!, 1);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
};
