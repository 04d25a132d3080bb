/**
 * authorization.k8s.io/v1 shared types: the attributes a review asks about, its answer, and the
 * spec validation upstream applies (pkg/apis/authorization/validation).
 */
import type { KObject } from '../../meta/object.js';
import { FieldPath, invalid, type FieldError } from '../../meta/field-errors.js';
import { LabelSelectorRequirement } from '../../meta/schemas.js';
import { arr, bool, def, map, ref, str } from '../../schema/builder.js';

const G = 'io.k8s.api.authorization.v1';
const strList = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });

export const FieldSelectorRequirement = def(`${G}.FieldSelectorRequirement`, 'One field-selector requirement.', {
  key: str('Field selector key.', { default: '' }),
  operator: str('In, NotIn, Exists or DoesNotExist.', { default: '' }),
  values: strList('Values for In and NotIn.'),
}, { required: ['key', 'operator'] });

export const FieldSelectorAttributes = def(`${G}.FieldSelectorAttributes`, 'A field selector the request is limited by.', {
  rawSelector: str('The selector exactly as in the query string; exclusive with requirements.'),
  requirements: arr(ref(FieldSelectorRequirement, undefined, { default: {} }), 'The parsed requirements.', { listType: 'atomic' }),
});

export const LabelSelectorAttributes = def(`${G}.LabelSelectorAttributes`, 'A label selector the request is limited by.', {
  rawSelector: str('The selector exactly as in the query string; exclusive with requirements.'),
  requirements: arr(ref(LabelSelectorRequirement, undefined, { default: {} }), 'The parsed requirements.', { listType: 'atomic' }),
});

export const ResourceAttributes = def(`${G}.ResourceAttributes`, 'A request on an API resource, as the authorizer sees it.', {
  namespace: str('Namespace of the request; "" means all namespaces for namespaced resources.'),
  verb: str('API verb, e.g. get, list, watch, create, update, delete, proxy; "*" means all.'),
  group: str('API group; "*" means all.'),
  version: str('API version; "*" means all.'),
  resource: str('Resource, e.g. "pods"; "*" means all.'),
  subresource: str('Subresource, e.g. "log"; "" means none.'),
  name: str('Object name; "" means all.'),
  fieldSelector: ref(FieldSelectorAttributes, 'Field selector of the request.'),
  labelSelector: ref(LabelSelectorAttributes, 'Label selector of the request.'),
});

export const NonResourceAttributes = def(`${G}.NonResourceAttributes`, 'A request on a non-resource URL.', {
  path: str('URL path, e.g. "/healthz".'),
  verb: str('HTTP verb in lower case, e.g. "get".'),
});

export const SubjectAccessReviewStatus = def(`${G}.SubjectAccessReviewStatus`, 'The authorizer answer.', {
  allowed: bool('True when the action is allowed.', { default: false }),
  denied: bool('True when the action is explicitly denied (no later authorizer is asked).'),
  reason: str('Why the action was allowed or denied.'),
  evaluationError: str('Error met while evaluating; the answer may still be usable.'),
}, { required: ['allowed'] });

export const SubjectAccessReviewSpec = def(`${G}.SubjectAccessReviewSpec`, 'The request to check and the user making it.', {
  resourceAttributes: ref(ResourceAttributes, 'The resource request; exclusive with nonResourceAttributes.'),
  nonResourceAttributes: ref(NonResourceAttributes, 'The non-resource request; exclusive with resourceAttributes.'),
  user: str('User to check; at least one of user or groups is required.'),
  groups: strList('Groups of the user.'),
  extra: map(strList(''), 'Extra user attributes for the authorizer.'),
  uid: str('UID of the user.'),
});

export interface ResourceAttributesT {
  namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string;
  fieldSelector?: { rawSelector?: string; requirements?: unknown[] };
  labelSelector?: { rawSelector?: string; requirements?: unknown[] };
}
export interface ReviewSpec {
  resourceAttributes?: ResourceAttributesT;
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}
export interface AccessReview extends KObject {
  spec?: ReviewSpec;
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

function validateSelectors(ra: ResourceAttributesT | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of ['fieldSelector', 'labelSelector'] as const) {
    const s = ra?.[k];
    if (!s) continue;
    const hasRaw = (s.rawSelector ?? '').length > 0;
    const hasReq = (s.requirements ?? []).length > 0;
    if (hasRaw && hasReq) errs.push(invalid(p.child(k).child('rawSelector'), s.rawSelector, 'may not specified at the same time as requirements'));
    if (!hasRaw && !hasReq) errs.push({ type: 'FieldValueRequired', field: p.child(k).child('requirements').toString(), hasBadValue: false, detail: 'when fieldSelector is specified, requirements or rawSelector is required'.replace('fieldSelector', k) });
  }
  return errs;
}

/** Resource/non-resource exclusivity shared by all review specs. */
export function validateAttributes(spec: ReviewSpec): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec');
  if (spec.resourceAttributes && spec.nonResourceAttributes)
    errs.push(invalid(p.child('nonResourceAttributes'), spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (!spec.resourceAttributes && !spec.nonResourceAttributes)
    errs.push(invalid(p.child('resourceAttributes'), spec.nonResourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  errs.push(...validateSelectors(spec.resourceAttributes, p.child('resourceAttributes')));
  return errs;
}

export function validateSubjectAccessReviewSpec(spec: ReviewSpec): FieldError[] {
  const errs = validateAttributes(spec);
  if (!spec.user && !(spec.groups ?? []).length)
    errs.push(invalid(FieldPath.root('spec').child('user'), spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

/** Reviews carry no identity: metadata must be empty (apart from namespace where the kind allows one). */
export function metadataMustBeEmpty(obj: KObject, allowNamespace: boolean): FieldError[] {
  const m = obj.metadata ?? {};
  const significant = Object.entries(m).filter(([k, v]) => {
    if (v === undefined || v === null || v === '') return false;
    if (allowNamespace && k === 'namespace') return false;
    if (k === 'creationTimestamp' || k === 'managedFields') return false;
    return !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && Object.keys(v as object).length === 0);
  });
  if (significant.length === 0) return [];
  return [invalid(FieldPath.root('metadata'), m, allowNamespace ? 'must be empty except for namespace' : 'must be empty')];
}
