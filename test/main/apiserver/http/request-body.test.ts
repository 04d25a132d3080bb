import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { MAX_REQUEST_BODY_BYTES, readBody } from '../../../../main/apiserver/http/request-body.js';
import { call, fakeRequest, newApiServer } from '../../../helpers/apiserver-unit.js';

const tooLarge = (e: unknown) =>
  e instanceof ApiError && e.code === 413 && e.reason === 'RequestEntityTooLarge' &&
  e.message === 'Request entity too large: limit is 3145728';

test('request body: the limit is kube-apiserver\'s 3 MiB', () => {
  assert.equal(MAX_REQUEST_BODY_BYTES, 3 * 1024 * 1024);
});

test('request body: small bodies are read whole', async () => {
  const body = await readBody(fakeRequest({ method: 'POST', url: '/', body: '{"a":1}' }));
  assert.equal(body.toString(), '{"a":1}');
  assert.equal((await readBody(fakeRequest({ method: 'POST', url: '/' }))).length, 0);
});

test('request body: exactly the limit is accepted', async () => {
  const body = Buffer.alloc(MAX_REQUEST_BODY_BYTES, 0x20);
  const got = await readBody(fakeRequest({ method: 'POST', url: '/', headers: { 'content-length': String(body.length) }, body }));
  assert.equal(got.length, MAX_REQUEST_BODY_BYTES);
});

test('request body: a declared Content-Length over the limit is rejected before reading', async () => {
  const req = fakeRequest({ method: 'POST', url: '/', headers: { 'content-length': String(MAX_REQUEST_BODY_BYTES + 1) } }, true);
  await assert.rejects(readBody(req), tooLarge);
});

test('request body: a streamed (chunked) body over the limit is rejected', async () => {
  const req = fakeRequest({ method: 'POST', url: '/' }, true);
  const p = readBody(req);
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  for (let i = 0; i < 4; i++) req.write(chunk);
  req.end();
  await assert.rejects(p, tooLarge);
});

test('request body: a custom limit', async () => {
  const req = fakeRequest({ method: 'POST', url: '/', body: '0123456789' });
  await assert.rejects(readBody(req, 5), (e: unknown) => e instanceof ApiError && e.code === 413 && e.message === 'Request entity too large: limit is 5');
});

test('request body: the server answers 413 Status for an oversized create, declared or streamed', async () => {
  const server = newApiServer();
  const big = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { x: 'a'.repeat(MAX_REQUEST_BODY_BYTES) } });
  const variants: Record<string, string>[] = [{ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, { 'content-type': 'application/json' }];
  for (const headers of variants) {
    const r = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers, body: big });
    assert.equal(r.status, 413, JSON.stringify(headers));
    assert.deepEqual(r.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Request entity too large: limit is 3145728', reason: 'RequestEntityTooLarge', code: 413,
    });
  }
  const get = await call(server, { url: '/api/v1/namespaces/default/configmaps/big' });
  assert.equal(get.status, 404);
});
