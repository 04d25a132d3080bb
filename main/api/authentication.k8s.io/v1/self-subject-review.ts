/** authentication.k8s.io/v1 SelfSubjectReview: "who am I?" (kubectl auth whoami). Create-only, not stored. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, ref } from '../../schema/builder.js';
import { UserInfo, type UserInfoT } from './user-info.js';

export const SelfSubjectReviewStatus = def('io.k8s.api.authentication.v1.SelfSubjectReviewStatus', 'The caller identity.', {
  userInfo: ref(UserInfo, 'Attributes of the user making the request.', { default: {} }),
});

export const SelfSubjectReviewSchema = def('io.k8s.api.authentication.v1.SelfSubjectReview', 'Returns the identity the server sees for the caller.', {
  ...typeMeta(),
  metadata: objectMeta(),
  status: ref(SelfSubjectReviewStatus, 'The caller identity, filled in by the server.', { default: {} }),
}, { gvk: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' }] });

export interface SelfSubjectReview extends KObject {
  status?: { userInfo?: UserInfoT };
}

export const selfSubjectReviews = defineResource<SelfSubjectReview>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  schema: SelfSubjectReviewSchema,
});
