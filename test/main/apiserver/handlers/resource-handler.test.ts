import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { call, fakeRequest, FakeResponse, KUBECTL_ACCEPT, newApiServer } from '../../../helpers/apiserver-unit.js';

const json = { 'content-type': 'application/json' };
const cm = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' }, ...extra });

test('resource requests: create, get, list, delete through the handlers', async () => {
  const server = newApiServer();
  const created = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('a') });
  assert.equal(created.status, 201);
  assert.equal(created.body.metadata.namespace, 'default');
  const got = await call(server, { url: '/api/v1/namespaces/default/configmaps/a' });
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, created.body);
  const list = await call(server, { url: '/api/v1/namespaces/default/configmaps' });
  assert.equal(list.body.kind, 'ConfigMapList');
  assert.equal(list.body.apiVersion, 'v1');
  assert.equal(list.body.items.length, 1);
  const dup = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('a') });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.message, 'configmaps "a" already exists');
  const del = await call(server, { method: 'DELETE', url: '/api/v1/namespaces/default/configmaps/a' });
  assert.equal(del.status, 200);
  assert.deepEqual(del.body, {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200,
    details: { name: 'a', kind: 'configmaps', uid: created.body.metadata.uid },
  });
  const gone = await call(server, { url: '/api/v1/namespaces/default/configmaps/a' });
  assert.equal(gone.status, 404);
  assert.equal(gone.body.message, 'configmaps "a" not found');
});

test('resource requests: fieldValidation Warn sends Warning headers; Strict is a 400', async () => {
  const server = newApiServer();
  const body = cm('w', { extra: 1 });
  const warn = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body });
  assert.equal(warn.status, 201);
  assert.deepEqual(warn.headers['warning'], ['299 - "unknown field \\"extra\\""']);
  const strict = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', headers: json, body: cm('s', { extra: 1 }) });
  assert.equal(strict.status, 400);
  assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"');
  const ignore = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', headers: json, body: cm('i', { extra: 1 }) });
  assert.equal(ignore.status, 201);
  assert.equal(ignore.headers['warning'], undefined);
});

test('resource requests: Tables for kubectl get, with includeObject', async () => {
  const server = newApiServer();
  await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('t') });
  const list = await call(server, { url: '/api/v1/namespaces/default/configmaps?limit=500', headers: { accept: KUBECTL_ACCEPT.table } });
  assert.equal(list.body.kind, 'Table');
  assert.equal(list.body.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(list.body.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(list.body.rows[0].cells.slice(0, 2), ['t', 1]);
  assert.equal(list.body.rows[0].object.kind, 'PartialObjectMetadata');
  assert.ok(list.body.metadata.resourceVersion);
  const one = await call(server, { url: '/api/v1/namespaces/default/configmaps/t?includeObject=Object', headers: { accept: KUBECTL_ACCEPT.table } });
  assert.equal(one.body.kind, 'Table');
  assert.equal(one.body.rows[0].object.kind, 'ConfigMap');
  const none = await call(server, { url: '/api/v1/namespaces/default/configmaps?includeObject=None', headers: { accept: KUBECTL_ACCEPT.table } });
  assert.equal(none.body.rows[0].object, null);
  const bad = await call(server, { url: '/api/v1/namespaces/default/configmaps?includeObject=All', headers: { accept: KUBECTL_ACCEPT.table } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'includeObject: Unsupported value: "All": supported values: "Metadata", "None", "Object"');
});

test('resource requests: list paging and parameter errors', async () => {
  const server = newApiServer();
  for (const n of ['a', 'b', 'c']) await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body: cm(n) });
  const p1 = await call(server, { url: '/api/v1/namespaces/default/configmaps?limit=2' });
  assert.equal(p1.body.items.length, 2);
  assert.equal(p1.body.metadata.remainingItemCount, 1);
  const p2 = await call(server, { url: `/api/v1/namespaces/default/configmaps?limit=2&continue=${p1.body.metadata.continue}` });
  assert.deepEqual(p2.body.items.map((i: any) => i.metadata.name), ['c']);
  const badLimit = await call(server, { url: '/api/v1/namespaces/default/configmaps?limit=-1' });
  assert.equal(badLimit.status, 400);
  assert.equal(badLimit.body.message, 'limit: Invalid value: "-1": must be a non-negative integer');
  const badField = await call(server, { url: '/api/v1/namespaces/default/configmaps?fieldSelector=data.k%3Dv' });
  assert.equal(badField.status, 400);
  assert.equal(badField.body.message, '"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"');
});

test('resource requests: unknown resources and scope mismatches are 404; unsupported verbs 405', async () => {
  const server = newApiServer();
  for (const url of ['/api/v1/namespaces/default/widgets', '/apis/apps/v2/deployments', '/api/v1/namespaces/default/nodes/n1']) {
    const r = await call(server, { url });
    assert.equal(r.status, 404, url);
    assert.equal(r.body.message, 'the server could not find the requested resource', url);
  }
  // Verbs a resource does not serve have no route upstream: go-restful's generic 405.
  const generic = 'the server does not allow this method on the requested resource';
  const cases: [string, string][] = [
    ['DELETE', '/api/v1/componentstatuses/etcd-0'],
    ['POST', '/api/v1/componentstatuses'],
    ['DELETE', '/apis/apps/v1/namespaces/default/deployments/web/status'],
    ['POST', '/apis/apps/v1/namespaces/default/deployments/web/scale'],
    ['GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
    ['POST', '/api/v1/namespaces/default/configmaps/named'],
  ];
  for (const [method, url] of cases) {
    const r = await call(server, { method, url, headers: json, body: '{}' });
    assert.equal(r.status, 405, `${method} ${url}`);
    assert.equal(r.body.reason, 'MethodNotAllowed', `${method} ${url}`);
    assert.equal(r.body.message, generic, `${method} ${url}`);
  }
  // ?watch=true on a list-only resource reaches the list handler: NewMethodNotSupported.
  const watch = await call(server, { url: '/api/v1/componentstatuses?watch=true' });
  assert.equal(watch.status, 405);
  assert.equal(watch.body.message, 'watch is not supported on resources of kind "componentstatuses"');
  assert.deepEqual(watch.body.details, { kind: 'componentstatuses' });
  const noSub = await call(server, { url: '/api/v1/namespaces/default/configmaps/a/status' });
  assert.equal(noSub.status, 404);
});

test('resource requests: a watch streams newline-delimited events, also through the /watch/ path prefix', async () => {
  const server = newApiServer();
  await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body: cm('w1') });
  for (const url of ['/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1', '/api/v1/watch/namespaces/default/configmaps?timeoutSeconds=1']) {
    const res = new FakeResponse();
    const req = fakeRequest({ url }, true);
    const done = server.handle(req, res as unknown as ServerResponse);
    await new Promise((r) => setTimeout(r, 20));
    await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json, body: cm(`x${url.length}`) });
    await new Promise((r) => setTimeout(r, 20));
    req.emit('close');
    await done;
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.headers['content-type'], 'application/json');
    const events = res.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual([events[0].type, events[0].object.metadata.name], ['ADDED', 'w1'], url);
    assert.deepEqual([events.at(-1).type, events.at(-1).object.metadata.name], ['ADDED', `x${url.length}`], url);
  }
  const expired = await call(server, { url: '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=abc' });
  assert.equal(expired.status, 400);
  assert.equal(expired.body.message, 'invalid resource version: "abc"');
});
