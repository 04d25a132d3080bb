/**
 * The serviceaccount and serviceaccount-token controllers: `default` in every namespace (recreated when deleted);
 * token secrets filled with a token the API server accepts, ca.crt and namespace; deleted with their account.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { isNotFound, NAMESPACES, SECRETS, SERVICEACCOUNTS, type ResourceRef } from '../../../main/client/kube-client.js';
import { serviceAccountController } from '../../../main/controllers/service-account-controller.js';
import { serviceAccountTokenController } from '../../../main/controllers/service-account-token-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

const TOKENREVIEWS: ResourceRef = { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews', namespaced: false };
const CA = '-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

test('serviceaccount: default exists in system and new namespaces and is recreated after deletion', async () => {
  const t = await startControllerTest([serviceAccountController]);
  try {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      await waitFor(`default SA in ${ns}`, () => t.admin.get(SERVICEACCOUNTS, ns, 'default'), 20_000);
    await t.admin.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    const first = await waitFor('default SA in team-a', () => t.admin.get(SERVICEACCOUNTS, 'team-a', 'default'), 20_000);
    await t.admin.delete(SERVICEACCOUNTS, 'team-a', 'default');
    const again = await waitFor('recreated default SA', async () => {
      const sa = await t.admin.get(SERVICEACCOUNTS, 'team-a', 'default');
      return sa.metadata.uid !== first.metadata.uid ? sa : undefined;
    }, 20_000);
    assert.equal(again.metadata.name, 'default');
  } finally {
    await t.stop();
  }
});

test('serviceaccount-token: a token secret is filled; the token authenticates as the account; the secret goes with the account', async () => {
  const t = await startControllerTest([serviceAccountTokenController], { rootCAPem: CA });
  try {
    const sa = await t.admin.create<KObject>(SERVICEACCOUNTS, 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } });
    await t.admin.create(SECRETS, 'default', {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } },
    });
    const filled = await waitFor('token filled', async () => {
      const s = await t.admin.get<KObject & { data?: Record<string, string> }>(SECRETS, 'default', 'builder-token');
      return s.data?.['token'] ? s : undefined;
    }, 20_000);
    assert.equal(unb64(filled.data!['namespace']!), 'default');
    assert.equal(filled.data!['ca.crt'], b64(CA));
    assert.equal(filled.metadata.annotations!['kubernetes.io/service-account.uid'], sa.metadata.uid);
    const token = unb64(filled.data!['token']!);
    const review = await t.admin.create<KObject & { status?: { authenticated?: boolean; user?: { username?: string } } }>(
      TOKENREVIEWS, '', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token } });
    assert.equal(review.status?.authenticated, true);
    assert.equal(review.status?.user?.username, 'system:serviceaccount:default:builder');

    await t.admin.delete(SERVICEACCOUNTS, 'default', 'builder');
    await waitFor('secret deleted with its account', async () => {
      try {
        await t.admin.get(SECRETS, 'default', 'builder-token');
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    }, 20_000);
  } finally {
    await t.stop();
  }
});

test('serviceaccount-token: a secret naming a missing account is deleted; other secret types are untouched', async () => {
  const t = await startControllerTest([serviceAccountTokenController]);
  try {
    await t.admin.create(SECRETS, 'default', { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'plain' }, data: { a: b64('1') } });
    await t.admin.create(SECRETS, 'default', {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
      metadata: { name: 'orphan-token', annotations: { 'kubernetes.io/service-account.name': 'nobody' } },
    });
    await waitFor('orphan token secret deleted', async () => {
      try {
        await t.admin.get(SECRETS, 'default', 'orphan-token');
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    }, 20_000);
    const plain = await t.admin.get<KObject & { data?: Record<string, string> }>(SECRETS, 'default', 'plain');
    assert.deepEqual(plain.data, { a: b64('1') });
  } finally {
    await t.stop();
  }
});
