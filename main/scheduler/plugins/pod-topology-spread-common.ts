/**
 * PodTopologySpread constraint building (podtopologyspread/common.go): the pod's own constraints of one
 * whenUnsatisfiable action, or — when it has none — the profile's default constraints with a selector
 * derived from the Services, ReplicationController, ReplicaSet or StatefulSet selecting the pod
 * (helper.DefaultSelector). matchLabelKeys add `key in (pod's value)` requirements; minDomains defaults to 1,
 * nodeAffinityPolicy to Honor and nodeTaintsPolicy to Ignore.
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import {
  matchesLabels,
  selectorFromObject,
  selectsEverything,
  type LabelSelectorObject,
  type Requirement,
  type Selector,
} from '../../api/meta/label-selector.js';
import type { PluginListers, PodInfo } from '../framework/types.js';
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from './names.js';
import type { RequiredNodeAffinity } from './util/node-selector.js';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint } from './util/taints.js';

export type UnsatisfiableAction = 'DoNotSchedule' | 'ScheduleAnyway';

export interface TopologySpreadConstraintSpec {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: UnsatisfiableAction;
  labelSelector?: LabelSelectorObject | null;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

/** Upstream's system default constraints (used when defaultingType is System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: TopologySpreadConstraintSpec[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export function filterConstraints(
  specs: readonly TopologySpreadConstraintSpec[],
  podLabels: Record<string, string>,
  action: UnsatisfiableAction,
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of specs) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = selectorFromObject(c.labelSelector ?? undefined);
    if (selector !== 'nothing' && c.matchLabelKeys?.length) {
      const extra: Requirement[] = [];
      for (const k of c.matchLabelKeys) if (Object.hasOwn(podLabels, k)) extra.push({ key: k, operator: 'in', values: [podLabels[k]!] });
      if (extra.length) selector = [...selector, ...extra];
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

interface ControllerRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  controller?: boolean;
}

/** helper.DefaultSelector: the merged selectors of Services and the controlling RC/RS/StatefulSet. */
export function defaultSelector(pod: Pod, listers: PluginListers | undefined): Selector {
  if (!listers) return [];
  const ns = pod.metadata.namespace ?? '';
  const podLabels = pod.metadata.labels ?? {};
  const set: Record<string, string> = {};
  for (const svc of listers.services.list(ns)) {
    const sel = (svc as { spec?: { selector?: Record<string, string> | null } }).spec?.selector;
    if (!sel) continue;
    if (Object.entries(sel).every(([k, v]) => podLabels[k] === v)) Object.assign(set, sel);
  }
  const fromSet = (): Requirement[] =>
    Object.entries(set)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => ({ key, operator: '=' as const, values: [v] }));
  let selector: Requirement[] = fromSet();
  const owner = (pod.metadata.ownerReferences as ControllerRef[] | undefined)?.find((o) => o.controller);
  if (!owner?.name) return selector;
  const group = (owner.apiVersion ?? '').includes('/') ? owner.apiVersion!.split('/')[0] : '';
  if (group === '' && owner.kind === 'ReplicationController') {
    const rc = listers.replicationControllers.get(ns, owner.name) as { spec?: { selector?: Record<string, string> } } | undefined;
    if (rc) {
      Object.assign(set, rc.spec?.selector ?? {});
      selector = fromSet();
    }
  } else if (group === 'apps' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const lister = owner.kind === 'ReplicaSet' ? listers.replicaSets : listers.statefulSets;
    const obj = lister.get(ns, owner.name) as { spec?: { selector?: LabelSelectorObject } } | undefined;
    if (obj) {
      try {
        const other = selectorFromObject(obj.spec?.selector);
        if (other !== 'nothing') selector = [...selector, ...other];
      } catch {
        // An unparsable selector adds nothing (upstream ignores the error).
      }
    }
  }
  return selector;
}

export function nodeLabelsMatchSpreadConstraints(labels: Record<string, string> | undefined, constraints: readonly SpreadConstraint[]): boolean {
  const l = labels ?? {};
  for (const c of constraints) if (!Object.hasOwn(l, c.topologyKey)) return false;
  return true;
}

/** Whether `node` counts as a domain member for `c` under its nodeAffinityPolicy / nodeTaintsPolicy. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.match(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint)) {
    return false;
  }
  return true;
}

/** Pods in `ns`, not terminating, matching `selector`; 0 for an empty selector (countPodsMatchSelector). */
export function countPodsMatchSelector(pods: readonly PodInfo[], selector: Selector, ns: string): number {
  if (selector === 'nothing' || selectsEverything(selector)) return 0;
  let n = 0;
  for (const p of pods) {
    const m = p.pod.metadata;
    if (m.deletionTimestamp || (m.namespace ?? '') !== ns) continue;
    if (matchesLabels(selector, m.labels)) n++;
  }
  return n;
}
