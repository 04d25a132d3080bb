import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as errs from '../../../../main/apiserver/http/api-error.js';
import { FieldPath, invalid as invalidField, required, notSupported } from '../../../../main/api/meta/field-errors.js';

const apps = { group: 'apps', resource: 'deployments' };
const core = { group: '', resource: 'pods' };

test('api errors: NotFound / AlreadyExists / Conflict as apimachinery words them', () => {
  const cases: [errs.ApiError, number, string, string, errs.StatusDetails][] = [
    [errs.notFound(apps, 'web'), 404, 'NotFound', 'deployments.apps "web" not found', { name: 'web', group: 'apps', kind: 'deployments' }],
    [errs.notFound(core, 'p'), 404, 'NotFound', 'pods "p" not found', { name: 'p', kind: 'pods' }],
    [errs.alreadyExists(apps, 'web'), 409, 'AlreadyExists', 'deployments.apps "web" already exists', { name: 'web', group: 'apps', kind: 'deployments' }],
    [errs.alreadyExists(core, 'p'), 409, 'AlreadyExists', 'pods "p" already exists', { name: 'p', kind: 'pods' }],
    [errs.conflict(apps, 'web', errs.OBJECT_MODIFIED), 409, 'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      { name: 'web', group: 'apps', kind: 'deployments' }],
    [errs.conflict(core, 'p', 'x'), 409, 'Conflict', 'Operation cannot be fulfilled on pods "p": x', { name: 'p', kind: 'pods' }],
  ];
  for (const [e, code, reason, message, details] of cases) {
    assert.ok(e instanceof errs.ApiError);
    assert.deepEqual(e.toStatus(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
  }
});

test('api errors: Invalid carries the Kind, one cause per field error and a bracketed list for several', () => {
  const one = errs.invalid('apps', 'Deployment', 'web', [invalidField(FieldPath.root('spec').child('replicas'), -1, 'must be greater than or equal to 0')]);
  assert.equal(one.code, 422);
  assert.equal(one.reason, 'Invalid');
  assert.equal(one.message, 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  assert.deepEqual(one.details, {
    name: 'web', kind: 'Deployment', group: 'apps',
    causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }],
  });

  const many = errs.invalid('', 'Pod', 'p', [
    required('spec.containers', ''),
    notSupported('spec.restartPolicy', 'Sometimes', ['Always', 'Never', 'OnFailure']),
  ]);
  assert.equal(many.message,
    'Pod "p" is invalid: [spec.containers: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"]');
  assert.equal(many.details?.group, undefined);
  assert.deepEqual(many.details?.causes?.map((c) => [c.reason, c.field]), [
    ['FieldValueRequired', 'spec.containers'], ['FieldValueNotSupported', 'spec.restartPolicy'],
  ]);
});

test('api errors: the other constructors', () => {
  const cases: [errs.ApiError, number, string, string][] = [
    [errs.badRequest('bad'), 400, 'BadRequest', 'bad'],
    [errs.unauthorized(), 401, 'Unauthorized', 'Unauthorized'],
    [errs.forbidden(core, 'p', 'User "u" cannot get resource "pods"'), 403, 'Forbidden', 'pods "p" is forbidden: User "u" cannot get resource "pods"'],
    [errs.forbidden(apps, '', 'why'), 403, 'Forbidden', 'deployments.apps is forbidden: why'],
    [errs.methodNotSupported(apps, 'create'), 405, 'MethodNotAllowed', 'create is not supported on resources of kind "deployments.apps"'],
    [errs.notAcceptable('no'), 406, 'NotAcceptable', 'no'],
    [errs.gone('too old resource version: 1 (5)'), 410, 'Expired', 'too old resource version: 1 (5)'],
    [errs.requestEntityTooLarge('Request entity too large: limit is 3145728'), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'],
    [errs.unsupportedMediaType('text/plain'), 415, 'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'],
    [errs.tooManyRequests('slow down'), 429, 'TooManyRequests', 'slow down'],
    [errs.internalError(new Error('boom')), 500, 'InternalError', 'Internal error occurred: boom'],
    [errs.serviceUnavailable('later'), 503, 'ServiceUnavailable', 'later'],
    [errs.pathNotFound(), 404, 'NotFound', 'the server could not find the requested resource'],
  ];
  for (const [e, code, reason, message] of cases) {
    assert.equal(e.code, code, message);
    assert.equal(e.reason, reason, message);
    assert.equal(e.message, message);
    assert.equal(e.toStatus().status, 'Failure');
  }
  assert.deepEqual(errs.internalError(new Error('boom')).details, { causes: [{ message: 'boom' }] });
  assert.deepEqual(errs.pathNotFound().toStatus().details, {});
  assert.equal(errs.badRequest('x').toStatus().details, undefined);
});

test('api errors: success Status', () => {
  assert.deepEqual(errs.successStatus({ name: 'p', kind: 'pods', uid: 'u' }), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200, details: { name: 'p', kind: 'pods', uid: 'u' },
  });
  assert.equal('details' in errs.successStatus(), false);
});
