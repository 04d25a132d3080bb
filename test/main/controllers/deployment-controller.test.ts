/**
 * The deployment controller on an in-process API server, running alone: the tests play the ReplicaSet
 * controller's part by writing ReplicaSet status (replicas, ready, available) through the status subresource.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { DEPLOYMENTS, EVENTS, REPLICASETS } from '../../../main/client/kube-client.js';
import { deploymentControllerFactory } from '../../../main/controllers/deployment-controller.js';
import type { Deployment, ReplicaSet } from '../../../main/controllers/deployment/types.js';
import { startControllerTest, waitFor, type ControllerTest } from './controller-fixture.js';

const NS = 'default';
const WAIT = 20_000;

interface DeploymentOpts {
  replicas?: number;
  image?: string;
  strategy?: Deployment['spec']['strategy'];
  annotations?: Record<string, string>;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
}

function deployment(name: string, o: DeploymentOpts = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      replicas: o.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: o.image ?? 'nginx:1.26' }] } },
      ...(o.strategy ? { strategy: o.strategy } : {}),
      ...(o.paused ? { paused: true } : {}),
      ...(o.progressDeadlineSeconds ? { progressDeadlineSeconds: o.progressDeadlineSeconds } : {}),
      ...(o.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: o.revisionHistoryLimit } : {}),
    },
  };
}

async function withController(fn: (t: ControllerTest) => Promise<void>): Promise<void> {
  const t = await startControllerTest([deploymentControllerFactory]);
  try {
    await fn(t);
  } catch (e) {
    console.error(t.logs.join('\n'));
    throw e;
  } finally {
    await t.stop();
  }
}

const getDeployment = (t: ControllerTest, name: string) => t.admin.get<Deployment>(DEPLOYMENTS, NS, name);

/** The ReplicaSets controlled by Deployment `name`, oldest revision first. */
async function replicaSetsOf(t: ControllerTest, name: string): Promise<ReplicaSet[]> {
  const d = await getDeployment(t, name);
  const all = (await t.admin.list<ReplicaSet>(REPLICASETS, NS)).items;
  return all
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid))
    .sort((a, b) => Number(revision(a)) - Number(revision(b)));
}

const revision = (o: KObject): string | undefined => o.metadata.annotations?.['deployment.kubernetes.io/revision'];
const sizes = (rss: ReplicaSet[]): number[] => rss.map((rs) => rs.spec.replicas ?? 0);

/** Plays the ReplicaSet controller: `rs` reports `replicas` pods of which `available` are ready and available. */
async function reportReplicaSet(t: ControllerTest, name: string, replicas: number, available = replicas): Promise<void> {
  for (;;) {
    const rs = await t.admin.get<ReplicaSet>(REPLICASETS, NS, name);
    rs.status = { replicas, fullyLabeledReplicas: replicas, readyReplicas: available, availableReplicas: available, observedGeneration: rs.metadata.generation };
    try {
      await t.admin.update(REPLICASETS, NS, rs, { subresource: 'status' });
      return;
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

/** Every ReplicaSet of the Deployment reports exactly its spec.replicas, all available. */
async function settle(t: ControllerTest, name: string): Promise<void> {
  for (const rs of await replicaSetsOf(t, name)) {
    const want = rs.spec.replicas ?? 0;
    if (rs.status?.replicas !== want || rs.status?.availableReplicas !== want || rs.status?.observedGeneration !== rs.metadata.generation)
      await reportReplicaSet(t, rs.metadata.name!, want);
  }
}

/** Settles ReplicaSets until the rollout is complete (what `kubectl rollout status` waits for). */
async function rollOut(t: ControllerTest, name: string): Promise<Deployment> {
  return waitFor(`${name} rolled out`, async () => {
    await settle(t, name);
    const d = await getDeployment(t, name);
    const s = d.status ?? {};
    const want = d.spec.replicas ?? 0;
    const done = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && (s.updatedReplicas ?? 0) === want
      && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want;
    return done ? d : undefined;
  }, WAIT);
}

async function eventMessages(t: ControllerTest, name: string, reason = 'ScalingReplicaSet'): Promise<string[]> {
  const evs = (await t.admin.list<KObject & { reason?: string; message?: string; involvedObject?: { name?: string }; firstTimestamp?: string }>(EVENTS, NS)).items;
  return evs.filter((e) => e.reason === reason && e.involvedObject?.name === name).map((e) => e.message ?? '');
}

const condition = (d: Deployment, type: string) => d.status?.conditions?.find((c) => c.type === type);

test('a new Deployment gets <name>-<hash> ReplicaSet with hash label, selector, owner and annotations; status follows it', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('web', { annotations: { 'kubernetes.io/change-cause': 'first', team: 'a' } }));
    const [rs] = await waitFor('replica set', async () => { const rss = await replicaSetsOf(t, 'web'); return rss.length === 1 ? rss : undefined; }, WAIT);
    const hash = rs!.metadata.labels?.['pod-template-hash'];
    assert.match(hash ?? '', /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.deepEqual(rs!.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs!.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(rs!.spec.template?.metadata?.labels?.['pod-template-hash'], hash);
    assert.equal(rs!.spec.replicas, 3);
    const owner = rs!.metadata.ownerReferences![0]!;
    assert.deepEqual({ ...owner, uid: undefined }, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: undefined, controller: true, blockOwnerDeletion: true });
    assert.deepEqual(rs!.metadata.annotations, {
      'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'first', team: 'a',
    });

    const created = await waitFor('revision on deployment', async () => {
      const d = await getDeployment(t, 'web');
      return revision(d) === '1' && condition(d, 'Progressing') ? d : undefined;
    }, WAIT);
    assert.equal(created.metadata.generation, 1, 'the revision annotation is written without a generation bump');
    assert.equal(condition(created, 'Progressing')?.status, 'True');
    assert.deepEqual(await eventMessages(t, 'web'), [`Scaled up replica set ${rs!.metadata.name} from 0 to 3`]);

    await reportReplicaSet(t, rs!.metadata.name!, 3, 1);
    const partial = await waitFor('partial status', async () => {
      const d = await getDeployment(t, 'web');
      return d.status?.replicas === 3 && d.status.availableReplicas === 1 ? d : undefined;
    }, WAIT);
    assert.equal(partial.status?.unavailableReplicas, 2);
    assert.deepEqual([condition(partial, 'Available')?.status, condition(partial, 'Available')?.reason], ['False', 'MinimumReplicasUnavailable']);
    assert.equal(condition(partial, 'Available')?.message, 'Deployment does not have minimum availability.');
    assert.deepEqual([condition(partial, 'Progressing')?.reason, condition(partial, 'Progressing')?.message], ['ReplicaSetUpdated', `ReplicaSet "${rs!.metadata.name}" is progressing.`]);

    const done = await rollOut(t, 'web');
    const s = done.status!;
    assert.deepEqual([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas, s.observedGeneration], [3, 3, 3, 3, undefined, 1]);
    await waitFor('complete conditions', async () => {
      const d = await getDeployment(t, 'web');
      return condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
    }, WAIT);
    const d = await getDeployment(t, 'web');
    assert.deepEqual(condition(d, 'Available'), { ...condition(d, 'Available'), status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    assert.equal(condition(d, 'Progressing')?.message, `ReplicaSet "${rs!.metadata.name}" has successfully progressed.`);
    assert.deepEqual(d.status?.conditions?.map((c) => c.type), ['Available', 'Progressing']);
  });
});

test('a rolling update keeps within maxSurge/maxUnavailable, bumps the revision and scales the old ReplicaSet down', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('roll', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } }));
    await rollOut(t, 'roll');
    const [first] = await replicaSetsOf(t, 'roll');
    await t.admin.patch(DEPLOYMENTS, NS, 'roll', 'strategic', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'kubectl set image deployment/roll app=nginx:1.27' } },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    });
    // maxSurge 1: 5 pods at most → new RS 1; maxUnavailable 1: 3 must stay available → old RS 3.
    const [old1, new1] = await waitFor('second replica set and first scale-down', async () => {
      const rss = await replicaSetsOf(t, 'roll');
      return rss.length === 2 && rss[0]!.spec.replicas === 3 ? rss : undefined;
    }, WAIT);
    assert.equal(old1!.metadata.name, first!.metadata.name);
    // Once the old one is down to 3 the new one may already have grown again (3 + 2 = 5 pods at most).
    assert.ok([1, 2].includes(new1!.spec.replicas ?? 0), String(new1!.spec.replicas));
    assert.equal(revision(new1!), '2');
    assert.equal(new1!.metadata.annotations?.['kubernetes.io/change-cause'], 'kubectl set image deployment/roll app=nginx:1.27');
    assert.notEqual(new1!.metadata.labels?.['pod-template-hash'], first!.metadata.labels?.['pod-template-hash']);
    await waitFor('new RS at 2', async () => (await replicaSetsOf(t, 'roll'))[1]!.spec.replicas === 2, WAIT);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(sizes(await replicaSetsOf(t, 'roll')), [3, 2], 'no further step until pods become available');
    const done = await rollOut(t, 'roll');
    assert.equal(revision(done), '2');
    const rss = await replicaSetsOf(t, 'roll');
    assert.deepEqual(sizes(rss), [0, 4]);
    const msgs = await eventMessages(t, 'roll');
    assert.ok(msgs.includes(`Scaled up replica set ${new1!.metadata.name} from 0 to 1`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled down replica set ${old1!.metadata.name} from 4 to 3`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled up replica set ${new1!.metadata.name} from 1 to 2`), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith(`Scaled down replica set ${old1!.metadata.name} from `) && m.endsWith(' to 0')), msgs.join('\n'));
  });
});

test('kubectl rollout undo (JSON patch of template and annotations) gives the old ReplicaSet a new revision', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('undo', { replicas: 2, annotations: { 'kubernetes.io/change-cause': 'v1' } }));
    await rollOut(t, 'undo');
    await t.admin.patch(DEPLOYMENTS, NS, 'undo', 'strategic', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'v2' } },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    });
    await waitFor('two replica sets', async () => (await replicaSetsOf(t, 'undo')).length === 2, WAIT);
    await rollOut(t, 'undo');
    // What kubectl 1.32's DeploymentRollbacker sends for `rollout undo` (to revision 1).
    const [v1] = await replicaSetsOf(t, 'undo');
    const d = await getDeployment(t, 'undo');
    const template = structuredClone(v1!.spec.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const skipped = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history',
      'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to'];
    const annotations: Record<string, string> = {};
    for (const k of skipped) if (d.metadata.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k]!;
    for (const [k, v] of Object.entries(v1!.metadata.annotations ?? {})) if (!skipped.includes(k)) annotations[k] = v;
    await t.admin.patch(DEPLOYMENTS, NS, 'undo', 'json', [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ]);
    const rolledBack = await waitFor('old RS promoted to revision 3', async () => {
      const rs = (await replicaSetsOf(t, 'undo')).find((x) => x.metadata.uid === v1!.metadata.uid)!;
      return revision(rs) === '3' ? rs : undefined;
    }, WAIT);
    assert.equal(rolledBack.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(rolledBack.metadata.annotations?.['kubernetes.io/change-cause'], 'v1');
    const done = await rollOut(t, 'undo');
    assert.equal(revision(done), '3');
    const rss = await replicaSetsOf(t, 'undo');
    assert.deepEqual(rss.map((rs) => [revision(rs), rs.spec.replicas]), [['2', 0], ['3', 2]]);
    assert.equal(rss.length, 2, 'no third ReplicaSet: the old one was reused');
  });
});

test('paused: template changes wait while scaling applies; Progressing is DeploymentPaused, then DeploymentResumed', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('pause', { replicas: 2 }));
    await rollOut(t, 'pause');
    await t.admin.patch(DEPLOYMENTS, NS, 'pause', 'merge', { spec: { paused: true } });
    const paused = await waitFor('paused condition', async () => {
      const d = await getDeployment(t, 'pause');
      return condition(d, 'Progressing')?.reason === 'DeploymentPaused' ? d : undefined;
    }, WAIT);
    assert.deepEqual([condition(paused, 'Progressing')?.status, condition(paused, 'Progressing')?.message], ['Unknown', 'Deployment is paused']);
    await t.admin.patch(DEPLOYMENTS, NS, 'pause', 'strategic', { spec: { replicas: 4, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    await waitFor('scaled while paused', async () => sizes(await replicaSetsOf(t, 'pause')).join() === '4', WAIT);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await replicaSetsOf(t, 'pause')).length, 1, 'no new ReplicaSet while paused');
    const [rs] = await replicaSetsOf(t, 'pause');
    assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '4');
    await t.admin.patch(DEPLOYMENTS, NS, 'pause', 'merge', { spec: { paused: false } });
    await waitFor('new replica set after resume', async () => (await replicaSetsOf(t, 'pause')).length === 2, WAIT);
    const d = await getDeployment(t, 'pause');
    assert.ok(['DeploymentResumed', 'NewReplicaSetCreated', 'ReplicaSetUpdated'].includes(condition(d, 'Progressing')?.reason ?? ''), JSON.stringify(d.status));
    const done = await rollOut(t, 'pause');
    assert.equal(revision(done), '2');
  });
});

test('Recreate: old ReplicaSets go to zero and the new one is created only when no old pod remains', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('rec', { replicas: 3, strategy: { type: 'Recreate' } }));
    await rollOut(t, 'rec');
    await t.admin.patch(DEPLOYMENTS, NS, 'rec', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    const [old] = await waitFor('old scaled to 0', async () => {
      const rss = await replicaSetsOf(t, 'rec');
      return rss[0]!.spec.replicas === 0 ? rss : undefined;
    }, WAIT);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await replicaSetsOf(t, 'rec')).length, 1, 'old pods still reported: no new ReplicaSet yet');
    await reportReplicaSet(t, old!.metadata.name!, 0);
    const [, created] = await waitFor('new RS at full size', async () => {
      const rss = await replicaSetsOf(t, 'rec');
      return rss.length === 2 && rss[1]!.spec.replicas === 3 ? rss : undefined;
    }, WAIT);
    assert.equal(created!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '3');
    await rollOut(t, 'rec');
    const msgs = await eventMessages(t, 'rec');
    assert.ok(msgs.includes(`Scaled down replica set ${old!.metadata.name} from 3 to 0`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled up replica set ${created!.metadata.name} from 0 to 3`), msgs.join('\n'));
  });
});

test('scaling in the middle of a rollout is shared proportionally between the ReplicaSets', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('prop', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await rollOut(t, 'prop');
    await t.admin.patch(DEPLOYMENTS, NS, 'prop', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'broken:1' }] } } } });
    // New RS 3 (surge), old RS down to 8 (10 - 2 unavailable); the new pods never become available.
    const [old, fresh] = await waitFor('stuck rollout 8 + 5', async () => {
      const rss = await replicaSetsOf(t, 'prop');
      if (rss.length !== 2) return undefined;
      await reportReplicaSet(t, rss[0]!.metadata.name!, rss[0]!.spec.replicas ?? 0);
      await reportReplicaSet(t, rss[1]!.metadata.name!, rss[1]!.spec.replicas ?? 0, 0);
      return sizes(rss).join() === '8,5' ? rss : undefined;
    }, WAIT);
    assert.equal(old!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '13');
    await t.admin.patch(DEPLOYMENTS, NS, 'prop', 'merge', { spec: { replicas: 20 } });
    // 20 + 3 = 23 allowed, 13 present: +10 shared 8:5 of 13 → old 8→14 (round(8*23/13)=14), new gets the rest: 5→9.
    const after = await waitFor('proportional scale-up', async () => {
      const rss = await replicaSetsOf(t, 'prop');
      return sizes(rss).reduce((a, b) => a + b, 0) === 23 ? rss : undefined;
    }, WAIT);
    assert.deepEqual(sizes(after), [14, 9]);
    assert.equal(after[0]!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
    assert.equal(fresh!.metadata.uid, after[1]!.metadata.uid);
  });
});

test('revisionHistoryLimit removes the oldest fully scaled-down ReplicaSets', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('hist', { replicas: 1, revisionHistoryLimit: 1 }));
    await rollOut(t, 'hist');
    for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
      await t.admin.patch(DEPLOYMENTS, NS, 'hist', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } });
      await waitFor(`rollout of ${image}`, async () => {
        await settle(t, 'hist');
        const rss = await replicaSetsOf(t, 'hist');
        return rss.some((rs) => rs.spec.template?.spec?.containers[0]?.image === image && rs.spec.replicas === 1);
      }, WAIT);
      await rollOut(t, 'hist');
    }
    const rss = await waitFor('history trimmed to 1 old', async () => {
      await settle(t, 'hist');
      const list = await replicaSetsOf(t, 'hist');
      return list.length === 2 ? list : undefined;
    }, WAIT);
    assert.deepEqual(rss.map((rs) => revision(rs)), ['3', '4']);
  });
});

test('a rollout without progress past progressDeadlineSeconds gets ProgressDeadlineExceeded', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('slow', { replicas: 1, progressDeadlineSeconds: 2 }));
    const [rs] = await waitFor('replica set', async () => { const rss = await replicaSetsOf(t, 'slow'); return rss.length === 1 ? rss : undefined; }, WAIT);
    const d = await waitFor('deadline exceeded', async () => {
      const x = await getDeployment(t, 'slow');
      return condition(x, 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? x : undefined;
    }, WAIT);
    assert.equal(condition(d, 'Progressing')?.status, 'False');
    assert.equal(condition(d, 'Progressing')?.message, `ReplicaSet "${rs!.metadata.name}" has timed out progressing.`);
    // Progress afterwards completes it.
    await rollOut(t, 'slow');
    await waitFor('completed after all', async () => condition(await getDeployment(t, 'slow'), 'Progressing')?.reason === 'NewReplicaSetAvailable', WAIT);
  });
});

test('a matching orphan ReplicaSet with the same template is adopted and reused; one that stops matching is released', async () => {
  await withController(async (t) => {
    const d = deployment('adopt', { replicas: 2 });
    const template = structuredClone(d.spec.template!);
    template.metadata!.labels = { app: 'adopt', 'pod-template-hash': 'manual' };
    await t.admin.create<ReplicaSet>(REPLICASETS, NS, {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'adopt-manual', labels: { app: 'adopt', 'pod-template-hash': 'manual' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'adopt', 'pod-template-hash': 'manual' } }, template },
    });
    await t.admin.create(DEPLOYMENTS, NS, d);
    const [rs] = await waitFor('adopted and scaled', async () => {
      const rss = await replicaSetsOf(t, 'adopt');
      return rss.length === 1 && rss[0]!.spec.replicas === 2 ? rss : undefined;
    }, WAIT);
    assert.equal(rs!.metadata.name, 'adopt-manual');
    assert.equal(revision(rs!), '1');
    await rollOut(t, 'adopt');
    await t.admin.patch(REPLICASETS, NS, 'adopt-manual', 'merge', { metadata: { labels: { app: 'other', 'pod-template-hash': 'manual' } } });
    await waitFor('released', async () => {
      const x = await t.admin.get<ReplicaSet>(REPLICASETS, NS, 'adopt-manual');
      return (x.metadata.ownerReferences ?? []).length === 0;
    }, WAIT);
    // With its only ReplicaSet gone, the Deployment makes a new one.
    await waitFor('replacement replica set', async () => (await replicaSetsOf(t, 'adopt')).length === 1, WAIT);
  });
});

test('the deprecated rollback annotation rolls back to the previous revision and is cleared', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('rb', { replicas: 1 }));
    await rollOut(t, 'rb');
    await t.admin.patch(DEPLOYMENTS, NS, 'rb', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:9' }] } } } });
    await waitFor('two replica sets', async () => (await replicaSetsOf(t, 'rb')).length === 2, WAIT);
    await rollOut(t, 'rb');
    await t.admin.patch(DEPLOYMENTS, NS, 'rb', 'merge', { metadata: { annotations: { 'deprecated.deployment.rollback.to': '0' } } });
    const d = await waitFor('rolled back', async () => {
      const x = await getDeployment(t, 'rb');
      return x.spec.template?.spec?.containers[0]?.image === 'nginx:1.26' && !x.metadata.annotations?.['deprecated.deployment.rollback.to'] ? x : undefined;
    }, WAIT);
    assert.equal(d.spec.template?.metadata?.labels?.['pod-template-hash'], undefined);
    await waitFor('rollback event', async () => (await eventMessages(t, 'rb', 'DeploymentRollback')).includes('Rolled back deployment "rb" to revision 1'), WAIT);
  });
});

test('a name taken by a foreign ReplicaSet (hash collision) raises collisionCount and the next name is used', async () => {
  const { computeHash } = await import('../../../main/controllers/deployment/pod-template-hash.js');
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('coll', { replicas: 1, paused: true }));
    const stored = await getDeployment(t, 'coll');
    const taken = `coll-${computeHash(stored.spec.template)}`;
    await t.admin.create<ReplicaSet>(REPLICASETS, NS, {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: taken, labels: { app: 'foreign' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'foreign' } }, template: { metadata: { labels: { app: 'foreign' } }, spec: { containers: [{ name: 'x', image: 'x' }] } } },
    });
    await t.admin.patch(DEPLOYMENTS, NS, 'coll', 'merge', { spec: { paused: false } });
    const [rs] = await waitFor('replica set under another name', async () => {
      const rss = await replicaSetsOf(t, 'coll');
      return rss.length === 1 ? rss : undefined;
    }, WAIT);
    const d = await getDeployment(t, 'coll');
    assert.equal(d.status?.collisionCount, 1);
    assert.equal(rs!.metadata.name, `coll-${computeHash(stored.spec.template, 1)}`);
    assert.notEqual(rs!.metadata.name, taken);
  });
});

test('minReadySeconds follows the Deployment; a ReplicaFailure condition of the ReplicaSet is surfaced', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('mrs', { replicas: 1 }));
    await rollOut(t, 'mrs');
    await t.admin.patch(DEPLOYMENTS, NS, 'mrs', 'merge', { spec: { minReadySeconds: 5 } });
    const [rs] = await waitFor('minReadySeconds copied', async () => {
      const rss = await replicaSetsOf(t, 'mrs');
      return rss.length === 1 && rss[0]!.spec.minReadySeconds === 5 ? rss : undefined;
    }, WAIT);
    const cur = await t.admin.get<ReplicaSet>(REPLICASETS, NS, rs!.metadata.name!);
    cur.status = {
      ...cur.status, replicas: 1, availableReplicas: 1, readyReplicas: 1,
      conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    };
    await t.admin.update(REPLICASETS, NS, cur, { subresource: 'status' });
    const d = await waitFor('ReplicaFailure on deployment', async () => {
      const x = await getDeployment(t, 'mrs');
      return condition(x, 'ReplicaFailure') ? x : undefined;
    }, WAIT);
    assert.deepEqual(condition(d, 'ReplicaFailure'), {
      type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "x" is forbidden: exceeded quota',
      lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z',
    });
  });
});

test('a 10-replica rollout with 25%/25% keeps between 8 and 13 pods at every step', async () => {
  await withController(async (t) => {
    await t.admin.create(DEPLOYMENTS, NS, deployment('big', { replicas: 10 }));
    await rollOut(t, 'big');
    await t.admin.patch(DEPLOYMENTS, NS, 'big', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    const snapshots: number[][] = [];
    await waitFor('rolled out in steps', async () => {
      const rss = await replicaSetsOf(t, 'big');
      snapshots.push(sizes(rss));
      // Pods become available only up to what the ReplicaSet asks for, one step at a time.
      await settle(t, 'big');
      const d = await getDeployment(t, 'big');
      return rss.length === 2 && sizes(rss).join() === '0,10' && d.status?.updatedReplicas === 10 && d.status.availableReplicas === 10;
    }, WAIT);
    // Every ReplicaSet is settled (all its pods available) before the next snapshot, so the sum is also the
    // number of pods that were available meanwhile.
    for (const s of snapshots) {
      const total = s.reduce((a, b) => a + b, 0);
      assert.ok(total <= 13 && total >= 8, `out of bounds: ${s}`);
    }
    assert.ok(snapshots.filter((s) => s.length === 2).length >= 2, 'the rollout took several steps');
  });
});
