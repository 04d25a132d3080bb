/**
 * InterPodAffinity scoring (interpodaffinity/scoring.go). For every existing pod (all pods when the incoming
 * pod has preferred terms, else only pods with affinity terms) the topology domain of its node gains or loses:
 *  + weight of each incoming preferred affinity term the existing pod matches, − for anti-affinity terms;
 *  + hardPodAffinityWeight for each existing required affinity term the incoming pod matches;
 *  + / − weight of each existing preferred (anti-)affinity term the incoming pod matches.
 * A node's score is the sum over topology keys of its domains' totals; NormalizeScore maps [min, max] to
 * [0, 100] (all 0 when max = min).
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import {
  affinityTermMatches,
  MAX_NODE_SCORE,
  type AffinityTerm,
  type NodeInfo,
  type NodeScore,
  type PodInfo,
  type WeightedAffinityTerm,
} from '../framework/types.js';

/** topologyKey → topologyValue → score. */
export type TopologyScore = Map<string, Map<string, number>>;

export interface InterPodAffinityScoreState {
  topologyScore: TopologyScore;
}

function processTerm(
  m: TopologyScore,
  term: AffinityTerm,
  weight: number,
  pod: Pod,
  nsLabels: Record<string, string> | undefined,
  node: Node,
  multiplier: number,
): void {
  if (!affinityTermMatches(term, pod, nsLabels)) return;
  const labels = node.metadata.labels ?? {};
  if (!Object.hasOwn(labels, term.topologyKey)) return;
  let byValue = m.get(term.topologyKey);
  if (!byValue) m.set(term.topologyKey, (byValue = new Map()));
  const v = labels[term.topologyKey]!;
  byValue.set(v, (byValue.get(v) ?? 0) + weight * multiplier);
}

function processTerms(
  m: TopologyScore,
  terms: readonly WeightedAffinityTerm[],
  pod: Pod,
  nsLabels: Record<string, string> | undefined,
  node: Node,
  multiplier: number,
): void {
  for (const t of terms) processTerm(m, t, t.weight, pod, nsLabels, node, multiplier);
}

export interface IncomingPreferredTerms {
  affinity: WeightedAffinityTerm[];
  antiAffinity: WeightedAffinityTerm[];
}

/** PreScore's accumulation over `nodes`; empty when nothing applies (the plugin then skips scoring). */
export function computeTopologyScore(
  incoming: PodInfo,
  terms: IncomingPreferredTerms,
  nsLabels: Record<string, string> | undefined,
  nodes: readonly NodeInfo[],
  hasConstraints: boolean,
  hardPodAffinityWeight: number,
): TopologyScore {
  const m: TopologyScore = new Map();
  for (const ni of nodes) {
    const node = ni.node;
    if (!node || !node.metadata.labels || Object.keys(node.metadata.labels).length === 0) continue;
    for (const existing of hasConstraints ? ni.pods : ni.podsWithAffinity) {
      processTerms(m, terms.affinity, existing.pod, undefined, node, 1);
      processTerms(m, terms.antiAffinity, existing.pod, undefined, node, -1);
      if (hardPodAffinityWeight > 0) {
        for (const t of existing.requiredAffinityTerms) processTerm(m, t, hardPodAffinityWeight, incoming.pod, nsLabels, node, 1);
      }
      processTerms(m, existing.preferredAffinityTerms, incoming.pod, nsLabels, node, 1);
      processTerms(m, existing.preferredAntiAffinityTerms, incoming.pod, nsLabels, node, -1);
    }
  }
  return m;
}

export function scoreNode(s: InterPodAffinityScoreState, node: Node): number {
  const labels = node.metadata.labels ?? {};
  let score = 0;
  for (const [key, byValue] of s.topologyScore) {
    if (Object.hasOwn(labels, key)) score += byValue.get(labels[key]!) ?? 0;
  }
  return score;
}

export function normalizeInterPodAffinity(scores: NodeScore[]): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (s.score > max) max = s.score;
    if (s.score < min) min = s.score;
  }
  const diff = max - min;
  for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
}
