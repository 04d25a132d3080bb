/** authorization.k8s.io/v1 SubjectAccessReview: "may this user do this?" — create-only, never stored. */
import { defineResource } from '../../resource.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, ref } from '../../schema/builder.js';
import { SubjectAccessReviewSpec, SubjectAccessReviewStatus, metadataMustBeEmpty, validateSubjectAccessReviewSpec, type AccessReview } from './access-review-types.js';

export const SubjectAccessReviewSchema = def('io.k8s.api.authorization.v1.SubjectAccessReview', 'Asks whether a given user may perform an action.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(SubjectAccessReviewSpec, 'The request being checked.', { default: {} }),
  status: ref(SubjectAccessReviewStatus, 'The answer, filled in by the server.'),
}, { required: ['spec'], gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview' }] });

export const subjectAccessReviews = defineResource<AccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  singular: 'subjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  schema: SubjectAccessReviewSchema,
  strategy: { validate: (r) => [...metadataMustBeEmpty(r, false), ...validateSubjectAccessReviewSpec(r.spec ?? {})] },
});
