/**
 * InterPodAffinity filtering state (interpodaffinity/filtering.go): PreFilter counts, per topology pair
 * ("key\0value"), (1) existing pods whose required anti-affinity terms match the incoming pod, (2) existing
 * pods matching all of the incoming pod's required affinity terms, (3) existing pods matching each of its
 * required anti-affinity terms. Filter then checks a node's topology values against those counts. The counts
 * are updated incrementally when preemption simulates adding/removing pods (AddPod/RemovePod).
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { matchesLabels } from '../../api/meta/label-selector.js';
import {
  affinityTermMatches,
  type AffinityTerm,
  type NodeInfo,
  type PodInfo,
  type StateData,
} from '../framework/types.js';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** topologyPair → count; the key is `${key}\0${value}`. Zero entries are removed. */
export class TopologyCounts extends Map<string, number> {
  add(node: Node, topologyKey: string, delta: number): void {
    const labels = node.metadata.labels;
    if (!labels || !Object.hasOwn(labels, topologyKey)) return;
    const k = pairKey(topologyKey, labels[topologyKey]!);
    const n = (this.get(k) ?? 0) + delta;
    if (n === 0) this.delete(k);
    else this.set(k, n);
  }

  /** Adds once per term of `terms` when `pod` matches all of them (updateWithAffinityTerms). */
  addAffinityTerms(pod: Pod, node: Node, terms: readonly AffinityTerm[], delta: number): void {
    if (podMatchesAllAffinityTerms(terms, pod)) for (const t of terms) this.add(node, t.topologyKey, delta);
  }

  /** Adds once per term that `pod` matches (updateWithAntiAffinityTerms). */
  addAntiAffinityTerms(pod: Pod, node: Node, terms: readonly AffinityTerm[], nsLabels: Record<string, string> | undefined, delta: number): void {
    for (const t of terms) if (affinityTermMatches(t, pod, nsLabels)) this.add(node, t.topologyKey, delta);
  }

  copy(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this) c.set(k, v);
    return c;
  }
}

export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!affinityTermMatches(t, pod, undefined)) return false;
  return true;
}

/**
 * Copies of the incoming pod's terms with namespaceSelector resolved into explicit namespaces
 * (mergeAffinityTermNamespacesIfNotEmpty): a selector with requirements is replaced by the names of the
 * namespaces it matches; `{}` (all namespaces) and unset selectors are kept as they are.
 */
export function mergeNamespaces<T extends AffinityTerm>(terms: readonly T[], listNamespaces: () => { name: string; labels: Record<string, string> }[]): T[] {
  return terms.map((t) => {
    if (t.namespaceSelector === 'nothing' || t.namespaceSelector.length === 0) return t;
    const namespaces = new Set(t.namespaces);
    for (const ns of listNamespaces()) if (matchesLabels(t.namespaceSelector, ns.labels)) namespaces.add(ns.name);
    return { ...t, namespaces, namespaceSelector: 'nothing' as const };
  });
}

export class InterPodAffinityFilterState implements StateData {
  constructor(
    readonly podInfo: PodInfo,
    readonly requiredAffinityTerms: AffinityTerm[],
    readonly requiredAntiAffinityTerms: AffinityTerm[],
    readonly namespaceLabels: Record<string, string> | undefined,
    public existingAntiAffinityCounts: TopologyCounts,
    public affinityCounts: TopologyCounts,
    public antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): InterPodAffinityFilterState {
    return new InterPodAffinityFilterState(
      this.podInfo,
      this.requiredAffinityTerms,
      this.requiredAntiAffinityTerms,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.copy(),
      this.affinityCounts.copy(),
      this.antiAffinityCounts.copy(),
    );
  }

  /** updateWithPod: account for `other` being added (+1) to or removed (−1) from `node`. */
  updateWithPod(other: PodInfo, node: Node, delta: number): void {
    this.existingAntiAffinityCounts.addAntiAffinityTerms(this.podInfo.pod, node, other.requiredAntiAffinityTerms, this.namespaceLabels, delta);
    this.affinityCounts.addAffinityTerms(other.pod, node, this.requiredAffinityTerms, delta);
    this.antiAffinityCounts.addAntiAffinityTerms(other.pod, node, this.requiredAntiAffinityTerms, undefined, delta);
  }
}

/** Counts of existing pods' required anti-affinity terms that match the incoming pod. */
export function existingAntiAffinityCounts(pod: Pod, nsLabels: Record<string, string> | undefined, nodes: readonly NodeInfo[]): TopologyCounts {
  const counts = new TopologyCounts();
  for (const ni of nodes) {
    const node = ni.node;
    if (!node) continue;
    for (const existing of ni.podsWithRequiredAntiAffinity) {
      counts.addAntiAffinityTerms(pod, node, existing.requiredAntiAffinityTerms, nsLabels, 1);
    }
  }
  return counts;
}

/** Counts of existing pods matching the incoming pod's required affinity / each anti-affinity term. */
export function incomingAffinityCounts(
  affinityTerms: readonly AffinityTerm[],
  antiAffinityTerms: readonly AffinityTerm[],
  nodes: readonly NodeInfo[],
): [TopologyCounts, TopologyCounts] {
  const affinity = new TopologyCounts();
  const anti = new TopologyCounts();
  if (affinityTerms.length === 0 && antiAffinityTerms.length === 0) return [affinity, anti];
  for (const ni of nodes) {
    const node = ni.node;
    if (!node) continue;
    for (const existing of ni.pods) {
      affinity.addAffinityTerms(existing.pod, node, affinityTerms, 1);
      anti.addAntiAffinityTerms(existing.pod, node, antiAffinityTerms, undefined, 1);
    }
  }
  return [affinity, anti];
}

export function satisfyPodAffinity(s: InterPodAffinityFilterState, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  let podsExist = true;
  for (const t of s.requiredAffinityTerms) {
    if (!Object.hasOwn(labels, t.topologyKey)) return false;
    if ((s.affinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey]!)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod anywhere matches the terms and
  // the pod matches its own terms (the node has every topology key, checked above).
  return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(s.requiredAffinityTerms, s.podInfo.pod);
}

export function satisfyPodAntiAffinity(s: InterPodAffinityFilterState, node: Node): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const labels = node.metadata.labels ?? {};
  for (const t of s.requiredAntiAffinityTerms) {
    if (!Object.hasOwn(labels, t.topologyKey)) continue;
    if ((s.antiAffinityCounts.get(pairKey(t.topologyKey, labels[t.topologyKey]!)) ?? 0) > 0) return false;
  }
  return true;
}

export function satisfyExistingPodsAntiAffinity(s: InterPodAffinityFilterState, node: Node): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  const labels = node.metadata.labels ?? {};
  for (const k in labels) if ((s.existingAntiAffinityCounts.get(pairKey(k, labels[k]!)) ?? 0) > 0) return false;
  return true;
}
