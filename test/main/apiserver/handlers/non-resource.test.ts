import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VERSION_INFO, isPublicPath } from '../../../../main/apiserver/handlers/non-resource.js';
import { call, KUBECTL_ACCEPT, newApiServer } from '../../../helpers/apiserver-unit.js';

const server = newApiServer();

test('non-resource: /version', async () => {
  const r = await call(server, { url: '/version' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, VERSION_INFO);
  assert.equal(r.body.gitVersion, 'v1.32.0');
  assert.equal(r.body.major, '1');
  assert.equal(r.body.minor, '32');
});

test('non-resource: public paths', () => {
  for (const p of ['/version', '/healthz', '/livez', '/readyz', '/readyz/ping']) assert.equal(isPublicPath(p), true, p);
  for (const p of ['/api', '/apis', '/openapi/v3', '/metrics']) assert.equal(isPublicPath(p), false, p);
});

test('non-resource: /api and /apis negotiate aggregated discovery from kubectl\'s Accept header', async () => {
  for (const [path, kind] of [['/api', 'APIVersions'], ['/apis', 'APIGroupList']] as const) {
    const agg = await call(server, { url: path, headers: { accept: KUBECTL_ACCEPT.discovery } });
    assert.equal(agg.status, 200);
    assert.equal(agg.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(agg.headers['vary'], 'Accept');
    assert.equal(agg.body.kind, 'APIGroupDiscoveryList');
    assert.equal(agg.body.apiVersion, 'apidiscovery.k8s.io/v2');
    const beta = await call(server, { url: path, headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(beta.body.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    const plain = await call(server, { url: path, headers: { accept: 'application/json, */*' } });
    assert.equal(plain.headers['content-type'], 'application/json');
    assert.equal(plain.body.kind, kind);
  }
});

test('non-resource: legacy group and resource lists; unknown ones are 404 NotFound Status', async () => {
  assert.equal((await call(server, { url: '/api/v1' })).body.kind, 'APIResourceList');
  assert.equal((await call(server, { url: '/apis/apps' })).body.kind, 'APIGroup');
  assert.equal((await call(server, { url: '/apis/apps/v1/' })).body.groupVersion, 'apps/v1');
  for (const url of ['/api/v2', '/apis/nope.example.com', '/apis/apps/v9', '/openapi/v3/apis/apps/v9', '/openapi/v2x']) {
    const r = await call(server, { url });
    assert.equal(r.status, 404, url);
    assert.deepEqual(r.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404,
    }, url);
  }
});

test('non-resource: OpenAPI v3 documents are immutable when fetched by their hash', async () => {
  const index = await call(server, { url: '/openapi/v3' });
  const url = index.body.paths['apis/apps/v1'].serverRelativeURL as string;
  const hashed = await call(server, { url });
  assert.equal(hashed.status, 200);
  assert.equal(hashed.headers['cache-control'], 'public, immutable');
  const hash = new URL(url, 'https://x').searchParams.get('hash');
  assert.equal(hashed.headers['etag'], `"${hash}"`);
  assert.ok(hashed.body.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']);
  const plain = await call(server, { url: '/openapi/v3/apis/apps/v1' });
  assert.equal(plain.headers['cache-control'], 'no-cache, private');
  assert.equal(plain.headers['expires'], '0');
});

test('non-resource: health endpoints', async () => {
  const s = newApiServer();
  const ok = await call(s, { url: '/healthz' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body, 'ok');
  const verbose = await call(s, { url: '/readyz?verbose' });
  assert.equal(verbose.status, 200);
  assert.equal(verbose.body, 'readyz check passed\n');
  assert.equal((await call(s, { url: '/livez/ping' })).body, 'ok');
  assert.equal((await call(s, { url: '/livez/nope' })).status, 404);
});
