/**
 * PodTopologySpread scoring (podtopologyspread/scoring.go). For each soft constraint a node earns
 * count(matching pods in its domain) × log(domains + 2) + (maxSkew − 1); hostname domains are counted per node
 * at Score time. NormalizeScore inverts (fewer pods → higher): 100 × (max + min − score) / max; nodes missing a
 * topology key (when all keys are required) score 0.
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore } from '../framework/types.js';
import { LABEL_HOSTNAME } from './names.js';
import {
  countPodsMatchSelector,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConstraint,
} from './pod-topology-spread-common.js';
import { RequiredNodeAffinity } from './util/node-selector.js';

export interface SpreadScoreState {
  constraints: SpreadConstraint[];
  ignoredNodes: Set<string>;
  /** Per constraint: topology value → matching pods (not used for hostname constraints). */
  topologyValueToPodCounts: Map<string, number>[];
  topologyNormalizingWeight: number[];
}

export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

/** initPreScoreState + the PreScore count over all nodes. */
export function computeSpreadScoreState(
  pod: Pod,
  constraints: SpreadConstraint[],
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
): SpreadScoreState {
  const s: SpreadScoreState = {
    constraints,
    ignoredNodes: new Set(),
    topologyValueToPodCounts: constraints.map(() => new Map()),
    topologyNormalizingWeight: [],
  };
  const topoSize = constraints.map(() => 0);
  for (const ni of filteredNodes) {
    const node = ni.node!;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.metadata.labels, constraints)) {
      s.ignoredNodes.add(ni.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const v = node.metadata.labels?.[c.topologyKey] ?? '';
      const m = s.topologyValueToPodCounts[i]!;
      if (!m.has(v)) {
        m.set(v, 0);
        topoSize[i]!++;
      }
    });
  }
  s.topologyNormalizingWeight = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : topoSize[i]!),
  );
  const required = new RequiredNodeAffinity(pod);
  const ns = pod.metadata.namespace ?? '';
  for (const ni of allNodes) {
    const node = ni.node;
    if (!node) continue;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(node.metadata.labels, constraints)) continue;
    const labels = node.metadata.labels ?? {};
    constraints.forEach((c, i) => {
      // Nodes without the key are never scored for it, so their pods are not counted (upstream counts them
      // under the empty value, which only a node labelled with an empty value would read).
      if (!Object.hasOwn(labels, c.topologyKey)) return;
      const v = labels[c.topologyKey]!;
      const m = s.topologyValueToPodCounts[i]!;
      const cur = m.get(v);
      if (cur === undefined || !matchNodeInclusionPolicies(c, pod, node, required)) return;
      m.set(v, cur + countPodsMatchSelector(ni.pods, c.selector, ns));
    });
  }
  return s;
}

export function spreadScore(s: SpreadScoreState, pod: Pod, nodeInfo: NodeInfo): number {
  const node = nodeInfo.node as Node;
  if (s.ignoredNodes.has(nodeInfo.name)) return 0;
  const labels = node.metadata.labels ?? {};
  let score = 0;
  s.constraints.forEach((c, i) => {
    if (!Object.hasOwn(labels, c.topologyKey)) return;
    const cnt =
      c.topologyKey === LABEL_HOSTNAME
        ? countPodsMatchSelector(nodeInfo.pods, c.selector, pod.metadata.namespace ?? '')
        : s.topologyValueToPodCounts[i]!.get(labels[c.topologyKey]!) ?? 0;
    score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]!);
  });
  return Math.round(score);
}

const INVALID_SCORE = -1;

export function normalizeSpreadScores(s: SpreadScoreState, scores: NodeScore[]): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) {
      sc.score = INVALID_SCORE;
      continue;
    }
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  }
  for (const sc of scores) {
    if (sc.score === INVALID_SCORE) {
      sc.score = 0;
      continue;
    }
    if (max === 0) {
      sc.score = MAX_NODE_SCORE;
      continue;
    }
    sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
}
