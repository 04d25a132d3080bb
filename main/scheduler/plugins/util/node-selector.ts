/**
 * Node selectors as component-helpers' nodeaffinity: NodeSelectorTerm matching over node labels and the
 * metadata.name field, the pod's required node affinity (nodeSelector AND required terms), and the
 * preferred-terms weight sum. Terms that do not parse (e.g. In without values, Gt with a non-integer) are
 * skipped as upstream's LazyErrorNodeSelector does; an empty term matches nothing.
 */
import type { Node } from '../../../api/core/v1/node.js';
import type { Pod } from '../../../api/core/v1/pod-types.js';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}
export interface NodeSelectorSpec {
  nodeSelectorTerms?: NodeSelectorTerm[];
}
export interface PreferredSchedulingTerm {
  weight: number;
  preference?: NodeSelectorTerm;
}
export interface NodeAffinitySpec {
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelectorSpec;
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

export const OBJECT_NAME_FIELD = 'metadata.name';

type Labels = Record<string, string>;
type Pred = (labels: Labels, name: string) => boolean;

const INT64 = /^[+-]?\d+$/;

function compileLabelReq(r: NodeSelectorRequirement): Pred | undefined {
  const key = r.key;
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      if (values.length === 0) return undefined;
      return (l) => Object.hasOwn(l, key) && values.includes(l[key]!);
    case 'NotIn':
      if (values.length === 0) return undefined;
      return (l) => !Object.hasOwn(l, key) || !values.includes(l[key]!);
    case 'Exists':
      if (values.length !== 0) return undefined;
      return (l) => Object.hasOwn(l, key);
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      return (l) => !Object.hasOwn(l, key);
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !INT64.test(values[0]!)) return undefined;
      const bound = BigInt(values[0]!);
      const gt = r.operator === 'Gt';
      return (l) => {
        const v = l[key];
        if (v === undefined || !INT64.test(v)) return false;
        const n = BigInt(v);
        return gt ? n > bound : n < bound;
      };
    }
    default:
      return undefined;
  }
}

/** Fields: only metadata.name, In/NotIn with exactly one value (nodeaffinity's field selector rules). */
function compileFieldReq(r: NodeSelectorRequirement): Pred | undefined {
  if (r.key !== OBJECT_NAME_FIELD) return undefined;
  const values = r.values ?? [];
  if (values.length !== 1) return undefined;
  const v = values[0]!;
  if (r.operator === 'In') return (_l, name) => name === v;
  if (r.operator === 'NotIn') return (_l, name) => name !== v;
  return undefined;
}

/** Compiles one term; undefined when it is empty or does not parse (it then matches nothing). */
export function compileTerm(t: NodeSelectorTerm | undefined): Pred | undefined {
  const exprs = t?.matchExpressions ?? [];
  const fields = t?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return undefined;
  const preds: Pred[] = [];
  for (const r of exprs) {
    const p = compileLabelReq(r);
    if (!p) return undefined;
    preds.push(p);
  }
  for (const r of fields) {
    const p = compileFieldReq(r);
    if (!p) return undefined;
    preds.push(p);
  }
  return (l, n) => preds.every((p) => p(l, n));
}

/** A compiled NodeSelector: matches when any parsable term matches. */
export class CompiledNodeSelector {
  private readonly terms: Pred[];
  constructor(sel: NodeSelectorSpec | undefined) {
    this.terms = [];
    for (const t of sel?.nodeSelectorTerms ?? []) {
      const p = compileTerm(t);
      if (p) this.terms.push(p);
    }
  }
  match(node: Node): boolean {
    const labels = node.metadata.labels ?? {};
    const name = node.metadata.name ?? '';
    for (const p of this.terms) if (p(labels, name)) return true;
    return false;
  }
}

/** nodeaffinity.RequiredNodeAffinity: spec.nodeSelector AND required node affinity terms. */
export class RequiredNodeAffinity {
  private readonly nodeSelector: [string, string][] | undefined;
  private readonly affinity: CompiledNodeSelector | undefined;
  constructor(pod: Pod) {
    const ns = pod.spec?.nodeSelector;
    this.nodeSelector = ns && Object.keys(ns).length > 0 ? Object.entries(ns) : undefined;
    const req = nodeAffinityOf(pod)?.requiredDuringSchedulingIgnoredDuringExecution;
    this.affinity = req ? new CompiledNodeSelector(req) : undefined;
  }
  match(node: Node): boolean {
    if (this.nodeSelector) {
      const labels = node.metadata.labels ?? {};
      for (const [k, v] of this.nodeSelector) if (labels[k] !== v) return false;
    }
    return this.affinity ? this.affinity.match(node) : true;
  }
}

export function nodeAffinityOf(pod: Pod): NodeAffinitySpec | undefined {
  return (pod.spec?.affinity as { nodeAffinity?: NodeAffinitySpec } | undefined)?.nodeAffinity;
}

/** nodeaffinity.PreferredSchedulingTerms: weight sum of matching terms (weight-0 terms are dropped). */
export class PreferredSchedulingTerms {
  private readonly terms: { weight: number; pred: Pred }[] = [];
  constructor(terms: PreferredSchedulingTerm[] | undefined) {
    for (const t of terms ?? []) {
      if (!t.weight) continue;
      const pred = compileTerm(t.preference);
      if (pred) this.terms.push({ weight: t.weight, pred });
    }
  }
  get length(): number {
    return this.terms.length;
  }
  score(node: Node): number {
    const labels = node.metadata.labels ?? {};
    const name = node.metadata.name ?? '';
    let s = 0;
    for (const t of this.terms) if (t.pred(labels, name)) s += t.weight;
    return s;
  }
}

/** v1helper.MatchTopologySelectorTerms: no terms matches everything; else any term whose every expression holds. */
export function matchTopologySelectorTerms(
  terms: { matchLabelExpressions?: { key: string; values?: string[] }[] }[] | undefined,
  labels: Labels,
): boolean {
  if (!terms || terms.length === 0) return true;
  return terms.some((t) => {
    const exprs = t.matchLabelExpressions ?? [];
    if (exprs.length === 0) return false;
    return exprs.every((e) => Object.hasOwn(labels, e.key) && (e.values ?? []).includes(labels[e.key]!));
  });
}
