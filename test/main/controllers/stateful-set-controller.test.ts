/**
 * The StatefulSet controller on an in-process API server (no nodes: the tests mark pods Running and Ready):
 * ordered creation with stable identities and claims, scale down in reverse order, Parallel management,
 * failed pod replacement, rolling updates with partition and ControllerRevisions, OnDelete, ordinals.start,
 * adoption, claim retention policy, revision name collisions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ControllerRevisionObject } from '../../../main/api/apps/v1/controller-revision.js';
import type { StatefulSetObject } from '../../../main/api/apps/v1/stateful-set.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { CONTROLLERREVISIONS, PODS, PVCS, STATEFULSETS, type KubeClient } from '../../../main/client/kube-client.js';
import { revisionData } from '../../../main/controllers/history/controller-history.js';
import { hashWithCollisions } from '../../../main/controllers/history/revision-hash.js';
import { statefulSetControllerFactory } from '../../../main/controllers/stateful-set-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { eventsAbout, makeReady, podNames, setPhase, sleep } from './workload-test-helpers.js';

const NS = 'default';

function webSet(opts: { replicas?: number; policy?: string; image?: string; partition?: number; strategy?: string; claims?: boolean } = {}): StatefulSetObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas: opts.replicas ?? 3,
      serviceName: 'nginx',
      podManagementPolicy: opts.policy ?? 'OrderedReady',
      selector: { matchLabels: { app: 'nginx' } },
      updateStrategy:
        opts.strategy === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { partition: opts.partition ?? 0 } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: opts.image ?? 'nginx:1.27', volumeMounts: opts.claims ? [{ name: 'www', mountPath: '/usr/share/nginx/html' }] : [] }] },
      },
      ...(opts.claims
        ? { volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }
        : {}),
    },
  };
}

const getSet = (admin: KubeClient) => admin.get<StatefulSetObject>(STATEFULSETS, NS, 'web');
const status = async (admin: KubeClient) => (await getSet(admin)).status as Record<string, unknown>;

/** Waits for pod `name` to exist (not terminating) and marks it ready. */
async function readyWhenCreated(admin: KubeClient, name: string): Promise<Pod> {
  const pod = await waitFor(`pod ${name}`, async () => (await admin.list<Pod>(PODS, NS)).items.find((p) => p.metadata.name === name && !p.metadata.deletionTimestamp), 20_000);
  await makeReady(admin, NS, name);
  return pod;
}

test('OrderedReady: web-0, web-1, web-2 in order, each after the previous is ready; identity, claims, status, events', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    await t.admin.create(STATEFULSETS, NS, webSet({ claims: true }));
    const web0 = await waitFor('web-0', async () => (await podNames(t.admin, NS)).includes('web-0'), 20_000);
    assert.ok(web0);
    await sleep(300);
    assert.deepEqual(await podNames(t.admin, NS), ['web-0'], 'web-1 waits for web-0 to be ready');
    await makeReady(t.admin, NS, 'web-0');
    await waitFor('web-1', async () => (await podNames(t.admin, NS)).includes('web-1'), 20_000);
    await sleep(300);
    assert.deepEqual(await podNames(t.admin, NS), ['web-0', 'web-1'], 'web-2 waits for web-1 to be ready');
    await makeReady(t.admin, NS, 'web-1');
    await readyWhenCreated(t.admin, 'web-2');

    const pod = await t.admin.get<Pod>(PODS, NS, 'web-2');
    const revs = await t.admin.list<ControllerRevisionObject>(CONTROLLERREVISIONS, NS);
    assert.equal(revs.items.length, 1);
    const rev = revs.items[0]!;
    assert.match(rev.metadata.name ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rev.revision, 1);
    assert.equal(rev.metadata.ownerReferences?.[0]?.kind, 'StatefulSet');
    assert.equal(pod.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-2');
    assert.equal(pod.metadata.labels?.['apps.kubernetes.io/pod-index'], '2');
    assert.equal(pod.metadata.labels?.['controller-revision-hash'], rev.metadata.name);
    assert.equal(pod.spec.hostname, 'web-2');
    assert.equal(pod.spec.subdomain, 'nginx');
    assert.deepEqual(pod.spec.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-2' });
    assert.equal(pod.metadata.ownerReferences?.[0]?.controller, true);
    const claims = (await t.admin.list(PVCS, NS)).items.map((c) => c.metadata.name).sort();
    assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);

    const st = await waitFor('status 3 ready', async () => {
      const s = await status(t.admin);
      return s.readyReplicas === 3 && s.availableReplicas === 3 ? s : undefined;
    });
    assert.equal(st.replicas, 3);
    assert.equal(st.currentReplicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.currentRevision, rev.metadata.name);
    assert.equal(st.updateRevision, rev.metadata.name);
    assert.equal(st.observedGeneration, 1);
    assert.equal(st.collisionCount, 0);
    const events = await waitFor('events', async () => {
      const es = await eventsAbout(t.admin, NS, 'web');
      return es.length >= 6 ? es : undefined;
    });
    assert.ok(events.includes('SuccessfulCreate: create Pod web-0 in StatefulSet web successful'), events.join('\n'));
    assert.ok(events.includes('SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success'), events.join('\n'));

    // Scale down to 1: web-2 goes first, then web-1.
    const deleted: string[] = [];
    const watch = t.admin.watch<Pod>(PODS, NS, { resourceVersion: (await t.admin.list(PODS, NS)).resourceVersion }, (e) => {
      if (e.type === 'DELETED') deleted.push(e.object.metadata.name ?? '');
    });
    await t.admin.patch(STATEFULSETS, NS, 'web', 'merge', { spec: { replicas: 1 } });
    await waitFor('scaled down to web-0', async () => deleted.length === 2, 20_000);
    watch.stop();
    assert.deepEqual(deleted, ['web-2', 'web-1'], 'reverse ordinal order');
    await waitFor('status replicas 1', async () => (await status(t.admin)).replicas === 1);
    assert.ok((await eventsAbout(t.admin, NS, 'web')).includes('SuccessfulDelete: delete Pod web-2 in StatefulSet web successful'));
    assert.equal((await t.admin.list(PVCS, NS)).items.length, 3, 'claims are retained by default');
  } finally {
    await t.stop();
  }
});

test('Parallel: all pods at once; a failed pod is deleted and recreated', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    await t.admin.create(STATEFULSETS, NS, webSet({ policy: 'Parallel' }));
    await waitFor('3 pods without any ready', async () => (await podNames(t.admin, NS)).join() === 'web-0,web-1,web-2', 20_000);
    const before = await t.admin.get<Pod>(PODS, NS, 'web-1');
    await setPhase(t.admin, NS, 'web-1', 'Failed');
    await waitFor('web-1 recreated', async () => {
      const p = (await t.admin.list<Pod>(PODS, NS)).items.find((x) => x.metadata.name === 'web-1');
      return p && p.metadata.uid !== before.metadata.uid;
    }, 20_000);
    await waitFor('RecreatingFailedPod event', async () =>
      (await eventsAbout(t.admin, NS, 'web')).includes('RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-1'), 10_000);
  } finally {
    await t.stop();
  }
});

test('RollingUpdate with partition: only ordinals >= partition move to the new revision, highest first', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    await t.admin.create(STATEFULSETS, NS, webSet({ policy: 'Parallel', partition: 1 }));
    for (const n of ['web-0', 'web-1', 'web-2']) await readyWhenCreated(t.admin, n);
    const first = await waitFor('stable', async () => {
      const s = await status(t.admin);
      return s.readyReplicas === 3 ? (s.updateRevision as string) : undefined;
    });
    await t.admin.patch(STATEFULSETS, NS, 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    const second = await waitFor('new revision', async () => {
      const s = await status(t.admin);
      return s.updateRevision !== first ? (s.updateRevision as string) : undefined;
    });
    // web-2 is replaced first; web-1 only after web-2 is back and ready.
    await waitFor('web-2 replaced', async () => {
      const p = (await t.admin.list<Pod>(PODS, NS)).items.find((x) => x.metadata.name === 'web-2' && !x.metadata.deletionTimestamp);
      return p?.metadata.labels?.['controller-revision-hash'] === second;
    }, 20_000);
    const web1 = await t.admin.get<Pod>(PODS, NS, 'web-1');
    assert.equal(web1.metadata.labels?.['controller-revision-hash'], first, 'web-1 waits for web-2');
    await makeReady(t.admin, NS, 'web-2');
    await waitFor('web-1 replaced', async () => {
      const p = (await t.admin.list<Pod>(PODS, NS)).items.find((x) => x.metadata.name === 'web-1' && !x.metadata.deletionTimestamp);
      return p?.metadata.labels?.['controller-revision-hash'] === second;
    }, 20_000);
    await makeReady(t.admin, NS, 'web-1');
    const st = await waitFor('updated 2', async () => {
      const s = await status(t.admin);
      return s.updatedReplicas === 2 && s.readyReplicas === 3 ? s : undefined;
    }, 20_000);
    assert.equal(st.currentRevision, first, 'partitioned rollout keeps the current revision');
    assert.equal((await t.admin.get<Pod>(PODS, NS, 'web-0')).metadata.labels?.['controller-revision-hash'], first);
    const revs = (await t.admin.list<ControllerRevisionObject>(CONTROLLERREVISIONS, NS)).items.map((r) => [r.metadata.name, r.revision]).sort();
    assert.deepEqual(revs, [[first, 1], [second, 2]].sort());

    // Partition 0 completes the rollout; the update revision becomes current.
    await t.admin.patch(STATEFULSETS, NS, 'web', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await waitFor('web-0 replaced', async () => {
      const p = (await t.admin.list<Pod>(PODS, NS)).items.find((x) => x.metadata.name === 'web-0' && !x.metadata.deletionTimestamp);
      return p?.metadata.labels?.['controller-revision-hash'] === second;
    }, 20_000);
    await makeReady(t.admin, NS, 'web-0');
    await waitFor('rollout complete', async () => {
      const s = await status(t.admin);
      return s.currentRevision === second && s.currentReplicas === 3 && s.updatedReplicas === 3;
    }, 20_000);
  } finally {
    await t.stop();
  }
});

test('OnDelete: a template change creates a revision but pods change only when deleted', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    await t.admin.create(STATEFULSETS, NS, webSet({ policy: 'Parallel', strategy: 'OnDelete', replicas: 2 }));
    for (const n of ['web-0', 'web-1']) await readyWhenCreated(t.admin, n);
    await waitFor('ready', async () => (await status(t.admin)).readyReplicas === 2);
    await t.admin.patch(STATEFULSETS, NS, 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    const st = await waitFor('new revision', async () => {
      const s = await status(t.admin);
      return s.updateRevision !== s.currentRevision ? s : undefined;
    });
    await sleep(300);
    assert.equal((await t.admin.get<Pod>(PODS, NS, 'web-1')).spec.containers[0]!.image, 'nginx:1.27');
    await t.admin.delete(PODS, NS, 'web-1', { gracePeriodSeconds: 0 });
    await waitFor('web-1 at the new revision', async () => {
      const p = (await t.admin.list<Pod>(PODS, NS)).items.find((x) => x.metadata.name === 'web-1' && !x.metadata.deletionTimestamp);
      return p?.metadata.labels?.['controller-revision-hash'] === st.updateRevision && p?.spec.containers[0]!.image === 'nginx:1.28';
    }, 20_000);
  } finally {
    await t.stop();
  }
});

test('ordinals.start numbers pods from start; an orphan pod is adopted and gets its identity labels', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    const orphan: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-5', namespace: NS, labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
    };
    await t.admin.create(PODS, NS, orphan);
    await makeReady(t.admin, NS, 'web-5');
    const set = webSet({ policy: 'Parallel', replicas: 2 });
    set.spec!.ordinals = { start: 5 };
    await t.admin.create(STATEFULSETS, NS, set);
    await waitFor('web-5, web-6', async () => (await podNames(t.admin, NS)).join() === 'web-5,web-6', 20_000);
    const adopted = await waitFor('adopted with identity', async () => {
      const p = await t.admin.get<Pod>(PODS, NS, 'web-5');
      return p.metadata.ownerReferences?.[0]?.kind === 'StatefulSet' && p.metadata.labels?.['apps.kubernetes.io/pod-index'] === '5' ? p : undefined;
    }, 20_000);
    assert.equal(adopted.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-5');
  } finally {
    await t.stop();
  }
});

test('persistentVolumeClaimRetentionPolicy: whenDeleted Delete owns claims by the set; whenScaled Delete by the removed pod', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    const set = webSet({ policy: 'Parallel', replicas: 2, claims: true });
    set.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
    const created = await t.admin.create<StatefulSetObject>(STATEFULSETS, NS, set);
    await waitFor('claims', async () => (await t.admin.list(PVCS, NS)).items.length === 2, 20_000);
    const claim = await t.admin.get(PVCS, NS, 'www-web-1');
    assert.deepEqual(claim.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['StatefulSet', 'web', created.metadata.uid]]);
    const web1 = await waitFor('web-1', async () => (await t.admin.list<Pod>(PODS, NS)).items.find((p) => p.metadata.name === 'web-1'), 20_000);
    await t.admin.patch(STATEFULSETS, NS, 'web', 'merge', { spec: { replicas: 1 } });
    await waitFor('claim owned by web-1 only', async () => {
      const c = await t.admin.get(PVCS, NS, 'www-web-1');
      return c.metadata.ownerReferences?.map((o) => `${o.kind}/${o.uid}`).join() === `Pod/${web1.metadata.uid}`;
    }, 20_000);
    // Switching to Retain/Retain removes the set's reference from the remaining claim.
    await t.admin.patch(STATEFULSETS, NS, 'web', 'merge', { spec: { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } } });
    await waitFor('www-web-0 without owners', async () => (await t.admin.get(PVCS, NS, 'www-web-0')).metadata.ownerReferences === undefined, 20_000);
  } finally {
    await t.stop();
  }
});

test('a revision name taken by other data bumps status.collisionCount and uses the next hash', async () => {
  const t = await startControllerTest([statefulSetControllerFactory]);
  try {
    const defaulted = await t.admin.create<StatefulSetObject>(STATEFULSETS, NS, webSet({ replicas: 1 }), { dryRun: true });
    const taken = `web-${hashWithCollisions(revisionData(defaulted.spec?.template), 0)}`;
    await t.admin.create<ControllerRevisionObject>(CONTROLLERREVISIONS, NS, {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: taken, namespace: NS },
      data: { other: true },
      revision: 1,
    });
    await t.admin.create(STATEFULSETS, NS, webSet({ replicas: 1 }));
    const st = await waitFor('status with a collision', async () => {
      const s = await status(t.admin);
      return s.collisionCount === 1 ? s : undefined;
    }, 20_000);
    assert.equal(st.updateRevision, `web-${hashWithCollisions(revisionData(defaulted.spec?.template), 1)}`);
    assert.notEqual(st.updateRevision, taken);
  } finally {
    await t.stop();
  }
});
