/**
 * PodInfo: a pod plus what every plugin would otherwise recompute per node — effective requests (exact and
 * non-zero), and its pod (anti-)affinity terms parsed into selectors (framework.PodInfo / AffinityTerm).
 * Built once per pod version; immutable afterwards (plugins must not mutate `pod`).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import {
  matchesLabels,
  selectorFromObject,
  type LabelSelectorObject,
  type Requirement,
  type Selector,
} from '../../api/meta/label-selector.js';
import { podNonZeroRequests, podRequests, type Resource } from './resource.js';

export interface PodAffinityTermSpec {
  labelSelector?: LabelSelectorObject | null;
  namespaces?: string[];
  topologyKey: string;
  namespaceSelector?: LabelSelectorObject | null;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

/** A parsed pod affinity term. */
export interface AffinityTerm {
  /** Explicit namespaces (the pod's own namespace when neither namespaces nor namespaceSelector is set). */
  namespaces: Set<string>;
  selector: Selector;
  topologyKey: string;
  /** 'nothing' when unset; [] (everything) for `{}`. */
  namespaceSelector: Selector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces (by name or by label) and matches the selector. */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  const ns = pod.metadata.namespace ?? '';
  if (term.namespaces.has(ns) || (term.namespaceSelector !== 'nothing' && matchesLabels(term.namespaceSelector, nsLabels ?? {}))) {
    return matchesLabels(term.selector, pod.metadata.labels ?? {});
  }
  return false;
}

/** Parses one term; matchLabelKeys/mismatchLabelKeys become In/NotIn requirements on the pod's own label values. */
export function parseAffinityTerm(pod: Pod, t: PodAffinityTermSpec): AffinityTerm {
  let selector = selectorFromObject(t.labelSelector ?? undefined);
  const labels = pod.metadata.labels ?? {};
  if (selector !== 'nothing') {
    const extra: Requirement[] = [];
    for (const k of t.matchLabelKeys ?? []) if (k in labels) extra.push({ key: k, operator: 'in', values: [labels[k]!] });
    for (const k of t.mismatchLabelKeys ?? []) if (k in labels) extra.push({ key: k, operator: 'notin', values: [labels[k]!] });
    if (extra.length) selector = [...selector, ...extra];
  }
  const namespaces = new Set(t.namespaces ?? []);
  const nsSel: Selector = t.namespaceSelector ? selectorFromObject(t.namespaceSelector) : 'nothing';
  if (namespaces.size === 0 && !t.namespaceSelector) namespaces.add(pod.metadata.namespace ?? '');
  return { namespaces, selector, topologyKey: t.topologyKey ?? '', namespaceSelector: nsSel };
}

interface AffinityBlock {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermSpec[];
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTermSpec }[];
}

export class PodInfo {
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];
  private cachedRequests?: Resource;
  private cachedNonZero?: Resource;
  private cachedKey?: string;

  /** `derivedFrom`: a PodInfo of the same pod differing only in spec.nodeName, whose parsed data is reused. */
  constructor(readonly pod: Pod, derivedFrom?: PodInfo) {
    if (derivedFrom) {
      this.requiredAffinityTerms = derivedFrom.requiredAffinityTerms;
      this.requiredAntiAffinityTerms = derivedFrom.requiredAntiAffinityTerms;
      this.preferredAffinityTerms = derivedFrom.preferredAffinityTerms;
      this.preferredAntiAffinityTerms = derivedFrom.preferredAntiAffinityTerms;
      this.cachedRequests = derivedFrom.requests;
      this.cachedNonZero = derivedFrom.nonZeroRequests;
      return;
    }
    const aff = (pod.spec?.affinity ?? {}) as { podAffinity?: AffinityBlock; podAntiAffinity?: AffinityBlock };
    const req = (b: AffinityBlock | undefined) => (b?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => parseAffinityTerm(pod, t));
    const pref = (b: AffinityBlock | undefined) =>
      (b?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...parseAffinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
    this.requiredAffinityTerms = req(aff.podAffinity);
    this.requiredAntiAffinityTerms = req(aff.podAntiAffinity);
    this.preferredAffinityTerms = pref(aff.podAffinity);
    this.preferredAntiAffinityTerms = pref(aff.podAntiAffinity);
  }

  /** "namespace/name", computed once (the queue's heap asks for it on every swap). */
  get key(): string {
    return (this.cachedKey ??= podKey(this.pod));
  }

  /**
   * The PodInfo of this pod assumed onto `nodeName` (spec.nodeName set on a shallow copy). Requests and
   * affinity terms do not depend on spec.nodeName, so the computed data is shared instead of re-parsed.
   */
  assumedOn(nodeName: string): PodInfo {
    return new PodInfo({ ...this.pod, spec: { ...this.pod.spec, nodeName } }, this);
  }
  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }
  /** Effective requests (resourcehelper.PodRequests). Cached: do not mutate. */
  get requests(): Resource {
    return (this.cachedRequests ??= podRequests(this.pod));
  }
  /** Requests with per-container cpu/memory defaults, used by scoring. Cached: do not mutate. */
  get nonZeroRequests(): Resource {
    return (this.cachedNonZero ??= podNonZeroRequests(this.pod));
  }
  hasAffinity(): boolean {
    return this.requiredAffinityTerms.length + this.preferredAffinityTerms.length +
      this.requiredAntiAffinityTerms.length + this.preferredAntiAffinityTerms.length > 0;
  }
}

/** "namespace/name", the key used by the queue, the cache and decision records. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Pod priority as admission resolved it (spec.priority), 0 when unset (corev1helpers.PodPriority). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}
