/**
 * authentication.k8s.io/v1 TokenRequest, served as the serviceaccounts/token subresource (by the core
 * group). Exported here: the schema, its defaults and its validation.
 */
import type { KObject } from '../../meta/object.js';
import { FieldPath, invalid, type FieldError } from '../../meta/field-errors.js';
import { Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, int64, ref, str } from '../../schema/builder.js';

const G = 'io.k8s.api.authentication.v1';

export const BoundObjectReference = def(`${G}.BoundObjectReference`, 'An object the token is bound to; the token dies with it.', {
  kind: str('Kind of the object: Pod, Secret or Node.'),
  apiVersion: str('API version of the object.'),
  name: str('Name of the object.'),
  uid: str('UID of the object.'),
});

export const TokenRequestSpec = def(`${G}.TokenRequestSpec`, 'What the requested token is for.', {
  audiences: arr(str('', { default: '' }), 'Intended audiences of the token.', { listType: 'atomic' }),
  expirationSeconds: int64('Requested lifetime in seconds (at least 600); the issuer may shorten it. Defaults to 3600.'),
  boundObjectRef: ref(BoundObjectReference, 'Object the token is bound to.'),
}, { required: ['audiences'] });

export const TokenRequestStatus = def(`${G}.TokenRequestStatus`, 'The issued token.', {
  token: str('The opaque bearer token.', { default: '' }),
  expirationTimestamp: ref(Time, 'When the token expires.'),
}, { required: ['token', 'expirationTimestamp'] });

export const TokenRequestSchema = def(`${G}.TokenRequest`, 'Requests a token for a service account.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(TokenRequestSpec, 'The request.', { default: {} }),
  status: ref(TokenRequestStatus, 'The issued token, filled in by the server.', { default: {} }),
}, { required: ['spec'], gvk: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }] });

export interface TokenRequest extends KObject {
  spec?: { audiences?: string[]; expirationSeconds?: number; boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } };
  status?: { token?: string; expirationTimestamp?: string };
}

export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
export const MAX_TOKEN_EXPIRATION_SECONDS = 2 ** 32;

export function defaultTokenRequest(tr: TokenRequest): void {
  tr.spec ??= {};
  tr.spec.expirationSeconds ??= DEFAULT_TOKEN_EXPIRATION_SECONDS;
}

export function validateTokenRequest(tr: TokenRequest): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec').child('expirationSeconds');
  const secs = tr.spec?.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  if (secs < MIN_TOKEN_EXPIRATION_SECONDS) errs.push(invalid(p, secs, 'may not specify a duration less than 10 minutes'));
  if (secs > MAX_TOKEN_EXPIRATION_SECONDS) errs.push(invalid(p, secs, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}
