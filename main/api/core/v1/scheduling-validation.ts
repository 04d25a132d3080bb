/** Validation of tolerations, affinity and topology spread constraints, worded as upstream. */
import { FieldPath, duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabelSelector } from '../../meta/label-selector.js';
import { isQualifiedName, isValidLabelValue } from '../../meta/name-validation.js';
import type { Toleration } from './pod-types.js';

type Rec = Record<string, unknown>;
const asList = (v: unknown): Rec[] => (Array.isArray(v) ? (v as Rec[]) : []);
const asRec = (v: unknown): Rec | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];

function qualified(v: string, p: FieldPath): FieldError[] {
  return isQualifiedName(v).map((m) => invalid(p, v, m));
}

export function validateTolerations(tols: Toleration[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tols ?? []).forEach((t, i) => {
    const ip = p.index(i);
    if (t.key) errs.push(...qualified(t.key, ip.child('key')));
    if (!t.key && t.operator !== 'Exists')
      errs.push(invalid(ip.child('operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      errs.push(invalid(ip.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (t.operator ?? '') {
      case '':
      case 'Equal':
        errs.push(...isValidLabelValue(t.value ?? '').map((m) => invalid(ip.child('operator'), t.value ?? '', m)));
        break;
      case 'Exists':
        if (t.value) errs.push(invalid(ip.child('operator'), t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(ip.child('operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !EFFECTS.includes(t.effect)) errs.push(notSupported(ip.child('effect'), t.effect, EFFECTS));
  });
  return errs;
}

function validateNodeSelectorRequirement(r: Rec, p: FieldPath, isField: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const op = str(r['operator']);
  const values = asList(r['values']) as unknown as string[];
  switch (op) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0 && !isField)
        errs.push(forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(p.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(p.child('operator'), op, 'not a valid selector operator'));
  }
  if (isField) {
    if (str(r['key']) !== 'metadata.name') errs.push(invalid(p.child('key'), str(r['key']), 'not a valid field selector key'));
  } else {
    errs.push(...qualified(str(r['key']), p.child('key')));
  }
  return errs;
}

function validateNodeSelectorTerm(t: Rec, p: FieldPath): FieldError[] {
  return [
    ...asList(t['matchExpressions']).flatMap((r, i) => validateNodeSelectorRequirement(r, p.child('matchExpressions').index(i), false)),
    ...asList(t['matchFields']).flatMap((r, i) => validateNodeSelectorRequirement(r, p.child('matchFields').index(i), true)),
  ];
}

function weight(w: unknown, p: FieldPath): FieldError[] {
  return typeof w === 'number' && w >= 1 && w <= 100 ? [] : [invalid(p, w ?? 0, 'must be in the range 1-100')];
}

function validatePodAffinityTerm(t: Rec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ls = asRec(t['labelSelector']);
  if (ls) errs.push(...validateLabelSelector(ls, p.child('labelSelector')));
  const ns = asRec(t['namespaceSelector']);
  if (ns) errs.push(...validateLabelSelector(ns, p.child('namespaceSelector')));
  const key = str(t['topologyKey']);
  if (!key) errs.push(required(p.child('topologyKey'), 'can not be empty'));
  else errs.push(...qualified(key, p.child('topologyKey')));
  return errs;
}

function validatePodAffinity(a: Rec | undefined, p: FieldPath): FieldError[] {
  if (!a) return [];
  const req = p.child('requiredDuringSchedulingIgnoredDuringExecution');
  const pref = p.child('preferredDuringSchedulingIgnoredDuringExecution');
  return [
    ...asList(a['requiredDuringSchedulingIgnoredDuringExecution']).flatMap((t, i) => validatePodAffinityTerm(t, req.index(i))),
    ...asList(a['preferredDuringSchedulingIgnoredDuringExecution']).flatMap((w, i) => [
      ...weight(w['weight'], pref.index(i).child('weight')),
      ...validatePodAffinityTerm(asRec(w['podAffinityTerm']) ?? {}, pref.index(i).child('podAffinityTerm')),
    ]),
  ];
}

export function validateAffinity(aff: Rec | undefined, p: FieldPath): FieldError[] {
  if (!aff) return [];
  const errs: FieldError[] = [];
  const na = asRec(aff['nodeAffinity']);
  if (na) {
    const np = p.child('nodeAffinity');
    const sel = asRec(na['requiredDuringSchedulingIgnoredDuringExecution']);
    if (sel) {
      const sp = np.child('requiredDuringSchedulingIgnoredDuringExecution');
      const terms = asList(sel['nodeSelectorTerms']);
      if (terms.length === 0) errs.push(required(sp.child('nodeSelectorTerms'), 'must have at least one node selector term'));
      terms.forEach((t, i) => errs.push(...validateNodeSelectorTerm(t, sp.child('nodeSelectorTerms').index(i))));
    }
    asList(na['preferredDuringSchedulingIgnoredDuringExecution']).forEach((t, i) => {
      const tp = np.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      errs.push(...weight(t['weight'], tp.child('weight')));
      errs.push(...validateNodeSelectorTerm(asRec(t['preference']) ?? {}, tp.child('preference')));
    });
  }
  errs.push(...validatePodAffinity(asRec(aff['podAffinity']), p.child('podAffinity')));
  errs.push(...validatePodAffinity(asRec(aff['podAntiAffinity']), p.child('podAntiAffinity')));
  return errs;
}

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];
const INCLUSION = ['Honor', 'Ignore'];

export function validateTopologySpread(list: unknown[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asList(list).forEach((c, i) => {
    const ip = p.index(i);
    const skew = c['maxSkew'];
    if (typeof skew !== 'number' || skew <= 0) errs.push(invalid(ip.child('maxSkew'), skew ?? 0, 'must be greater than zero'));
    const key = str(c['topologyKey']);
    if (!key) errs.push(required(ip.child('topologyKey'), 'can not be empty'));
    else errs.push(...qualified(key, ip.child('topologyKey')));
    const when = str(c['whenUnsatisfiable']);
    if (!WHEN_UNSATISFIABLE.includes(when)) errs.push(notSupported(ip.child('whenUnsatisfiable'), when, WHEN_UNSATISFIABLE));
    const pair = `{${key}, ${when}}`;
    if (seen.has(pair)) errs.push(duplicate(ip, pair));
    seen.add(pair);
    const minDomains = c['minDomains'];
    if (minDomains !== undefined) {
      if (typeof minDomains !== 'number' || minDomains <= 0) errs.push(invalid(ip.child('minDomains'), minDomains, 'must be greater than 0'));
      else if (when !== 'DoNotSchedule')
        errs.push(invalid(ip.child('minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
    }
    for (const k of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      const v = c[k];
      if (v !== undefined && !INCLUSION.includes(str(v))) errs.push(notSupported(ip.child(k), v, INCLUSION));
    }
    const ls = asRec(c['labelSelector']);
    if (ls) errs.push(...validateLabelSelector(ls, ip.child('labelSelector')));
  });
  return errs;
}
