/**
 * core/v1 LimitRange: per-namespace bounds and defaults for the resources of pods, containers and
 * claims. Defaults mirror SetDefaults_LimitRangeItem; validation mirrors ValidateLimitRange.
 */
import { FieldPath, duplicate, forbidden, invalid, required, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { canonicalQuantity, compareQuantities, parseQuantity, quantityMilliValue, quantityValue, type Quantity } from '../../meta/quantity.js';
import { objectMeta, resourceList, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, ref, str } from '../../schema/builder.js';
import { isOverCommitAllowed, validateContainerResourceName, validateResourceName } from './resource-quota-names.js';

type ResourceList = Record<string, string>;

export interface LimitRangeItem {
  type: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

export interface LimitRange extends KObject {
  spec?: { limits?: LimitRangeItem[] };
}

const STANDARD_LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);
/** Quantities above this have no exact milli value (resource.MaxMilliValue). */
const MAX_MILLI_VALUE = Number.MAX_SAFE_INTEGER / 1000;

export const LimitRangeItem = def(
  'io.k8s.api.core.v1.LimitRangeItem',
  'Bounds and defaults for one kind of object (Pod, Container or PersistentVolumeClaim).',
  {
    type: str('Kind of object the limits apply to: Pod, Container or PersistentVolumeClaim.', { default: '' }),
    max: resourceList('Largest amount of each resource allowed.'),
    min: resourceList('Smallest amount of each resource allowed.'),
    default: resourceList('Limit used for a resource when a container does not set one.'),
    defaultRequest: resourceList('Request used for a resource when a container does not set one.'),
    maxLimitRequestRatio: resourceList('Largest allowed ratio of limit to request for each resource.'),
  },
  { required: ['type'] },
);

export const LimitRangeSpec = def(
  'io.k8s.api.core.v1.LimitRangeSpec',
  'The limits enforced in a namespace.',
  { limits: arr(ref(LimitRangeItem, undefined, { default: {} }), 'The limits, one item per object type.', { listType: 'atomic' }) },
  { required: ['limits'] },
);

export const LimitRangeSchema = def(
  'io.k8s.api.core.v1.LimitRange',
  'Resource bounds and defaults applied to objects in a namespace.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(LimitRangeSpec, 'The limits enforced.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'LimitRange' }] },
);

/** SetDefaults_LimitRangeItem: for containers, default limit ← max, default request ← default, then ← min. */
export function defaultLimitRangeItem(item: LimitRangeItem): void {
  if (item.type !== 'Container') return;
  const def: ResourceList = { ...(item.default ?? {}) };
  const req: ResourceList = { ...(item.defaultRequest ?? {}) };
  for (const [k, v] of Object.entries(item.max ?? {})) if (!(k in def)) def[k] = v;
  for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
  for (const [k, v] of Object.entries(item.min ?? {})) if (!(k in req)) req[k] = v;
  if (Object.keys(def).length || item.default) item.default = def;
  if (Object.keys(req).length || item.defaultRequest) item.defaultRequest = req;
}

function validateTypeName(value: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(value).map((m) => invalid(path, value, m));
  if (errs.length) return errs;
  if (!value.includes('/') && !STANDARD_LIMIT_TYPES.has(value)) return [invalid(path, value, 'must be a standard limit type or fully qualified')];
  return [];
}

const canon = (s: string) => canonicalQuantity(s) ?? s;
const ONE = (): Quantity | undefined => parseQuantity('1');

export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec').child('limits');
  const seenTypes = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const p = path.index(i);
    errs.push(...validateTypeName(item.type ?? '', p.child('type')));
    if (seenTypes.has(item.type)) errs.push(duplicate(p.child('type'), item.type));
    seenTypes.add(item.type);
    const checkName = (k: string, fp: FieldPath) =>
      item.type === 'Pod' || item.type === 'Container' ? validateContainerResourceName(k, fp) : validateResourceName(k, fp);
    const keys = new Set<string>();
    const collect = (field: keyof LimitRangeItem): Map<string, string> => {
      const m = new Map<string, string>();
      const list = item[field] as ResourceList | undefined;
      for (const [k, v] of Object.entries(list ?? {})) {
        errs.push(...checkName(k, p.child(field).key(k)));
        keys.add(k);
        m.set(k, v);
      }
      return m;
    };
    const max = collect('max');
    const min = collect('min');
    let defaults = new Map<string, string>();
    let defaultRequests = new Map<string, string>();
    if (item.type === 'Pod') {
      if (Object.keys(item.default ?? {}).length) errs.push(forbidden(p.child('default'), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(item.defaultRequest ?? {}).length)
        errs.push(forbidden(p.child('defaultRequest'), "may not be specified when `type` is 'Pod'"));
    } else {
      defaults = collect('default');
      defaultRequests = collect('defaultRequest');
    }
    if (item.type === 'PersistentVolumeClaim' && !(item.min && 'storage' in item.min) && !(item.max && 'storage' in item.max))
      errs.push(required(p.child('limits'), 'either minimum or maximum storage value is required, but neither was provided'));
    const ratios = collect('maxLimitRequestRatio');
    for (const k of [...keys].sort()) {
      const q = (m: Map<string, string>) => (m.has(k) ? parseQuantity(m.get(k)!) : undefined);
      const [mn, mx, df, dr, ratio] = [q(min), q(max), q(defaults), q(defaultRequests), q(ratios)];
      const s = (m: Map<string, string>) => canon(m.get(k)!);
      if (mn && mx && compareQuantities(mn, mx) > 0)
        errs.push(invalid(p.child('min').key(k), s(min), `min value ${s(min)} is greater than max value ${s(max)}`));
      if (dr && mn && compareQuantities(mn, dr) > 0)
        errs.push(invalid(p.child('defaultRequest').key(k), s(defaultRequests), `min value ${s(min)} is greater than default request value ${s(defaultRequests)}`));
      if (dr && mx && compareQuantities(dr, mx) > 0)
        errs.push(invalid(p.child('defaultRequest').key(k), s(defaultRequests), `default request value ${s(defaultRequests)} is greater than max value ${s(max)}`));
      if (dr && df && compareQuantities(dr, df) > 0)
        errs.push(invalid(p.child('defaultRequest').key(k), s(defaultRequests), `default request value ${s(defaultRequests)} is greater than default limit value ${s(defaults)}`));
      if (df && mn && compareQuantities(mn, df) > 0)
        errs.push(invalid(p.child('default').key(k), s(min), `min value ${s(min)} is greater than default value ${s(defaults)}`));
      if (df && mx && compareQuantities(df, mx) > 0)
        errs.push(invalid(p.child('default').key(k), s(max), `default value ${s(defaults)} is greater than max value ${s(max)}`));
      const one = ONE();
      if (ratio && one && compareQuantities(ratio, one) < 0)
        errs.push(invalid(p.child('maxLimitRequestRatio').key(k), s(ratios), `ratio ${s(ratios)} is less than 1`));
      if (ratio && mn && mx) {
        let ratioValue = quantityValue(ratio);
        let minValue = quantityValue(mn);
        let maxValue = quantityValue(mx);
        if (ratioValue < MAX_MILLI_VALUE && minValue < MAX_MILLI_VALUE && maxValue < MAX_MILLI_VALUE) {
          ratioValue = quantityMilliValue(ratio) / 1000;
          minValue = quantityMilliValue(mn);
          maxValue = quantityMilliValue(mx);
        }
        const limit = maxValue / minValue;
        if (ratioValue > limit)
          errs.push(invalid(p.child('maxLimitRequestRatio').key(k), s(ratios), `ratio ${s(ratios)} is greater than max/min = ${limit.toFixed(6)}`));
      }
      if (!isOverCommitAllowed(k) && df && dr && compareQuantities(df, dr) !== 0)
        errs.push(
          invalid(p.child('defaultRequest').key(k), s(defaultRequests), `default value ${s(defaults)} must equal to defaultRequest value ${s(defaultRequests)} in ${k}`),
        );
    }
  });
  return errs;
}

export const limitranges = defineResource<LimitRange>({
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  namespaced: true,
  schema: LimitRangeSchema,
  defaults(lr) {
    for (const item of lr.spec?.limits ?? []) defaultLimitRangeItem(item);
  },
  strategy: {
    validate: validateLimitRange,
    validateUpdate: (lr) => validateLimitRange(lr),
  },
});
