/** authorization.k8s.io/v1 SelfSubjectAccessReview: "may I do this?" (kubectl auth can-i). */
import { defineResource } from '../../resource.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, ref } from '../../schema/builder.js';
import { NonResourceAttributes, ResourceAttributes, SubjectAccessReviewStatus, metadataMustBeEmpty, validateAttributes, type AccessReview } from './access-review-types.js';

export const SelfSubjectAccessReviewSpec = def('io.k8s.api.authorization.v1.SelfSubjectAccessReviewSpec', 'The request to check for the caller.', {
  resourceAttributes: ref(ResourceAttributes, 'The resource request; exclusive with nonResourceAttributes.'),
  nonResourceAttributes: ref(NonResourceAttributes, 'The non-resource request; exclusive with resourceAttributes.'),
});

export const SelfSubjectAccessReviewSchema = def(
  'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
  'Asks whether the caller may perform an action.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(SelfSubjectAccessReviewSpec, 'The request being checked.', { default: {} }),
    status: ref(SubjectAccessReviewStatus, 'The answer, filled in by the server.'),
  },
  { required: ['spec'], gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' }] },
);

export const selfSubjectAccessReviews = defineResource<AccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  schema: SelfSubjectAccessReviewSchema,
  strategy: { validate: (r) => [...metadataMustBeEmpty(r, false), ...validateAttributes(r.spec ?? {})] },
});
