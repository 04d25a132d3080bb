/**
 * core/v1 ResourceQuota: aggregate limits on what a namespace may consume, optionally restricted to
 * pods matching scopes. The quota controller fills status.hard / status.used.
 */
import { FieldPath, invalid, required, type FieldError } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { canonicalQuantity, parseQuantity, quantityMilliValue, QUANTITY_REGEX_ERROR } from '../../meta/quantity.js';
import { objectMeta, resourceList, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { goStringSlice, goValued } from './service-go-values.js';
import {
  isIntegerResourceName,
  isStandardQuotaResourceName,
  scopeAppliesToResource,
  STANDARD_QUOTA_SCOPES,
  validateQuotaResourceName,
} from './resource-quota-names.js';

type ResourceList = Record<string, string>;

export interface ScopedResourceSelectorRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

export interface ResourceQuota extends KObject {
  spec?: { hard?: ResourceList; scopes?: string[]; scopeSelector?: { matchExpressions?: ScopedResourceSelectorRequirement[] } };
  status?: { hard?: ResourceList; used?: ResourceList };
}

const SCOPE_ENUM = {
  BestEffort: 'matches pods that have best effort quality of service.',
  CrossNamespacePodAffinity: 'matches pods with cross-namespace pod (anti-)affinity terms.',
  NotBestEffort: 'matches pods that do not have best effort quality of service.',
  NotTerminating: 'matches pods without an active deadline.',
  PriorityClass: 'matches pods that reference a priority class.',
  Terminating: 'matches pods with an active deadline.',
  VolumeAttributesClass: 'matches claims that reference a volume attributes class.',
};

export const ScopedResourceSelectorRequirement = def(
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement',
  'A requirement on a scope: scope name, operator and values.',
  {
    scopeName: enumStr('The scope the requirement applies to.', SCOPE_ENUM, { default: '' }),
    operator: enumStr(
      'Relation of the scope to the values.',
      { DoesNotExist: '', Exists: '', In: '', NotIn: '' },
      { default: '' },
    ),
    values: arr(str('', { default: '' }), 'Values for In and NotIn; empty for Exists and DoesNotExist.', { listType: 'atomic' }),
  },
  { required: ['scopeName', 'operator'] },
);

export const ScopeSelector = def(
  'io.k8s.api.core.v1.ScopeSelector',
  'Scope requirements that are ANDed together.',
  {
    matchExpressions: arr(ref(ScopedResourceSelectorRequirement, undefined, { default: {} }), 'The scope requirements.', {
      listType: 'atomic',
    }),
  },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const ResourceQuotaSpec = def('io.k8s.api.core.v1.ResourceQuotaSpec', 'Desired hard limits of a quota.', {
  hard: resourceList('Hard limit for each named resource.'),
  scopes: arr(enumStr('', SCOPE_ENUM, { default: '' }), 'Scopes every tracked object must match.', { listType: 'atomic' }),
  scopeSelector: ref(ScopeSelector, 'Scope requirements every tracked object must match, in selector form.'),
});

export const ResourceQuotaStatus = def('io.k8s.api.core.v1.ResourceQuotaStatus', 'Enforced limits and current usage.', {
  hard: resourceList('Hard limits being enforced.'),
  used: resourceList('Current usage of each resource in the namespace.'),
});

export const ResourceQuotaSchema = def(
  'io.k8s.api.core.v1.ResourceQuota',
  'Aggregate limits on resource consumption within a namespace.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(ResourceQuotaSpec, 'Desired quota.', { default: {} }),
    status: ref(ResourceQuotaStatus, 'Enforced limits and usage, maintained by the quota controller.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ResourceQuota' }] },
);

/** ValidateResourceQuantityValue: non-negative, and whole for countable resources. */
function validateQuantityValue(resource: string, value: string, path: FieldPath): FieldError[] {
  const q = parseQuantity(value);
  if (!q) return [invalid(path, value, QUANTITY_REGEX_ERROR)];
  const errs: FieldError[] = [];
  if (q.mantissa < 0n) errs.push(invalid(path, canonicalQuantity(value) ?? value, 'must be greater than or equal to 0'));
  if (isIntegerResourceName(resource) && quantityMilliValue(q) % 1000 !== 0)
    errs.push(invalid(path, canonicalQuantity(value) ?? value, 'must be an integer'));
  return errs;
}

function validateResourceList(list: ResourceList | undefined, path: FieldPath): FieldError[] {
  return Object.entries(list ?? {}).flatMap(([k, v]) => [
    ...validateQuotaResourceName(k, path.key(k)),
    ...validateQuantityValue(k, v, path.key(k)),
  ]);
}

const CONFLICTING_SCOPES: [string, string][] = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];

function validateScopes(rq: ResourceQuota): FieldError[] {
  const scopes = rq.spec?.scopes ?? [];
  if (!scopes.length) return [];
  const path = FieldPath.root('spec').child('scopes').toString();
  const shown = goStringSlice(scopes, 'core.ResourceQuotaScope');
  const hard = Object.keys(rq.spec?.hard ?? {}).sort();
  const errs: FieldError[] = [];
  for (const scope of scopes) {
    if (!STANDARD_QUOTA_SCOPES.includes(scope)) errs.push(goValued('FieldValueInvalid', path, shown, 'unsupported scope'));
    for (const k of hard)
      if (isStandardQuotaResourceName(k) && !scopeAppliesToResource(scope, k))
        errs.push(goValued('FieldValueInvalid', path, shown, 'unsupported scope applied to resource'));
  }
  for (const [a, b] of CONFLICTING_SCOPES)
    if (scopes.includes(a) && scopes.includes(b)) errs.push(goValued('FieldValueInvalid', path, shown, 'conflicting scopes'));
  return errs;
}

function validateScopeSelector(rq: ResourceQuota): FieldError[] {
  const sel = rq.spec?.scopeSelector;
  if (!sel) return [];
  const path = FieldPath.root('spec').child('scopeSelector').child('matchExpressions');
  const hard = Object.keys(rq.spec?.hard ?? {}).sort();
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const selectorShown = JSON.stringify(sel);
  for (const req of sel.matchExpressions ?? []) {
    if (!STANDARD_QUOTA_SCOPES.includes(req.scopeName)) errs.push(invalid(path.child('scopeName'), req.scopeName, 'unsupported scope'));
    for (const k of hard)
      if (isStandardQuotaResourceName(k) && !scopeAppliesToResource(req.scopeName, k))
        errs.push(goValued('FieldValueInvalid', path.toString(), selectorShown, 'unsupported scope applied to resource'));
    if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(req.scopeName) && req.operator !== 'Exists')
      errs.push(
        invalid(
          path.child('operator'),
          req.operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (!req.values?.length)
          errs.push(required(path.child('values'), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (req.values?.length)
          errs.push(
            goValued('FieldValueInvalid', path.child('values').toString(), goStringSlice(req.values),
              "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"),
          );
        break;
      default:
        errs.push(invalid(path.child('operator'), req.operator, 'not a valid selector operator'));
    }
    seen.add(req.scopeName);
  }
  for (const [a, b] of CONFLICTING_SCOPES)
    if (seen.has(a) && seen.has(b)) errs.push(goValued('FieldValueInvalid', path.toString(), selectorShown, 'conflicting scopes'));
  return errs;
}

export function validateResourceQuota(rq: ResourceQuota): FieldError[] {
  return [
    ...validateResourceList(rq.spec?.hard, FieldPath.root('spec').child('hard')),
    ...validateScopes(rq),
    ...validateScopeSelector(rq),
    ...validateResourceList(rq.status?.hard, FieldPath.root('status').child('hard')),
    ...validateResourceList(rq.status?.used, FieldPath.root('status').child('used')),
  ];
}

export function validateResourceQuotaUpdate(rq: ResourceQuota, old: ResourceQuota): FieldError[] {
  const errs = validateResourceQuota(rq);
  const a = new Set(rq.spec?.scopes ?? []);
  const b = new Set(old.spec?.scopes ?? []);
  if (a.size !== b.size || [...a].some((s) => !b.has(s)))
    errs.push(goValued('FieldValueInvalid', 'spec.scopes', goStringSlice(rq.spec?.scopes ?? [], 'core.ResourceQuotaScope'), 'field is immutable'));
  return errs;
}

/** REQUEST / LIMIT columns: `resource: used/hard` pairs sorted by name; `limits.*` go to LIMIT. */
export function quotaColumns(rq: ResourceQuota): { request: string; limit: string } {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const req: string[] = [];
  const lim: string[] = [];
  const show = (v: string | undefined) => (v === undefined ? '0' : (canonicalQuantity(v) ?? v));
  for (const name of Object.keys(hard).sort()) {
    const pieces = name.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? lim : req;
    target.push(`${name}: ${show(used[name])}/${show(hard[name])}`);
  }
  return { request: req.join(', '), limit: lim.join(', ') };
}

export const resourcequotas = defineResource<ResourceQuota>({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  schema: ResourceQuotaSchema,
  subresources: { status: true },
  strategy: {
    validate: validateResourceQuota,
    validateUpdate: validateResourceQuotaUpdate,
    validateStatusUpdate: (rq) => validateResourceQuota(rq),
  },
  columns: [
    nameColumn<ResourceQuota>(),
    ageColumn<ResourceQuota>(),
    col<ResourceQuota>('Request', (rq) => quotaColumns(rq).request, {
      description: 'Minimum amounts of resources the namespace may request, as used/hard.',
    }),
    col<ResourceQuota>('Limit', (rq) => quotaColumns(rq).limit, {
      description: 'Maximum amounts of resources (limits.*) the namespace may use, as used/hard.',
    }),
  ],
});
