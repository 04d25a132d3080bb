/**
 * NodeResourcesBalancedAllocation (Score): favours nodes whose resource fractions (requested/allocatable
 * after placing the pod, non-zero requests) are close to each other — 100 × (1 − std deviation). Resources
 * default to cpu and memory with weight 1 (weights do not affect this score, as upstream).
 */
import type { CycleState, NodeInfo, PluginFactory, PluginStatus, PodInfo, PreScorePlugin, ScorePlugin } from '../framework/types.js';
import { Names } from './names.js';
import {
  balancedResourceScorer,
  DEFAULT_RESOURCES,
  podRequestList,
  scoreAllocation,
  type ResourceAllocationScorer,
  type ResourceSpec,
  withCpuMemoryFastPath,
} from './resource-allocation.js';
import { readShared, writeShared } from './util/state.js';

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

const PRE_SCORE_KEY = 'PreScoreNodeResourcesBalancedAllocation';

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = Names.NodeResourcesBalancedAllocation;
  readonly scorer: ResourceAllocationScorer;
  private memo: { state: CycleState; reqs: number[] } | undefined;

  constructor(args: NodeResourcesBalancedAllocationArgs = {}) {
    const resources = args.resources && args.resources.length ? args.resources : DEFAULT_RESOURCES;
    this.scorer = withCpuMemoryFastPath({ resources, useRequested: false, scorer: balancedResourceScorer }, 'balanced');
  }

  preScore(state: CycleState, pi: PodInfo): PluginStatus {
    const reqs = podRequestList(pi, this.scorer.resources, false);
    writeShared(state, PRE_SCORE_KEY, reqs);
    this.memo = { state, reqs };
    return null;
  }

  score(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): number {
    // The last PreScore's data when the state is the same object (saves a CycleState lookup per node).
    const memo = this.memo;
    const reqs = memo && memo.state === state ? memo.reqs : readShared<number[]>(state, PRE_SCORE_KEY) ?? podRequestList(pi, this.scorer.resources, false);
    return scoreAllocation(this.scorer, nodeInfo, reqs);
  }
}

export const newNodeResourcesBalancedAllocation: PluginFactory = (args) =>
  new NodeResourcesBalancedAllocation((args ?? {}) as NodeResourcesBalancedAllocationArgs);
