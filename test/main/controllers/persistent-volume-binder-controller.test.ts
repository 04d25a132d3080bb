/**
 * The persistentvolume-binder controller on an in-process API server: matching (class, smallest fit, access modes,
 * selector, claimRef pre-binding), phases and annotations on both sides, FailedBinding without class, the default
 * StorageClass (seeded; DefaultStorageClass admission) with its hostPath provisioner, and reclaim (Retain keeps a
 * Released volume, Delete removes a provisioned one).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENTS, isNotFound, PVCS, PVS, type KubeClient } from '../../../main/client/kube-client.js';
import type { Claim, Volume } from '../../../main/controllers/persistent-volume/volume-matching.js';
import { persistentVolumeBinderController } from '../../../main/controllers/persistent-volume-binder-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

const pv = (name: string, storage: string, opts: { cls?: string; modes?: string[]; labels?: Record<string, string>; claimRef?: { namespace: string; name: string }; reclaim?: string } = {}): Volume => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, labels: opts.labels },
  spec: {
    capacity: { storage }, accessModes: opts.modes ?? ['ReadWriteOnce'], storageClassName: opts.cls ?? 'manual',
    hostPath: { path: `/data/${name}` }, persistentVolumeReclaimPolicy: opts.reclaim ?? 'Retain', ...(opts.claimRef ? { claimRef: opts.claimRef } : {}),
  },
});
const pvc = (name: string, storage: string, opts: { cls?: string | null; modes?: string[]; selector?: Record<string, string>; volumeName?: string } = {}): Claim => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name },
  spec: {
    accessModes: opts.modes ?? ['ReadWriteOnce'], resources: { requests: { storage } },
    ...(opts.cls === null ? {} : { storageClassName: opts.cls ?? 'manual' }),
    ...(opts.selector ? { selector: { matchLabels: opts.selector } } : {}),
    ...(opts.volumeName ? { volumeName: opts.volumeName } : {}),
  },
});

const claimOf = (c: KubeClient, name: string, ns = 'default') => c.get<Claim>(PVCS, ns, name);
const volumeOf = (c: KubeClient, name: string) => c.get<Volume>(PVS, '', name);
const boundClaim = (c: KubeClient, name: string, ns = 'default') =>
  waitFor(`claim ${name} Bound`, async () => { const x = await claimOf(c, name, ns); return x.status?.phase === 'Bound' ? x : undefined; }, 20_000);
const gone = async (fn: () => Promise<unknown>) => { try { await fn(); return false; } catch (e) { return isNotFound(e); } };
const eventsFor = async (c: KubeClient, name: string) =>
  (await c.list<any>(EVENTS, '')).items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);

test('my-pv and my-pvc bind: claimRef, phases, annotations, capacity; Retain keeps the volume Released', async () => {
  const t = await startControllerTest([persistentVolumeBinderController]);
  try {
    await t.admin.create(PVS, '', pv('my-pv', '1Gi'));
    await waitFor('my-pv Available', async () => (await volumeOf(t.admin, 'my-pv')).status?.phase === 'Available', 20_000);
    await t.admin.create(PVCS, 'default', pvc('my-pvc', '500Mi'));
    const claim = await boundClaim(t.admin, 'my-pvc');
    assert.equal(claim.spec?.volumeName, 'my-pv');
    assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
    assert.deepEqual(claim.status?.capacity, { storage: '1Gi' });
    assert.deepEqual(claim.status?.accessModes, ['ReadWriteOnce']);
    const volume = await waitFor('my-pv Bound', async () => { const v = await volumeOf(t.admin, 'my-pv'); return v.status?.phase === 'Bound' ? v : undefined; }, 20_000);
    assert.equal(volume.spec.claimRef?.uid, claim.metadata.uid);
    assert.equal(volume.spec.claimRef?.name, 'my-pvc');
    assert.equal(volume.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');

    await t.admin.delete(PVCS, 'default', 'my-pvc');
    await waitFor('my-pv Released', async () => (await volumeOf(t.admin, 'my-pv')).status?.phase === 'Released', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await volumeOf(t.admin, 'my-pv')).status?.phase, 'Released');
  } finally {
    await t.stop();
  }
});

test('matching: smallest fitting volume with the access modes and selector; class must match; claimRef pre-binding is honoured', async () => {
  const t = await startControllerTest([persistentVolumeBinderController]);
  try {
    for (const v of [
      pv('big', '5Gi'), pv('mid', '2Gi'), pv('rwx-small', '1Gi', { modes: ['ReadWriteMany'] }), pv('other-class', '1Gi', { cls: 'fast' }),
      pv('labelled', '10Gi', { labels: { tier: 'gold' } }), pv('reserved', '1Gi', { claimRef: { namespace: 'default', name: 'wanted' } }),
    ]) await t.admin.create(PVS, '', v);
    await t.admin.create(PVCS, 'default', pvc('c1', '1Gi'));
    assert.equal((await boundClaim(t.admin, 'c1')).spec?.volumeName, 'mid');
    await t.admin.create(PVCS, 'default', pvc('c2', '1Gi', { selector: { tier: 'gold' } }));
    assert.equal((await boundClaim(t.admin, 'c2')).spec?.volumeName, 'labelled');
    await t.admin.create(PVCS, 'default', pvc('wanted', '1Gi'));
    assert.equal((await boundClaim(t.admin, 'wanted')).spec?.volumeName, 'reserved');
    await t.admin.create(PVCS, 'default', pvc('c3', '100Gi'));
    await t.admin.create(PVCS, 'default', pvc('by-name', '1Gi', { volumeName: 'big' }));
    const byName = await boundClaim(t.admin, 'by-name');
    assert.equal(byName.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined);
    assert.equal((await claimOf(t.admin, 'c3')).status?.phase, 'Pending');
  } finally {
    await t.stop();
  }
});

test('a claim with storageClassName "" and no volume: FailedBinding, Pending', async () => {
  const t = await startControllerTest([persistentVolumeBinderController]);
  try {
    await t.admin.create(PVCS, 'default', pvc('nothing', '1Gi', { cls: '' }));
    const events = await waitFor('FailedBinding', async () => (await eventsFor(t.admin, 'nothing')).find((e) => e.startsWith('FailedBinding')), 20_000);
    assert.equal(events, 'FailedBinding: no persistent volumes available for this claim and no storage class is set');
    assert.equal((await claimOf(t.admin, 'nothing')).status?.phase, 'Pending');
    await t.admin.create(PVCS, 'default', pvc('unknown-class', '1Gi', { cls: 'nope' }));
    assert.equal(await waitFor('ProvisioningFailed', async () => (await eventsFor(t.admin, 'unknown-class')).find((e) => e.startsWith('ProvisioningFailed')), 20_000),
      'ProvisioningFailed: storageclass.storage.k8s.io "nope" not found');
  } finally {
    await t.stop();
  }
});

test('default StorageClass: a claim without class gets `standard` and a provisioned hostPath volume, deleted on release', async () => {
  const t = await startControllerTest([persistentVolumeBinderController]);
  try {
    const created = await t.admin.create(PVCS, 'default', pvc('data', '3Gi', { cls: null }));
    assert.equal(created.spec?.storageClassName, 'standard');
    const claim = await boundClaim(t.admin, 'data');
    const name = `pvc-${claim.metadata.uid}`;
    assert.equal(claim.spec?.volumeName, name);
    assert.equal(claim.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'pilothouse.dev/hostpath');
    const volume = await volumeOf(t.admin, name);
    assert.deepEqual(volume.spec['hostPath'], { path: `/var/lib/pilothouse/pv/${claim.metadata.uid}`, type: 'DirectoryOrCreate' });
    assert.equal(volume.spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(volume.spec.storageClassName, 'standard');
    assert.deepEqual(volume.spec.capacity, { storage: '3Gi' });
    assert.equal(volume.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'pilothouse.dev/hostpath');
    assert.ok((await eventsFor(t.admin, 'data')).includes(`ProvisioningSucceeded: Successfully provisioned volume ${name} using pilothouse.dev/hostpath`));
    await t.admin.delete(PVCS, 'default', 'data');
    await waitFor('provisioned volume deleted', () => gone(() => volumeOf(t.admin, name)), 20_000);
  } finally {
    await t.stop();
  }
});
