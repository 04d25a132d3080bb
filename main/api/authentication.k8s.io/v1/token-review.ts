/** authentication.k8s.io/v1 TokenReview: asks the server to authenticate a bearer token. Create-only, not stored. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, bool, def, ref, str } from '../../schema/builder.js';
import { UserInfo, type UserInfoT } from './user-info.js';

const G = 'io.k8s.api.authentication.v1';
const strList = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });

export const TokenReviewSpec = def(`${G}.TokenReviewSpec`, 'The token to check.', {
  token: str('The opaque bearer token.'),
  audiences: strList('Audiences the token must be valid for; the server audiences when empty.'),
});

export const TokenReviewStatus = def(`${G}.TokenReviewStatus`, 'The result of authenticating the token.', {
  authenticated: bool('True when the token is valid.'),
  user: ref(UserInfo, 'The identity the token belongs to.', { default: {} }),
  audiences: strList('Audiences the token is valid for, out of the requested ones.'),
  error: str('Why the token could not be checked.'),
});

export const TokenReviewSchema = def(`${G}.TokenReview`, 'Authenticates a token and returns the identity it carries.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(TokenReviewSpec, 'The token to check.', { default: {} }),
  status: ref(TokenReviewStatus, 'The result, filled in by the server.', { default: {} }),
}, { required: ['spec'], gvk: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview' }] });

export interface TokenReview extends KObject {
  spec?: { token?: string; audiences?: string[] };
  status?: { authenticated?: boolean; user?: UserInfoT; audiences?: string[]; error?: string };
}

export const tokenReviews = defineResource<TokenReview>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  singular: 'tokenreview',
  namespaced: false,
  verbs: ['create'],
  virtual: true,
  schema: TokenReviewSchema,
});
