import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { createCertificateAuthority, createSigningKey, issueCertificate } from '../../../main/pki/certificate-authority.js';

const ca = await createCertificateAuthority();
const caCert = new X509Certificate(ca.certPem);

test('the CA is a self-signed P-256 CA valid for about ten years', () => {
  assert.equal(caCert.ca, true);
  assert.equal(caCert.subject, 'CN=pilothouse-ca');
  assert.equal(caCert.issuer, 'CN=pilothouse-ca');
  assert.ok(caCert.verify(caCert.publicKey));
  assert.equal(caCert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const years = (Date.parse(caCert.validTo) - Date.now()) / (365 * 24 * 3600 * 1000);
  assert.ok(years > 9.9 && years < 10.1, String(years));
  assert.ok(Date.parse(caCert.validFrom) <= Date.now());
  assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
  // The key is the certificate's key.
  assert.equal(createPublicKey(createPrivateKey(ca.keyPem)).export({ type: 'spki', format: 'pem' }), caCert.publicKey.export({ type: 'spki', format: 'pem' }));
});

test('serving certificates carry the requested DNS and IP SANs, signed by the CA, for serverAuth', async () => {
  const pair = await issueCertificate(ca, { commonName: 'kube-apiserver', usage: 'server', dnsNames: ['localhost', 'kubernetes.default.svc'], ipAddresses: ['127.0.0.1', '::1'] });
  const cert = new X509Certificate(pair.certPem);
  assert.equal(cert.subject, 'CN=kube-apiserver');
  assert.equal(cert.ca, false);
  assert.ok(cert.checkIssued(caCert));
  assert.ok(cert.verify(caCert.publicKey));
  assert.ok(cert.checkHost('localhost'));
  assert.ok(cert.checkHost('kubernetes.default.svc'));
  assert.ok(cert.checkIP('127.0.0.1'));
  assert.equal(cert.checkHost('example.com'), undefined);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
});

test('client certificates: CN = user, O = groups (escaped), clientAuth, no SANs', async () => {
  const pair = await issueCertificate(ca, { commonName: 'jane', organizations: ['dev', 'system:masters'], usage: 'client', validDays: 1 });
  const cert = new X509Certificate(pair.certPem);
  assert.equal(cert.subject, 'CN=jane\nO=dev\nO=system:masters');
  assert.equal(cert.subjectAltName, undefined);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(cert.verify(caCert.publicKey));
  const hours = (Date.parse(cert.validTo) - Date.now()) / 3600_000;
  assert.ok(hours > 23 && hours < 25, String(hours));
  const odd = new X509Certificate((await issueCertificate(ca, { commonName: 'a,b', organizations: ['x=y'], usage: 'client' })).certPem);
  assert.equal(odd.subject, 'CN=a\\,b\nO=x=y', 'one CN "a,b" (Node escapes the comma when printing), one O "x=y"');
});

test('createSigningKey gives a P-256 pair usable for ES256', async () => {
  const k = await createSigningKey();
  const sig = sign('sha256', Buffer.from('x'), { key: k.privatePem, dsaEncoding: 'ieee-p1363' });
  assert.ok(verify('sha256', Buffer.from('x'), { key: k.publicPem, dsaEncoding: 'ieee-p1363' }, sig));
  assert.equal(createPublicKey(k.publicPem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
});
