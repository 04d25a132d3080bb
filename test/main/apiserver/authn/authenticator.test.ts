import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { createAuthenticator } from '../../../../main/apiserver/authn/authenticator.js';
import type { UserInfo } from '../../../../main/apiserver/authn/user-info.js';
import { startTestCluster, type TestCluster } from '../../../helpers/control-plane-fixture.js';

function fakeReq(opts: { authorization?: string; cert?: { CN?: string | string[]; O?: string | string[] }; authorized?: boolean; tls?: boolean }): IncomingMessage {
  const socket = opts.tls === false ? {} : {
    authorized: opts.authorized ?? true,
    getPeerCertificate: () => (opts.cert ? { subject: opts.cert } : {}),
  };
  return { headers: opts.authorization ? { authorization: opts.authorization } : {}, socket } as unknown as IncomingMessage;
}

test('x509: CN is the user, O the groups, plus system:authenticated', async () => {
  const authn = createAuthenticator();
  const cases: [{ CN?: string | string[]; O?: string | string[] }, UserInfo][] = [
    [{ CN: 'jane', O: 'dev' }, { username: 'jane', groups: ['dev', 'system:authenticated'] }],
    [{ CN: 'jane', O: ['dev', 'ops'] }, { username: 'jane', groups: ['dev', 'ops', 'system:authenticated'] }],
    [{ CN: 'bob' }, { username: 'bob', groups: ['system:authenticated'] }],
    [{ CN: 'pilothouse-admin', O: 'system:masters' }, { username: 'pilothouse-admin', groups: ['system:masters', 'system:authenticated'] }],
  ];
  for (const [cert, want] of cases) assert.deepEqual(await authn.authenticate(fakeReq({ cert })), { user: want });
});

test('x509: unverified or subject-less certificates and plain sockets are anonymous', async () => {
  const authn = createAuthenticator();
  assert.deepEqual(await authn.authenticate(fakeReq({ cert: { CN: 'jane' }, authorized: false })), {});
  assert.deepEqual(await authn.authenticate(fakeReq({ cert: { O: 'dev' } })), {});
  assert.deepEqual(await authn.authenticate(fakeReq({})), {});
  assert.deepEqual(await authn.authenticate(fakeReq({ tls: false })), {});
});

test('bearer tokens go to the verifier (case-insensitive scheme); a rejected token is invalid, not anonymous', async () => {
  const sa: UserInfo = { username: 'system:serviceaccount:default:builder', groups: ['system:serviceaccounts', 'system:authenticated'] };
  const seen: string[] = [];
  const authn = createAuthenticator(async (t) => {
    seen.push(t);
    return t === 'good' ? sa : undefined;
  });
  assert.deepEqual(await authn.authenticate(fakeReq({ authorization: 'Bearer good' })), { user: sa });
  assert.deepEqual(await authn.authenticate(fakeReq({ authorization: 'bearer  good ' })), { user: sa });
  // A bearer token wins over a client certificate, as the union authenticator tries it first.
  assert.deepEqual(await authn.authenticate(fakeReq({ authorization: 'Bearer bad', cert: { CN: 'jane' } })), { invalid: true });
  assert.deepEqual(seen, ['good', 'good', 'bad']);
  assert.deepEqual(await createAuthenticator().authenticate(fakeReq({ authorization: 'Bearer x' })), { invalid: true });
  // Other schemes are not bearer tokens.
  assert.deepEqual(await authn.authenticate(fakeReq({ authorization: 'Basic Zm9vOmJhcg==' })), {});
});

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('HTTP: the admin certificate authenticates as pilothouse-admin in system:masters', async () => {
  const r = await cluster.admin.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview',
  });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.status.userInfo, { username: 'pilothouse-admin', groups: ['system:masters', 'system:authenticated'] });
});

test('HTTP: a CA-signed client certificate maps CN/O to user/groups', async () => {
  const jane = await cluster.as('jane', ['dev', 'qa']);
  const r = await jane.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(r.status, 201);
  assert.deepEqual(r.body.status.userInfo, { username: 'jane', groups: ['dev', 'qa', 'system:authenticated'] });
});

test('HTTP: no credentials is anonymous: public paths work, resources are 401 Unauthorized', async () => {
  const v = await cluster.anonymous.get('/version');
  assert.equal(v.status, 200);
  const r = await cluster.anonymous.get('/api/v1/namespaces');
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test('HTTP: an invalid bearer token is 401 even on public paths', async () => {
  const r = await cluster.bearer('not.a.token').get('/version');
  assert.equal(r.status, 401);
  assert.equal(r.body.reason, 'Unauthorized');
});
