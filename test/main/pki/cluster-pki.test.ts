import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ADMIN_GROUPS, ADMIN_USER, ensureClusterPki } from '../../../main/pki/cluster-pki.js';

const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-pki-'));
after(() => rm(dataDir, { recursive: true, force: true }));
const pkiDir = join(dataDir, 'pki');
const first = await ensureClusterPki(dataDir);

test('creates CA, serving, admin and service-account key files', async () => {
  for (const f of ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key', 'sa.key', 'sa.pub'])
    assert.ok((await stat(join(pkiDir, f))).isFile(), f);
  assert.equal(await readFile(join(pkiDir, 'ca.crt'), 'utf8'), first.ca.certPem);
  assert.equal(await readFile(join(pkiDir, 'sa.key'), 'utf8'), first.serviceAccountKey.privatePem);
});

test('private keys are mode 0600 and the pki dir 0700', async () => {
  for (const f of ['ca.key', 'apiserver.key', 'admin.key', 'sa.key'])
    assert.equal((await stat(join(pkiDir, f))).mode & 0o777, 0o600, f);
  assert.equal((await stat(pkiDir)).mode & 0o777, 0o700);
});

test('serving certificate: SANs include 127.0.0.1, ::1, localhost, 10.96.0.1 and the kubernetes names', () => {
  const cert = new X509Certificate(first.apiserver.certPem);
  assert.equal(cert.subject, 'CN=kube-apiserver');
  assert.ok(cert.checkIssued(new X509Certificate(first.ca.certPem)));
  for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) assert.ok(cert.checkIP(ip), ip);
  for (const host of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'])
    assert.ok(cert.checkHost(host), host);
});

test('admin certificate: CN=pilothouse-admin, O=system:masters, clientAuth', () => {
  assert.equal(ADMIN_USER, 'pilothouse-admin');
  assert.deepEqual(ADMIN_GROUPS, ['system:masters']);
  const cert = new X509Certificate(first.admin.certPem);
  assert.equal(cert.subject, 'CN=pilothouse-admin\nO=system:masters');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(cert.verify(new X509Certificate(first.ca.certPem).publicKey));
});

test('a second call reuses everything; a missing piece is re-issued from the same CA', async () => {
  const second = await ensureClusterPki(dataDir);
  assert.deepEqual(second, first);
  await unlink(join(pkiDir, 'admin.crt'));
  const third = await ensureClusterPki(dataDir);
  assert.equal(third.ca.certPem, first.ca.certPem);
  assert.equal(third.apiserver.certPem, first.apiserver.certPem);
  assert.notEqual(third.admin.certPem, first.admin.certPem);
  assert.ok(new X509Certificate(third.admin.certPem).checkIssued(new X509Certificate(first.ca.certPem)));
  assert.equal((await stat(join(pkiDir, 'admin.key'))).mode & 0o777, 0o600);
});
