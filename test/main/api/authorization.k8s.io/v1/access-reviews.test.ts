import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import { subjectAccessReviews } from '../../../../../main/api/authorization.k8s.io/v1/subject-access-review.js';
import { selfSubjectAccessReviews } from '../../../../../main/api/authorization.k8s.io/v1/self-subject-access-review.js';
import { localSubjectAccessReviews } from '../../../../../main/api/authorization.k8s.io/v1/local-subject-access-review.js';
import { defaultTokenRequest, validateTokenRequest, type TokenRequest } from '../../../../../main/api/authentication.k8s.io/v1/token-request.js';

const run = (d: typeof subjectAccessReviews, o: Record<string, unknown>) =>
  d.strategy!.validate!({ metadata: {}, ...o } as never).map(errorLine).sort();

test('SelfSubjectAccessReview: exactly one of resource and non-resource attributes', () => {
  assert.deepEqual(run(selfSubjectAccessReviews, { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }), []);
  assert.deepEqual(run(selfSubjectAccessReviews, { spec: {} }), [
    'spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
  ]);
  assert.deepEqual(run(selfSubjectAccessReviews, { spec: { resourceAttributes: {}, nonResourceAttributes: { path: '/x', verb: 'get' } } }), [
    'spec.nonResourceAttributes: Invalid value: {"path":"/x","verb":"get"}: cannot be specified in combination with resourceAttributes',
  ]);
  assert.deepEqual(run(selfSubjectAccessReviews, { metadata: { name: 'n' }, spec: { nonResourceAttributes: {} } }), [
    'metadata: Invalid value: {"name":"n"}: must be empty',
  ]);
});

test('SubjectAccessReview needs a user or group; the local one a matching namespace', () => {
  assert.deepEqual(run(subjectAccessReviews, { spec: { resourceAttributes: {} } }), [
    'spec.user: Invalid value: "": at least one of user or group must be specified',
  ]);
  assert.deepEqual(run(localSubjectAccessReviews, { metadata: { namespace: 'a' }, spec: { user: 'u', resourceAttributes: { namespace: 'b' } } }), [
    'spec.resourceAttributes.namespace: Invalid value: "b": must match metadata.namespace',
  ]);
});

test('TokenRequest defaults to one hour and refuses less than ten minutes', () => {
  const tr: TokenRequest = { metadata: {}, spec: { audiences: ['api'] } };
  defaultTokenRequest(tr);
  assert.equal(tr.spec!.expirationSeconds, 3600);
  assert.deepEqual(validateTokenRequest(tr), []);
  tr.spec!.expirationSeconds = 599;
  assert.deepEqual(validateTokenRequest(tr).map(errorLine), [
    'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
  ]);
});
