/**
 * ImageLocality (Score): favours nodes that already have the pod's images, weighted by image size and by how
 * widely the image is spread (size × nodesWithImage / totalNodes, to avoid piling pods onto the one node that
 * has it). The sum is clamped to [23 MiB, 1000 MiB × containers] and scaled linearly to [0, 100].
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import {
  MAX_NODE_SCORE,
  type CycleState,
  type ImageStateSummary,
  type NodeInfo,
  type PluginContext,
  type PluginFactory,
  type PodInfo,
  type ScorePlugin,
} from '../framework/types.js';
import { Names } from './names.js';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Appends ":latest" when the image has no tag (the last ':' is not after the last '/'). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

export function scaledImageScore(s: ImageStateSummary, totalNumNodes: number): number {
  return Math.trunc(s.size * (s.numNodes / totalNumNodes));
}

export function sumImageScores(nodeInfo: NodeInfo, pod: Pod, totalNumNodes: number): number {
  // Fast path (same result): a node that reports no images scores 0 for every container. Scoring runs for
  // every pod × every evaluated node, and most simulated nodes report no images.
  if (nodeInfo.imageStates.size === 0) return 0;
  let sum = 0;
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    const s = nodeInfo.imageStates.get(normalizedImageName(c.image ?? ''));
    if (s) sum += scaledImageScore(s, totalNumNodes);
  }
  return sum;
}

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

export class ImageLocality implements ScorePlugin {
  readonly name = Names.ImageLocality;
  constructor(private readonly ctx: PluginContext | undefined) {}

  score(_state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): number {
    const pod = pi.pod;
    const n = (pod.spec?.initContainers?.length ?? 0) + (pod.spec?.containers?.length ?? 0);
    // A node without images sums to 0 whatever the node count: skip the snapshot lookup (most simulated nodes).
    if (nodeInfo.imageStates.size === 0) return calculatePriority(0, n);
    const total = this.ctx ? this.ctx.snapshot().numNodes() : 1;
    return calculatePriority(sumImageScores(nodeInfo, pod, total), n);
  }
}

export const newImageLocality: PluginFactory = (_args, ctx) => new ImageLocality(ctx);
