import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import {
  DEFAULT_AUDIENCE, ISSUER, ServiceAccountTokens, userFromClaims,
} from '../../../../main/apiserver/authn/service-account-tokens.js';

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return [privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey.export({ type: 'spki', format: 'pem' }).toString()] as const;
}

const T0 = new Date('2025-01-01T00:00:00Z');
let now = T0;
const [priv, pub] = keys();
const tokens = new ServiceAccountTokens(priv, pub, () => now);
const sa = { namespace: 'ci', name: 'builder', uid: 'sa-uid-1' };

test('issue: an ES256 JWT with upstream claims, verifiable with the default audience', () => {
  now = T0;
  const { token, expiration } = tokens.issue({ ...sa, expirationSeconds: 3600 });
  assert.equal(expiration.toISOString(), '2025-01-01T01:00:00.000Z');
  const [h, p, s] = token.split('.');
  assert.ok(h && p && s);
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  assert.equal(header.alg, 'ES256');
  assert.equal(typeof header.kid, 'string');
  const claims = tokens.verify(token);
  assert.ok(claims);
  assert.equal(claims.iss, ISSUER);
  assert.equal(claims.sub, 'system:serviceaccount:ci:builder');
  assert.deepEqual(claims.aud, [DEFAULT_AUDIENCE]);
  assert.equal(claims.iat, T0.getTime() / 1000);
  assert.equal(claims.nbf, claims.iat);
  assert.equal(claims.exp, claims.iat + 3600);
  assert.deepEqual(claims['kubernetes.io'], { namespace: 'ci', serviceaccount: { name: 'builder', uid: 'sa-uid-1' } });
  assert.match(claims.jti, /^[0-9a-f-]{36}$/);
  assert.equal(Buffer.from(s, 'base64url').length, 64, 'IEEE P1363 signature (r||s)');
});

test('verify: expiry is enforced', () => {
  now = T0;
  const { token } = tokens.issue({ ...sa, expirationSeconds: 600 });
  const cases: [number, boolean][] = [[0, true], [599, true], [600, true], [601, false], [86400, false]];
  for (const [after, ok] of cases) {
    now = new Date(T0.getTime() + after * 1000);
    assert.equal(!!tokens.verify(token), ok, `${after}s after issue`);
  }
  now = T0;
});

test('verify: not-before allows 60s of clock skew only', () => {
  now = new Date(T0.getTime() + 120_000);
  const { token } = tokens.issue({ ...sa, expirationSeconds: 3600 });
  now = new Date(T0.getTime() + 61_000);
  assert.ok(tokens.verify(token), '59s early is tolerated');
  now = new Date(T0.getTime() + 59_000);
  assert.equal(tokens.verify(token), undefined, '61s early is refused');
  now = T0;
});

test('verify: the audience must be one of the token\'s audiences', () => {
  const { token } = tokens.issue({ ...sa, expirationSeconds: 3600, audiences: ['vault', 'api'] });
  assert.deepEqual(tokens.verify(token, 'vault')?.aud, ['vault', 'api']);
  assert.ok(tokens.verify(token, 'api'));
  assert.equal(tokens.verify(token), undefined, 'default audience not included');
  assert.equal(tokens.verify(token, 'other'), undefined);
});

test('verify: tampered, foreign-signed and malformed tokens are refused', () => {
  const { token } = tokens.issue({ ...sa, expirationSeconds: 3600 });
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  claims['kubernetes.io'].serviceaccount.name = 'admin';
  const forgedPayload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = Buffer.from(s, 'base64url');
  sig[10] ^= 1;
  const [otherPriv, otherPub] = keys();
  const foreign = new ServiceAccountTokens(otherPriv, otherPub, () => now).issue({ ...sa, expirationSeconds: 3600 }).token;
  const cases: [string, string][] = [
    ['payload changed', `${h}.${forgedPayload}.${s}`],
    ['signature flipped', `${h}.${p}.${sig.toString('base64url')}`],
    ['signed by another key', foreign],
    ['two parts', `${h}.${p}`],
    ['empty signature', `${h}.${p}.`],
    ['garbage', 'not-a-jwt'],
  ];
  for (const [name, t] of cases) assert.equal(tokens.verify(t), undefined, name);
  // ...but the other issuer's tokens verify with its own key.
  assert.ok(new ServiceAccountTokens(otherPriv, otherPub, () => now).verify(foreign));
});

test('bound objects are recorded in the claims; userFromClaims builds the service-account identity', () => {
  const { token } = tokens.issue({ ...sa, expirationSeconds: 3600, boundObject: { kind: 'Pod', name: 'p1', uid: 'pod-uid' } });
  const claims = tokens.verify(token)!;
  assert.deepEqual(claims['kubernetes.io'].pod, { name: 'p1', uid: 'pod-uid' });
  assert.deepEqual(userFromClaims(claims), {
    username: 'system:serviceaccount:ci:builder',
    uid: 'sa-uid-1',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
    extra: {
      'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
      'authentication.kubernetes.io/pod-name': ['p1'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid'],
    },
  });
  const secretBound = tokens.verify(tokens.issue({ ...sa, expirationSeconds: 3600, boundObject: { kind: 'Secret', name: 's1', uid: 'sec-uid' } }).token)!;
  assert.deepEqual(secretBound['kubernetes.io'].secret, { name: 's1', uid: 'sec-uid' });
  assert.equal(secretBound['kubernetes.io'].pod, undefined);
  assert.deepEqual(Object.keys(userFromClaims(secretBound).extra!), ['authentication.kubernetes.io/credential-id']);
});
