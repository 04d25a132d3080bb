/** authorization.k8s.io/v1 SelfSubjectRulesReview: everything the caller may do in a namespace (kubectl auth can-i --list). */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import type { FieldError } from '../../meta/field-errors.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, bool, def, ref, str } from '../../schema/builder.js';
import { metadataMustBeEmpty } from './access-review-types.js';

const G = 'io.k8s.api.authorization.v1';
const strList = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });

export const ResourceRule = def(`${G}.ResourceRule`, 'Verbs the caller may use on some resources.', {
  verbs: strList('Allowed verbs; "*" means all.'),
  apiGroups: strList('API groups; "*" means all.'),
  resources: strList('Resources; "*" means all.'),
  resourceNames: strList('Object names; empty means all.'),
}, { required: ['verbs'] });

export const NonResourceRule = def(`${G}.NonResourceRule`, 'Verbs the caller may use on some non-resource URLs.', {
  verbs: strList('Allowed verbs; "*" means all.'),
  nonResourceURLs: strList('URL paths; a trailing "*" matches a prefix.'),
}, { required: ['verbs'] });

export const SubjectRulesReviewStatus = def(`${G}.SubjectRulesReviewStatus`, 'The rules that apply to the caller.', {
  resourceRules: arr(ref(ResourceRule, undefined, { default: {} }), 'Rules on resources.', { listType: 'atomic' }),
  nonResourceRules: arr(ref(NonResourceRule, undefined, { default: {} }), 'Rules on non-resource URLs.', { listType: 'atomic' }),
  incomplete: bool('True when the authorizer cannot list every rule (e.g. webhooks).', { default: false }),
  evaluationError: str('Error met while listing rules.'),
}, { required: ['resourceRules', 'nonResourceRules', 'incomplete'] });

export const SelfSubjectRulesReviewSpec = def(`${G}.SelfSubjectRulesReviewSpec`, 'What to list rules for.', {
  namespace: str('Namespace to evaluate rules in.'),
});

export const SelfSubjectRulesReviewSchema = def(`${G}.SelfSubjectRulesReview`, 'Lists the actions the caller may perform in a namespace.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(SelfSubjectRulesReviewSpec, 'What to evaluate.', { default: {} }),
  status: ref(SubjectRulesReviewStatus, 'The rules, filled in by the server.'),
}, { required: ['spec'], gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview' }] });

export interface SelfSubjectRulesReview extends KObject {
  spec?: { namespace?: string };
  status?: unknown;
}

function validate(r: SelfSubjectRulesReview): FieldError[] {
  return metadataMustBeEmpty(r, false);
}

export const selfSubjectRulesReviews = defineResource<SelfSubjectRulesReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  schema: SelfSubjectRulesReviewSchema,
  strategy: { validate },
});
