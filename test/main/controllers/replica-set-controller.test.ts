/**
 * The replicaset and replicationcontroller controllers on an in-process API server (no scheduler, no nodes):
 * creation from the template with events and status, adoption and release, scale down by deletion preference,
 * expectations (no double creation), FailedCreate with ReplicaFailure, and a ReplicationController.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { KObject } from '../../../main/api/meta/object.js';
import { EVENTS, NAMESPACES, PODS, REPLICASETS, REPLICATIONCONTROLLERS, type KubeClient } from '../../../main/client/kube-client.js';
import { replicaSetControllerFactory } from '../../../main/controllers/replica-set-controller.js';
import { replicationControllerFactory } from '../../../main/controllers/replication-controller.js';
import { startControllerTest, waitFor, type ControllerTest } from './controller-fixture.js';

const NS = 'default';
const T = 30_000;

function rsObject(name: string, replicas: number, opts: { labels?: Record<string, string>; template?: Record<string, unknown>; annotations?: Record<string, string>; minReadySeconds?: number } = {}): KObject {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: labels }, ...(opts.minReadySeconds ? { minReadySeconds: opts.minReadySeconds } : {}),
      template: {
        metadata: { labels, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
        spec: { containers: [{ name: 'c', image: 'nginx' }], ...(opts.template ?? {}) },
      },
    },
  };
}

async function podsOf(c: KubeClient, uid: string, all = false): Promise<Pod[]> {
  const items = (await c.list<Pod>(PODS, NS)).items;
  return items.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller) && (all || !p.metadata.deletionTimestamp));
}

async function events(c: KubeClient, name: string, reason?: string): Promise<any[]> {
  return (await c.list<any>(EVENTS, NS)).items.filter((e) => e.involvedObject.name === name && (!reason || e.reason === reason));
}

/** Makes a pod Running and Ready (bound to `node` if given) as a kubelet would. */
async function runPod(c: KubeClient, pod: Pod, opts: { node?: string; ready?: boolean; readyAgoSeconds?: number } = {}): Promise<void> {
  if (opts.node) await c.post(PODS, NS, pod.metadata.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { kind: 'Node', name: opts.node } });
  const t = new Date(Date.now() - (opts.readyAgoSeconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ready = opts.ready ?? true;
  await c.patch(PODS, NS, pod.metadata.name!, 'merge', {
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t }] },
  }, { subresource: 'status' });
}

async function withControllers(fn: (t: ControllerTest) => Promise<void>): Promise<void> {
  const t = await startControllerTest([replicaSetControllerFactory, replicationControllerFactory]);
  try {
    await fn(t);
  } finally {
    await t.stop();
  }
}

test('a ReplicaSet gets its pods from the template, with events and status', () => withControllers(async (t) => {
  const rs = await t.admin.create<KObject>(REPLICASETS, NS, rsObject('web', 3, { annotations: { note: 'x' } }));
  const pods = await waitFor('3 pods', async () => { const p = await podsOf(t.admin, rs.metadata.uid!); return p.length === 3 ? p : undefined; }, T);
  for (const p of pods) {
    assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(p.metadata.generateName, 'web-');
    assert.deepEqual(p.metadata.labels, { app: 'web' });
    assert.equal(p.metadata.annotations?.['note'], 'x');
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  }
  const created = await waitFor('3 SuccessfulCreate events', async () => { const e = await events(t.admin, 'web', 'SuccessfulCreate'); return e.length === 3 ? e : undefined; }, T);
  assert.deepEqual(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  assert.equal(created[0].source.component, 'replicaset-controller');
  assert.equal(created[0].type, 'Normal');
  const st = await waitFor('status replicas 3', async () => {
    const cur = await t.admin.get<any>(REPLICASETS, NS, 'web');
    return cur.status?.replicas === 3 && cur.status;
  }, T);
  assert.deepEqual(st, { replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
  // Ready pods count as ready and (without minReadySeconds) available.
  for (const p of pods) await runPod(t.admin, p, { node: 'n1' });
  await waitFor('ready 3 available 3', async () => {
    const cur = await t.admin.get<any>(REPLICASETS, NS, 'web');
    return cur.status?.readyReplicas === 3 && cur.status?.availableReplicas === 3;
  }, T);
}));

test('minReadySeconds: ready pods become available only after it', () => withControllers(async (t) => {
  await t.admin.create<KObject>(REPLICASETS, NS, rsObject('slow', 1, { minReadySeconds: 2 }));
  const rs = await t.admin.get<KObject>(REPLICASETS, NS, 'slow');
  const [p] = await waitFor('1 pod', async () => { const ps = await podsOf(t.admin, rs.metadata.uid!); return ps.length === 1 ? ps : undefined; }, T);
  await runPod(t.admin, p!);
  await waitFor('ready but not available', async () => {
    const s = (await t.admin.get<any>(REPLICASETS, NS, 'slow')).status;
    return s?.readyReplicas === 1 && s?.availableReplicas === undefined;
  }, T);
  await waitFor('available after minReadySeconds', async () => (await t.admin.get<any>(REPLICASETS, NS, 'slow')).status?.availableReplicas === 1, T);
}));

test('adoption of matching orphans, release of pods whose labels stop matching, others left alone', () => withControllers(async (t) => {
  const bare = (name: string, labels: Record<string, string>, owner?: KObject['metadata']['ownerReferences']): Pod => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, ...(owner ? { ownerReferences: owner } : {}) }, spec: { containers: [{ name: 'c', image: 'nginx' }] },
  });
  await t.admin.create(PODS, NS, bare('orphan', { app: 'adopt' }));
  await t.admin.create(PODS, NS, bare('owned-elsewhere', { app: 'adopt' }, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'x', uid: 'not-ours', controller: true }]));
  await t.admin.create(PODS, NS, bare('other', { app: 'unrelated' }));
  const rs = await t.admin.create<KObject>(REPLICASETS, NS, rsObject('adopt', 2));
  const pods = await waitFor('2 pods, one adopted', async () => { const p = await podsOf(t.admin, rs.metadata.uid!); return p.length === 2 ? p : undefined; }, T);
  assert.ok(pods.some((p) => p.metadata.name === 'orphan'), 'orphan adopted');
  const orphan = await t.admin.get<Pod>(PODS, NS, 'orphan');
  assert.deepEqual(orphan.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'adopt', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.equal((await t.admin.get<Pod>(PODS, NS, 'owned-elsewhere')).metadata.ownerReferences?.[0]?.uid, 'not-ours');
  assert.equal((await t.admin.get<Pod>(PODS, NS, 'other')).metadata.ownerReferences, undefined);
  assert.equal((await events(t.admin, 'adopt', 'SuccessfulCreate')).length <= 1, true);

  // Relabel the adopted pod: it is released and replaced.
  await t.admin.patch(PODS, NS, 'orphan', 'merge', { metadata: { labels: { app: 'gone' } } });
  await waitFor('orphan released', async () => !(await t.admin.get<Pod>(PODS, NS, 'orphan')).metadata.ownerReferences?.length, T);
  await waitFor('replacement created', async () => (await podsOf(t.admin, rs.metadata.uid!)).filter((p) => p.metadata.name !== 'orphan').length === 2, T);
}));

test('a ReplicaSet being deleted neither adopts orphans nor replaces pods', () => withControllers(async (t) => {
  const obj = rsObject('leaving', 1);
  obj.metadata.finalizers = ['test.example/hold'];
  const rs = await t.admin.create<KObject>(REPLICASETS, NS, obj);
  const [pod] = await waitFor('1 pod', async () => { const p = await podsOf(t.admin, rs.metadata.uid!); return p.length === 1 ? p : undefined; }, T);
  await t.admin.delete(REPLICASETS, NS, 'leaving');
  await waitFor('RS terminating', async () => !!(await t.admin.get<KObject>(REPLICASETS, NS, 'leaving')).metadata.deletionTimestamp, T);
  await t.admin.create(PODS, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'leaving' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await t.admin.delete(PODS, NS, pod!.metadata.name!);
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(await podsOf(t.admin, rs.metadata.uid!), []);
  assert.equal((await t.admin.get<Pod>(PODS, NS, 'stray')).metadata.ownerReferences, undefined);
  assert.equal((await events(t.admin, 'leaving', 'SuccessfulCreate')).length, 1);
}));

test('terminal pods do not count: a Failed pod is replaced and left alone; matchExpressions selectors work', () => withControllers(async (t) => {
  const obj = rsObject('evicted', 1);
  (obj.spec as any).selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['evicted'] }] };
  const rs = await t.admin.create<KObject>(REPLICASETS, NS, obj);
  const [first] = await waitFor('1 pod', async () => { const p = await podsOf(t.admin, rs.metadata.uid!); return p.length === 1 ? p : undefined; }, T);
  await t.admin.patch(PODS, NS, first!.metadata.name!, 'merge', { status: { phase: 'Failed', reason: 'Evicted' } }, { subresource: 'status' });
  await waitFor('replacement', async () => (await podsOf(t.admin, rs.metadata.uid!)).length === 2, T);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await podsOf(t.admin, rs.metadata.uid!)).length, 2, 'the failed pod stays; no more creations');
  await waitFor('status counts only the active pod', async () => (await t.admin.get<any>(REPLICASETS, NS, 'evicted')).status?.replicas === 1, T);
}));

test('scale down deletes by preference: unassigned, then not ready, then lower deletion cost', () => withControllers(async (t) => {
  const rs = await t.admin.create<KObject>(REPLICASETS, NS, rsObject('down', 4));
  const pods = await waitFor('4 pods', async () => { const p = await podsOf(t.admin, rs.metadata.uid!); return p.length === 4 ? p : undefined; }, T);
  const [unassigned, notReady, cheap, dear] = pods as [Pod, Pod, Pod, Pod];
  await runPod(t.admin, notReady, { node: 'n1', ready: false });
  await runPod(t.admin, cheap, { node: 'n2' });
  await runPod(t.admin, dear, { node: 'n3' });
  await t.admin.patch(PODS, NS, cheap.metadata.name!, 'merge', { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '-10' } } });
  await t.admin.patch(PODS, NS, dear.metadata.name!, 'merge', { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '100' } } });
  await waitFor('ready 2', async () => (await t.admin.get<any>(REPLICASETS, NS, 'down')).status?.readyReplicas === 2, T);
  const survivors = async (n: number) => waitFor(`${n} pods left`, async () => {
    const p = await podsOf(t.admin, rs.metadata.uid!);
    return p.length === n ? p.map((x) => x.metadata.name).sort() : undefined;
  }, T);
  const scale = (n: number) => t.admin.patch(REPLICASETS, NS, 'down', 'merge', { spec: { replicas: n } });

  await scale(3);
  assert.deepEqual(await survivors(3), [notReady, cheap, dear].map((p) => p.metadata.name).sort());
  await scale(2);
  assert.deepEqual(await survivors(2), [cheap, dear].map((p) => p.metadata.name).sort());
  await scale(1);
  assert.deepEqual(await survivors(1), [dear.metadata.name]);
  const deleted = await waitFor('3 SuccessfulDelete', async () => { const e = await events(t.admin, 'down', 'SuccessfulDelete'); return e.length === 3 ? e : undefined; }, T);
  assert.deepEqual(deleted.map((e) => e.message).sort(), [unassigned, notReady, cheap].map((p) => `Deleted pod: ${p.metadata.name}`).sort());
  // Terminating (bound, graceful) pods no longer count.
  await waitFor('status replicas 1', async () => (await t.admin.get<any>(REPLICASETS, NS, 'down')).status?.replicas === 1, T);
  assert.ok((await t.admin.get<Pod>(PODS, NS, cheap.metadata.name!)).metadata.deletionTimestamp, 'bound pod terminating');
}));

test('expectations: a large ReplicaSet gets exactly its replicas; a deleted pod is replaced once', () => withControllers(async (t) => {
  const rs = await t.admin.create<KObject>(REPLICASETS, NS, rsObject('many', 25));
  await waitFor('25 pods', async () => (await podsOf(t.admin, rs.metadata.uid!)).length === 25, T);
  await waitFor('status 25', async () => (await t.admin.get<any>(REPLICASETS, NS, 'many')).status?.replicas === 25, T);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await podsOf(t.admin, rs.metadata.uid!, true)).length, 25);
  const victim = (await podsOf(t.admin, rs.metadata.uid!))[0]!;
  await t.admin.delete(PODS, NS, victim.metadata.name!);
  await waitFor('replacement', async () => {
    const p = await podsOf(t.admin, rs.metadata.uid!);
    return p.length === 25 && !p.some((x) => x.metadata.name === victim.metadata.name);
  }, T);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await podsOf(t.admin, rs.metadata.uid!, true)).length, 25);
  const ev = await waitFor('26 creations recorded', async () => {
    const e = await events(t.admin, 'many', 'SuccessfulCreate');
    return e.length === 26 ? e : undefined;
  }, T);
  assert.equal(ev.length, 26);
}));

test('a failing creation: FailedCreate event and ReplicaFailure condition, cleared once it succeeds', () => withControllers(async (t) => {
  await t.admin.create<KObject>(REPLICASETS, NS, rsObject('fail', 2, { template: { priorityClassName: 'missing' } }));
  const ev = await waitFor('FailedCreate', async () => (await events(t.admin, 'fail', 'FailedCreate'))[0], T);
  assert.equal(ev.type, 'Warning');
  assert.match(ev.message, /^Error creating: .*no PriorityClass with name missing was found/);
  const cond = await waitFor('ReplicaFailure', async () => (await t.admin.get<any>(REPLICASETS, NS, 'fail')).status?.conditions?.[0], T);
  assert.equal(cond.type, 'ReplicaFailure');
  assert.equal(cond.status, 'True');
  assert.equal(cond.reason, 'FailedCreate');
  assert.match(cond.message, /no PriorityClass with name missing was found/);
  await t.admin.create({ group: 'scheduling.k8s.io', version: 'v1', plural: 'priorityclasses', namespaced: false }, '', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'missing' }, value: 10 });
  await waitFor('2 replicas, condition cleared', async () => {
    const s = (await t.admin.get<any>(REPLICASETS, NS, 'fail')).status;
    return s?.replicas === 2 && s.conditions === undefined;
  }, T);
}));

test('a terminating namespace: creations are skipped without FailedCreate or ReplicaFailure', () => withControllers(async (t) => {
  await t.admin.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dying' } });
  await t.admin.create<KObject>(REPLICASETS, 'dying', rsObject('rs', 0));
  await waitFor('observed', async () => (await t.admin.get<any>(REPLICASETS, 'dying', 'rs')).status?.observedGeneration === 1, T);
  await t.admin.delete(NAMESPACES, '', 'dying');
  await t.admin.patch(REPLICASETS, 'dying', 'rs', 'merge', { spec: { replicas: 2 } });
  const s = await waitFor('generation 2 observed', async () => {
    const cur = await t.admin.get<any>(REPLICASETS, 'dying', 'rs');
    return cur.status?.observedGeneration === 2 && cur.status;
  }, T);
  assert.deepEqual(s, { replicas: 0, observedGeneration: 2 });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual((await t.admin.list<any>(EVENTS, 'dying')).items.map((e) => e.reason), []);
  assert.deepEqual((await t.admin.list<Pod>(PODS, 'dying')).items, []);
}));

test('a ReplicationController works the same, with its own event source', () => withControllers(async (t) => {
  const rc = await t.admin.create<KObject>(REPLICATIONCONTROLLERS, NS, {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const pods = await waitFor('2 pods', async () => { const p = await podsOf(t.admin, rc.metadata.uid!); return p.length === 2 ? p : undefined; }, T);
  assert.deepEqual(pods[0]!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
  assert.match(pods[0]!.metadata.name!, /^legacy-[a-z0-9]{5}$/);
  const ev = await waitFor('SuccessfulCreate', async () => (await events(t.admin, 'legacy', 'SuccessfulCreate'))[0], T);
  assert.equal(ev.source.component, 'replication-controller');
  assert.equal(ev.involvedObject.kind, 'ReplicationController');
  await waitFor('status 2', async () => (await t.admin.get<any>(REPLICATIONCONTROLLERS, NS, 'legacy')).status?.replicas === 2, T);
  await t.admin.patch(REPLICATIONCONTROLLERS, NS, 'legacy', 'merge', { spec: { replicas: 0 } });
  await waitFor('0 pods', async () => (await podsOf(t.admin, rc.metadata.uid!)).length === 0, T);
  const s = await waitFor('status 0 at generation 2', async () => {
    const cur = await t.admin.get<any>(REPLICATIONCONTROLLERS, NS, 'legacy');
    return cur.status?.observedGeneration === 2 && cur.status?.replicas === 0 && cur.status;
  }, T);
  assert.deepEqual(s, { replicas: 0, observedGeneration: 2 });
}));
