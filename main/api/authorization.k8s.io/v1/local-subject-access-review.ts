/** authorization.k8s.io/v1 LocalSubjectAccessReview: a SubjectAccessReview scoped to one namespace. */
import { defineResource } from '../../resource.js';
import { FieldPath, invalid } from '../../meta/field-errors.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, ref } from '../../schema/builder.js';
import { SubjectAccessReviewSpec, SubjectAccessReviewStatus, metadataMustBeEmpty, validateSubjectAccessReviewSpec, type AccessReview } from './access-review-types.js';

export const LocalSubjectAccessReviewSchema = def(
  'io.k8s.api.authorization.v1.LocalSubjectAccessReview',
  'Asks whether a given user may perform an action in the namespace of the review.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(SubjectAccessReviewSpec, 'The request being checked; its namespace must match the review namespace.', { default: {} }),
    status: ref(SubjectAccessReviewStatus, 'The answer, filled in by the server.'),
  },
  { required: ['spec'], gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview' }] },
);

function validate(r: AccessReview) {
  const errs = [...metadataMustBeEmpty(r, true), ...validateSubjectAccessReviewSpec(r.spec ?? {})];
  const ra = r.spec?.resourceAttributes;
  if (ra && (ra.namespace ?? '') !== (r.metadata.namespace ?? ''))
    errs.push(invalid(FieldPath.root('spec').child('resourceAttributes').child('namespace'), ra.namespace ?? '', 'must match metadata.namespace'));
  if (r.spec?.nonResourceAttributes)
    errs.push(invalid(FieldPath.root('spec').child('nonResourceAttributes'), r.spec.nonResourceAttributes, 'disallowed on this kind of request'));
  return errs;
}

export const localSubjectAccessReviews = defineResource<AccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'LocalSubjectAccessReview',
  plural: 'localsubjectaccessreviews',
  singular: 'localsubjectaccessreview',
  namespaced: true,
  verbs: ['create'],
  virtual: true,
  schema: LocalSubjectAccessReviewSchema,
  strategy: { validate },
});
