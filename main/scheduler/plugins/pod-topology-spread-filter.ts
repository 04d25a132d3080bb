/**
 * PodTopologySpread filtering state (podtopologyspread/filtering.go): per hard constraint, matching pods per
 * topology value over the eligible nodes, plus the two smallest domains ("critical paths") so the global
 * minimum is O(1) per Filter call. A node fails when its domain count + (1 if the pod matches its own
 * selector) − global minimum > maxSkew; the minimum is taken as 0 while fewer than minDomains domains exist.
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { matchesLabels } from '../../api/meta/label-selector.js';
import type { NodeInfo, StateData } from '../framework/types.js';
import {
  countPodsMatchSelector,
  matchNodeInclusionPolicies,
  nodeLabelsMatchSpreadConstraints,
  type SpreadConstraint,
} from './pod-topology-spread-common.js';
import { RequiredNodeAffinity } from './util/node-selector.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

const MAX_INT32 = 2 ** 31 - 1;

interface Path {
  value: string;
  num: number;
}

/** The two domains with the fewest matching pods; [0] is the minimum. */
export class CriticalPaths {
  p: [Path, Path] = [{ value: '', num: MAX_INT32 }, { value: '', num: MAX_INT32 }];

  update(value: string, num: number): void {
    const p = this.p;
    const i = value === p[0].value ? 0 : value === p[1].value ? 1 : -1;
    if (i >= 0) {
      p[i as 0 | 1].num = num;
      if (p[0].num > p[1].num) this.p = [p[1], p[0]];
    } else if (num < p[0].num) {
      this.p = [{ value, num }, p[0]];
    } else if (num < p[1].num) {
      p[1] = { value, num };
    }
  }

  copy(): CriticalPaths {
    const c = new CriticalPaths();
    c.p = [{ ...this.p[0] }, { ...this.p[1] }];
    return c;
  }
}

export class SpreadFilterState implements StateData {
  constructor(
    readonly constraints: SpreadConstraint[],
    public criticalPaths: CriticalPaths[],
    public tpValueToMatchNum: Map<string, number>[],
  ) {}

  clone(): SpreadFilterState {
    return new SpreadFilterState(
      this.constraints,
      this.criticalPaths.map((c) => c.copy()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }

  minMatchNum(i: number, minDomains: number): number {
    const domains = this.tpValueToMatchNum[i]!.size;
    if (domains < minDomains) return 0;
    return this.criticalPaths[i]!.p[0].num;
  }

  /** updateWithPod: `other` added to (+1) or removed from (−1) `node`, seen from `preemptor`. */
  updateWithPod(other: Pod, preemptor: Pod, node: Node, delta: number): void {
    if ((other.metadata.namespace ?? '') !== (preemptor.metadata.namespace ?? '')) return;
    if (!nodeLabelsMatchSpreadConstraints(node.metadata.labels, this.constraints)) return;
    const required = new RequiredNodeAffinity(preemptor);
    const labels = other.metadata.labels ?? {};
    this.constraints.forEach((c, i) => {
      if (!matchesLabels(c.selector, labels)) return;
      if (!matchNodeInclusionPolicies(c, preemptor, node, required)) return;
      const v = node.metadata.labels![c.topologyKey]!;
      const m = this.tpValueToMatchNum[i]!;
      const n = (m.get(v) ?? 0) + delta;
      m.set(v, n);
      this.criticalPaths[i]!.update(v, n);
    });
  }
}

/** calPreFilterState over all nodes for the hard constraints. */
export function computeSpreadFilterState(pod: Pod, constraints: SpreadConstraint[], nodes: readonly NodeInfo[]): SpreadFilterState {
  const tp = constraints.map(() => new Map<string, number>());
  const required = new RequiredNodeAffinity(pod);
  const ns = pod.metadata.namespace ?? '';
  for (const ni of nodes) {
    const node = ni.node;
    if (!node || !nodeLabelsMatchSpreadConstraints(node.metadata.labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, node, required)) return;
      const v = node.metadata.labels![c.topologyKey]!;
      const m = tp[i]!;
      m.set(v, (m.get(v) ?? 0) + countPodsMatchSelector(ni.pods, c.selector, ns));
    });
  }
  const paths = tp.map((m) => {
    const cp = new CriticalPaths();
    for (const [v, n] of m) cp.update(v, n);
    return cp;
  });
  return new SpreadFilterState(constraints, paths, tp);
}

export type SpreadVerdict = 'fits' | 'missingLabel' | 'skew';

export function spreadFilter(s: SpreadFilterState, pod: Pod, node: Node): SpreadVerdict {
  if (s.constraints.length === 0) return 'fits';
  const nodeLabels = node.metadata.labels ?? {};
  const podLabels = pod.metadata.labels ?? {};
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    if (!Object.hasOwn(nodeLabels, c.topologyKey)) return 'missingLabel';
    const min = s.minMatchNum(i, c.minDomains);
    const self = matchesLabels(c.selector, podLabels) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i]!.get(nodeLabels[c.topologyKey]!) ?? 0;
    if (matchNum + self - min > c.maxSkew) return 'skew';
  }
  return 'fits';
}
