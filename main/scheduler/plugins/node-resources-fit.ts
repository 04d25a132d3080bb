/**
 * NodeResourcesFit. PreFilter computes the pod's effective requests (init containers, sidecars, overhead,
 * pod-level requests: framework podRequests). Filter reports every shortfall at once — "Too many pods",
 * "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage", "Insufficient <extended>" —
 * as Unschedulable (preemption may free room). Score uses the configured strategy: LeastAllocated (default),
 * MostAllocated or RequestedToCapacityRatio, weighted per resource.
 */
import {
  ActionType,
  Status,
  NodeInfo,
  PodInfo,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Node,
  type Pod,
  type PluginFactory,
  type PluginStatus,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type Resource,
  type ScorePlugin,
} from '../framework/types.js';
import { isExtendedResourceName } from '../framework/resource.js';
import { Names } from './names.js';
import {
  DEFAULT_RESOURCES,
  leastAllocatedScorer,
  mostAllocatedScorer,
  podRequestList,
  requestedToCapacityRatioScorer,
  scoreAllocation,
  type ResourceAllocationScorer,
  type ResourceSpec,
  type UtilizationShapePoint,
  withCpuMemoryFastPath,
} from './resource-allocation.js';
import { readShared, writeShared } from './util/state.js';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

/** NodeResourcesFitArgs (config.NodeResourcesFitArgs). */
export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: ScoringStrategyType;
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

const PRE_FILTER_KEY = 'PreFilterNodeResourcesFit';
const PRE_SCORE_KEY = 'PreScoreNodeResourcesFit';
const NO_NAMES: ReadonlySet<string> = new Set();

/** fitsRequest: every resource the node lacks for `req`, in upstream's order. */
export function fitsRequest(
  req: Resource,
  nodeInfo: NodeInfo,
  ignoredResources: ReadonlySet<string> = NO_NAMES,
  ignoredGroups: ReadonlySet<string> = NO_NAMES,
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber });
  }
  const scalars = req.scalarResources;
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && (!scalars || scalars.size === 0)) return out;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: req.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU });
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: req.memory, used: used.memory, capacity: alloc.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: req.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  if (scalars) {
    for (const [name, q] of scalars) {
      if (q === 0) continue;
      if (isExtendedResourceName(name) && (ignoredResources.has(name) || ignoredGroups.has(name.split('/')[0]!))) continue;
      const a = alloc.scalarResources?.get(name) ?? 0;
      const u = used.scalarResources?.get(name) ?? 0;
      if (q > a - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: q, used: u, capacity: a });
    }
  }
  return out;
}

/**
 * A pod's requests flattened for the Filter fast path (PreFilter state): the scalar resources that count
 * (non-zero, not ignored) as parallel arrays. fits() answers exactly "fitsRequest(...) is empty".
 */
export class FitRequest {
  readonly milliCPU: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  readonly scalarNames: string[] = [];
  readonly scalarValues: number[] = [];

  constructor(readonly req: Resource, ignored: ReadonlySet<string>, ignoredGroups: ReadonlySet<string>) {
    this.milliCPU = req.milliCPU;
    this.memory = req.memory;
    this.ephemeralStorage = req.ephemeralStorage;
    for (const [name, q] of req.scalarResources ?? []) {
      if (q === 0) continue;
      if (isExtendedResourceName(name) && (ignored.has(name) || ignoredGroups.has(name.split('/')[0]!))) continue;
      this.scalarNames.push(name);
      this.scalarValues.push(q);
    }
  }

  /** Reads NodeInfo's derived free* fields (allocatable − requested; same integers as fitsRequest's). */
  fits(nodeInfo: NodeInfo): boolean {
    if (nodeInfo.freePods < 1) return false;
    if (this.milliCPU > 0 && this.milliCPU > nodeInfo.freeMilliCPU) return false;
    if (this.memory > 0 && this.memory > nodeInfo.freeMemory) return false;
    if (this.ephemeralStorage > 0 && this.ephemeralStorage > nodeInfo.freeEphemeralStorage) return false;
    const names = this.scalarNames;
    if (names.length === 0) return true;
    const alloc = nodeInfo.allocatable;
    const used = nodeInfo.requested;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (this.scalarValues[i]! > (alloc.scalarResources?.get(name) ?? 0) - (used.scalarResources?.get(name) ?? 0)) return false;
    }
    return true;
  }

  clone(): FitRequest {
    return this;
  }
}

/** Fits: the shortfalls of `pod` on `nodeInfo` with no ignored resources (also used by queueing hints). */
export function fits(pod: Pod, nodeInfo: NodeInfo): InsufficientResource[] {
  return fitsRequest(new PodInfo(pod).requests, nodeInfo);
}

function buildScorer(args: NodeResourcesFitArgs): ResourceAllocationScorer {
  const strategy = args.scoringStrategy ?? {};
  const resources = strategy.resources && strategy.resources.length ? strategy.resources : DEFAULT_RESOURCES;
  switch (strategy.type ?? 'LeastAllocated') {
    case 'LeastAllocated':
      return withCpuMemoryFastPath({ resources, useRequested: false, scorer: leastAllocatedScorer(resources) }, 'least');
    case 'MostAllocated':
      return { resources, useRequested: false, scorer: mostAllocatedScorer(resources) };
    case 'RequestedToCapacityRatio': {
      const shape = strategy.requestedToCapacityRatio?.shape;
      if (!shape || shape.length === 0) throw new Error('NodeResourcesFit: requestedToCapacityRatio.shape is required');
      return { resources, useRequested: true, scorer: requestedToCapacityRatioScorer(resources, [...shape].sort((a, b) => a.utilization - b.utilization)) };
    }
    default:
      throw new Error(`scoring strategy ${String(strategy.type)} is not supported`);
  }
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Names.NodeResourcesFit;
  private readonly ignored: Set<string>;
  private readonly ignoredGroups: Set<string>;
  readonly scorer: ResourceAllocationScorer;
  /** The last PreFilter's state and data: saves a CycleState lookup per node (same object ⇒ same data). */
  private memo: { state: CycleState; fr: FitRequest } | undefined;
  private scoreMemo: { state: CycleState; reqs: number[] } | undefined;

  constructor(args: NodeResourcesFitArgs = {}) {
    this.ignored = new Set(args.ignoredResources ?? []);
    this.ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
    this.scorer = buildScorer(args);
  }

  preFilter(state: CycleState, pi: PodInfo): PreFilterOutcome {
    const fr = new FitRequest(pi.requests, this.ignored, this.ignoredGroups);
    writeShared(state, PRE_FILTER_KEY, fr);
    this.memo = { state, fr };
    return { status: null };
  }

  /**
   * Hot path (runs for every pod × evaluated node): compares the precomputed request numbers with the node's
   * and returns null without allocating; only a failing node pays for fitsRequest's itemised reasons.
   */
  filter(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const memo = this.memo;
    const fr = memo && memo.state === state ? memo.fr
      : readShared<FitRequest>(state, PRE_FILTER_KEY) ?? new FitRequest(pi.requests, this.ignored, this.ignoredGroups);
    if (fr.fits(nodeInfo)) return null;
    const insufficient = fitsRequest(fr.req, nodeInfo, this.ignored, this.ignoredGroups);
    return Status.unschedulable(...insufficient.map((r) => r.reason));
  }

  preScore(state: CycleState, pi: PodInfo): PluginStatus {
    const reqs = podRequestList(pi, this.scorer.resources, this.scorer.useRequested);
    writeShared(state, PRE_SCORE_KEY, reqs);
    this.scoreMemo = { state, reqs };
    return null;
  }

  score(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): number {
    const memo = this.scoreMemo;
    const reqs = memo && memo.state === state ? memo.reqs
      : readShared<number[]>(state, PRE_SCORE_KEY) ?? podRequestList(pi, this.scorer.resources, this.scorer.useRequested);
    return scoreAllocation(this.scorer, nodeInfo, reqs);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete, label: 'AssignedPodDelete' },
        queueingHintFn: (_pod, oldObj, newObj) => (!newObj && (oldObj as Pod | undefined)?.spec?.nodeName ? 'Queue' : 'QueueSkip'),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable, label: 'NodeAddOrAllocatableChange' },
        queueingHintFn: (pod, oldObj, newObj) => {
          const n = newObj as Node | undefined;
          if (!n || fits(pod, new NodeInfo(n)).length > 0) return 'QueueSkip';
          if (!oldObj) return 'Queue';
          return anyRequestedResourceIncreased(pod, oldObj as Node, n) ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }
}

/** haveAnyRequestedResourcesIncreased: more pods allowed, or more of a resource the pod requests. */
export function anyRequestedResourceIncreased(pod: Pod, oldNode: Node, newNode: Node): boolean {
  const req = new PodInfo(pod).requests;
  const a = new NodeInfo(oldNode).allocatable;
  const b = new NodeInfo(newNode).allocatable;
  if (b.allowedPodNumber > a.allowedPodNumber) return true;
  if (req.milliCPU > 0 && b.milliCPU > a.milliCPU) return true;
  if (req.memory > 0 && b.memory > a.memory) return true;
  if (req.ephemeralStorage > 0 && b.ephemeralStorage > a.ephemeralStorage) return true;
  for (const [name, q] of req.scalarResources ?? []) {
    if (q !== 0 && (b.scalarResources?.get(name) ?? 0) > (a.scalarResources?.get(name) ?? 0)) return true;
  }
  return false;
}

export const newNodeResourcesFit: PluginFactory = (args) => new NodeResourcesFit((args ?? {}) as NodeResourcesFitArgs);
