import { test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { KObject } from '../../../../main/api/meta/object.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { podHooks } from '../../../../main/apiserver/kind-hooks/pod-hooks.js';
import { openLowdbStore } from '../../../../main/store/lowdb-store.js';
import { configMap, descriptor, newStorage, writeOpts } from '../../../helpers/apiserver-unit.js';

const cms = descriptor('', 'v1', 'configmaps');
const deployments = descriptor('apps', 'v1', 'deployments');
const pods = descriptor('', 'v1', 'pods');
const nodes = descriptor('', 'v1', 'nodes');

const apiError = (code: number, reason: string, message: string) => (e: unknown) =>
  e instanceof ApiError && e.code === code && e.reason === reason && e.message === message;

function deployment(name: string, replicas = 1): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  } as KObject;
}

function pod(name: string, spec: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } } as KObject;
}

const clone = <T>(v: T): T => structuredClone(v);

// ------------------------------------------------------------------------------------------------ create

test('storage create: server-set metadata (uid, creationTimestamp, resourceVersion, namespace)', async () => {
  const { storage, store } = newStorage(cms);
  const input = configMap('a', { k: 'v' });
  input.metadata.uid = 'client-uid';
  input.metadata.resourceVersion = '999';
  input.metadata.creationTimestamp = '2000-01-01T00:00:00Z';
  input.metadata.generation = 7;
  input.metadata.namespace = 'elsewhere';
  const created = await storage.create('default', input, writeOpts());
  assert.match(created.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.notEqual(created.metadata.uid, 'client-uid');
  assert.equal(created.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
  assert.equal(created.metadata.resourceVersion, String(store.revision()));
  assert.equal(created.metadata.namespace, 'default');
  assert.equal(created.metadata.generation, undefined, 'ConfigMaps have no generation');
  assert.equal(created.apiVersion, 'v1');
  assert.equal(created.kind, 'ConfigMap');
  assert.deepEqual((await storage.get('default', 'a')).metadata, created.metadata);
});

test('storage create: generation starts at 1 for kinds that track it; status is dropped', async () => {
  const { storage } = newStorage(deployments);
  const input = deployment('web');
  input.metadata.generation = 5;
  (input as KObject & { status: unknown }).status = { replicas: 9 };
  const created = await storage.create('default', input, writeOpts());
  assert.equal(created.metadata.generation, 1);
  assert.equal(created.status, undefined);
});

test('storage create: cluster-scoped objects lose any namespace; nodes keep their status on create', async () => {
  const { storage } = newStorage(nodes);
  const created = await storage.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', namespace: 'x' }, status: { capacity: { cpu: '2' } } } as KObject, writeOpts());
  assert.equal(created.metadata.namespace, undefined);
  assert.deepEqual((created as KObject & { status: { capacity: unknown } }).status.capacity, { cpu: '2' });
});

test('storage create: generateName gets a 5-character random suffix', async () => {
  const { storage } = newStorage(cms);
  const names = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const created = await storage.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'job-' } } as KObject, writeOpts());
    assert.match(created.metadata.name!, /^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(created.metadata.generateName, 'job-');
    names.add(created.metadata.name!);
  }
  assert.equal(names.size, 5);
  // An explicit name wins over generateName.
  const named = await storage.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fixed', generateName: 'job-' } } as KObject, writeOpts());
  assert.equal(named.metadata.name, 'fixed');
});

test('storage create: AlreadyExists as upstream words it', async () => {
  const { storage } = newStorage(cms);
  await storage.create('default', configMap('a'), writeOpts());
  await assert.rejects(storage.create('default', configMap('a'), writeOpts()), apiError(409, 'AlreadyExists', 'configmaps "a" already exists'));
  const { storage: ds } = newStorage(deployments);
  await ds.create('default', deployment('web'), writeOpts());
  await assert.rejects(ds.create('default', deployment('web'), writeOpts()), (e: unknown) =>
    apiError(409, 'AlreadyExists', 'deployments.apps "web" already exists')(e) &&
    JSON.stringify((e as ApiError).details) === JSON.stringify({ name: 'web', kind: 'deployments', group: 'apps' }));
  // Same name in another namespace is fine.
  await storage.create('other', configMap('a'), writeOpts());
});

test('storage create: invalid names are 422 Invalid; dry run stores nothing', async () => {
  const { storage, store } = newStorage(cms);
  await assert.rejects(storage.create('default', configMap('Bad_Name'), writeOpts()), (e: unknown) =>
    e instanceof ApiError && e.code === 422 && e.reason === 'Invalid' && e.message.startsWith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"'));
  const rev = store.revision();
  const dry = await storage.create('default', configMap('dry'), writeOpts({ dryRun: true }));
  assert.equal(dry.metadata.name, 'dry');
  assert.equal(store.revision(), rev);
  assert.equal(await storage.getEntry('default', 'dry'), undefined);
});

test('storage get: NotFound', async () => {
  const { storage } = newStorage(deployments);
  await assert.rejects(storage.get('default', 'nope'), apiError(404, 'NotFound', 'deployments.apps "nope" not found'));
});

// ------------------------------------------------------------------------------------------------ update

test('storage update: a stale resourceVersion is a Conflict with upstream\'s message', async () => {
  const { storage } = newStorage(cms);
  const created = await storage.create('default', configMap('a', { k: '1' }), writeOpts());
  await storage.update('default', 'a', (cur) => ({ ...cur, data: { k: '2' } }), writeOpts());
  await assert.rejects(
    storage.update('default', 'a', () => ({ ...clone(created), data: { k: '3' } }), writeOpts()),
    (e: unknown) => apiError(409, 'Conflict',
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again')(e) &&
      JSON.stringify((e as ApiError).details) === JSON.stringify({ name: 'a', kind: 'configmaps' }));
  assert.deepEqual((await storage.get('default', 'a')).data, { k: '2' });
});

test('storage update: a mismatched uid precondition is a Conflict; missing objects are NotFound', async () => {
  const { storage } = newStorage(cms);
  const created = await storage.create('default', configMap('a'), writeOpts());
  await assert.rejects(
    storage.update('default', 'a', (cur) => ({ ...cur, metadata: { ...cur.metadata, uid: 'other' } }), writeOpts()),
    apiError(409, 'Conflict', `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`));
  await assert.rejects(storage.update('default', 'zzz', (cur) => cur, writeOpts()), apiError(404, 'NotFound', 'configmaps "zzz" not found'));
});

test('storage update: without a resourceVersion the write applies to the latest object', async () => {
  const { storage } = newStorage(cms);
  await storage.create('default', configMap('a', { k: '1' }), writeOpts());
  const { object } = await storage.update('default', 'a', () => configMap('a', { k: '9' }), writeOpts());
  assert.deepEqual(object.data, { k: '9' });
});

test('storage update: read-only metadata comes from the stored object', async () => {
  const { storage, tick } = newStorage(cms);
  const created = await storage.create('default', configMap('a'), writeOpts());
  tick(60_000);
  const { object } = await storage.update('default', 'a', (cur) => ({
    ...cur, data: { x: 'y' }, metadata: { ...cur.metadata, creationTimestamp: '2000-01-01T00:00:00Z', deletionTimestamp: '2000-01-01T00:00:00Z' },
  }), writeOpts());
  assert.equal(object.metadata.uid, created.metadata.uid);
  assert.equal(object.metadata.creationTimestamp, created.metadata.creationTimestamp);
  assert.equal(object.metadata.deletionTimestamp, undefined);
});

test('storage update: a write that changes nothing keeps the resourceVersion and makes no event', async () => {
  const { storage, store } = newStorage(cms);
  const created = await storage.create('default', configMap('a', { k: '1' }, { app: 'x' }), writeOpts());
  const rev = store.revision();
  const { object } = await storage.update('default', 'a', (cur) => cur, writeOpts());
  assert.equal(object.metadata.resourceVersion, created.metadata.resourceVersion);
  const again = await storage.update('default', 'a', () => configMap('a', { k: '1' }, { app: 'x' }), writeOpts());
  assert.equal(again.object.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(store.revision(), rev);
  const changed = await storage.update('default', 'a', () => configMap('a', { k: '2' }, { app: 'x' }), writeOpts());
  assert.equal(changed.object.metadata.resourceVersion, String(rev + 1));
});

test('storage update: generation moves only when the spec changes', async () => {
  const { storage } = newStorage(deployments);
  await storage.create('default', deployment('web'), writeOpts());
  const cases: [string, (d: any) => void, number][] = [
    ['label change', (d) => (d.metadata.labels = { tier: 'web' }), 1],
    ['client-set generation', (d) => (d.metadata.generation = 42), 1],
    ['replicas change', (d) => (d.spec.replicas = 3), 2],
    ['template change', (d) => (d.spec.template.spec.containers[0].image = 'nginx:2'), 3],
    ['no change', () => {}, 3],
  ];
  for (const [what, change, want] of cases) {
    const { object } = await storage.update('default', 'web', (cur) => {
      change(cur);
      return cur;
    }, writeOpts());
    assert.equal(object.metadata.generation, want, what);
  }
});

test('storage update: the main resource cannot change status; the status subresource changes only status', async () => {
  const { storage } = newStorage(deployments);
  await storage.create('default', deployment('web'), writeOpts());
  const s1 = await storage.update('default', 'web', (cur: any) => {
    cur.status = { replicas: 1, readyReplicas: 1 };
    cur.spec.replicas = 5;
    cur.metadata.labels = { from: 'status' };
    return cur;
  }, writeOpts({ subresource: 'status' }));
  const afterStatus = s1.object as any;
  assert.deepEqual(afterStatus.status, { replicas: 1, readyReplicas: 1 });
  assert.equal(afterStatus.spec.replicas, 1, 'spec is not written through status');
  assert.equal(afterStatus.metadata.labels, undefined, 'metadata is not written through status');
  assert.equal(afterStatus.metadata.generation, 1);

  const s2 = await storage.update('default', 'web', (cur: any) => {
    cur.status = { replicas: 99 };
    cur.spec.replicas = 2;
    return cur;
  }, writeOpts());
  const afterMain = s2.object as any;
  assert.deepEqual(afterMain.status, { replicas: 1, readyReplicas: 1 }, 'status is preserved on main-resource updates');
  assert.equal(afterMain.spec.replicas, 2);
  assert.equal(afterMain.metadata.generation, 2);

  // Removing status through the main resource is ignored too.
  const s3 = await storage.update('default', 'web', (cur: any) => {
    delete cur.status;
    return cur;
  }, writeOpts());
  assert.deepEqual((s3.object as any).status, { replicas: 1, readyReplicas: 1 });
});

test('storage update: Deployment status writes carry annotations (upstream resets only spec and labels), no generation bump', async () => {
  const { storage } = newStorage(deployments);
  await storage.create('default', deployment('web'), writeOpts());
  const s1 = await storage.update('default', 'web', (cur: any) => {
    cur.status = { observedGeneration: 1 };
    cur.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
    cur.metadata.labels = { ignored: 'yes' };
    return cur;
  }, writeOpts({ subresource: 'status' }));
  const after = s1.object as any;
  assert.deepEqual(after.metadata.annotations, { 'deployment.kubernetes.io/revision': '1' });
  assert.equal(after.metadata.labels, undefined);
  assert.equal(after.metadata.generation, 1);
  // Other kinds keep ignoring metadata on status writes (see the test above for labels).
  const { storage: pstorage } = newStorage(pods);
  await pstorage.create('default', pod('p'), writeOpts());
  const p1 = await pstorage.update('default', 'p', (cur: any) => {
    cur.status = { phase: 'Pending' };
    cur.metadata.annotations = { a: 'b' };
    return cur;
  }, writeOpts({ subresource: 'status' }));
  assert.equal((p1.object as any).metadata.annotations, undefined);
});

test('storage update: concurrent writes without a resourceVersion are retried, not Conflicts (GuaranteedUpdate)', async () => {
  const { storage } = newStorage(cms);
  await storage.create('default', configMap('n', { count: '0' }), writeOpts());
  await Promise.all(Array.from({ length: 10 }, () => storage.update('default', 'n', async (cur: any) => {
    await new Promise((r) => setTimeout(r, 1));
    cur.data.count = String(Number(cur.data.count) + 1);
    delete cur.metadata.resourceVersion;
    return cur;
  }, writeOpts())));
  assert.equal(((await storage.get('default', 'n')) as any).data.count, '10');
});

test('storage update: on the durable store, retries start from the conflicting (not yet committed) write', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pilothouse-storage-'));
  const store = await openLowdbStore({ dir, log: () => {} });
  try {
    const { storage } = newStorage(cms, { store });
    await storage.create('default', configMap('n', { count: '0' }), writeOpts());
    // Concurrent writers: while one write awaits its fsync, get() still returns the committed entry.
    await Promise.all(Array.from({ length: 10 }, () => storage.update('default', 'n', (cur: any) => {
      cur.data.count = String(Number(cur.data.count) + 1);
      delete cur.metadata.resourceVersion;
      return cur;
    }, writeOpts())));
    assert.equal(((await storage.get('default', 'n')) as any).data.count, '10');
    // The same for writes that bypass the strategy (pods/binding and finalize use them).
    await Promise.all(Array.from({ length: 10 }, () => storage.rawUpdate('default', 'n', (cur: any) => {
      cur.data.count = String(Number(cur.data.count) + 1);
      return cur;
    })));
    assert.equal(((await storage.get('default', 'n')) as any).data.count, '20');
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('storage update: createIfMissing and dry run', async () => {
  const { storage, store } = newStorage(cms);
  const r = await storage.update('default', 'new', () => configMap('new'), writeOpts(), () => storage.create('default', configMap('new'), writeOpts()));
  assert.equal(r.created, true);
  const rev = store.revision();
  const dry = await storage.update('default', 'new', () => configMap('new', { a: 'b' }), writeOpts({ dryRun: true }));
  assert.deepEqual(dry.object.data, { a: 'b' });
  assert.equal(store.revision(), rev);
  assert.deepEqual((await storage.get('default', 'new')).data, {});
});

// ------------------------------------------------------------------------------------------------ delete

test('storage delete: removes the object and returns it; NotFound after', async () => {
  const { storage } = newStorage(cms);
  await storage.create('default', configMap('a'), writeOpts());
  const r = await storage.delete('default', 'a', {}, writeOpts());
  assert.equal(r.deleted, true);
  assert.equal(r.object.metadata.name, 'a');
  await assert.rejects(storage.get('default', 'a'), apiError(404, 'NotFound', 'configmaps "a" not found'));
  await assert.rejects(storage.delete('default', 'a', {}, writeOpts()), apiError(404, 'NotFound', 'configmaps "a" not found'));
});

test('storage delete: preconditions', async () => {
  const { storage } = newStorage(cms);
  const c = await storage.create('default', configMap('a'), writeOpts());
  await assert.rejects(storage.delete('default', 'a', { preconditions: { uid: 'x' } }, writeOpts()), apiError(409, 'Conflict',
    `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: x, UID in object meta: ${c.metadata.uid}`));
  await assert.rejects(storage.delete('default', 'a', { preconditions: { resourceVersion: '1' + c.metadata.resourceVersion } }, writeOpts()), apiError(409, 'Conflict',
    `Operation cannot be fulfilled on configmaps "a": Precondition failed: ResourceVersion in precondition: 1${c.metadata.resourceVersion}, ResourceVersion in object meta: ${c.metadata.resourceVersion}`));
  const ok = await storage.delete('default', 'a', { preconditions: { uid: c.metadata.uid, resourceVersion: c.metadata.resourceVersion } }, writeOpts());
  assert.equal(ok.deleted, true);
});

test('storage delete: finalizers mark the object instead of deleting it; removing the last one deletes it', async () => {
  const { storage } = newStorage(cms);
  const input = configMap('a');
  input.metadata.finalizers = ['example.com/hold'];
  await storage.create('default', input, writeOpts());
  const r = await storage.delete('default', 'a', {}, writeOpts());
  assert.equal(r.deleted, false);
  assert.equal(r.object.metadata.deletionTimestamp, '2026-01-02T03:04:05Z');
  assert.equal(r.object.metadata.deletionGracePeriodSeconds, 0);
  assert.deepEqual(r.object.metadata.finalizers, ['example.com/hold']);
  const stored = await storage.get('default', 'a');
  assert.equal(stored.metadata.deletionTimestamp, '2026-01-02T03:04:05Z');

  // A second delete changes nothing.
  const again = await storage.delete('default', 'a', {}, writeOpts());
  assert.equal(again.deleted, false);
  assert.equal(again.object.metadata.resourceVersion, stored.metadata.resourceVersion);

  // Clearing the finalizers completes the deletion.
  await storage.update('default', 'a', (cur) => {
    delete cur.metadata.finalizers;
    return cur;
  }, writeOpts());
  assert.equal(await storage.getEntry('default', 'a'), undefined);
});

test('storage delete: propagationPolicy adds the orphan / foregroundDeletion finalizers', async () => {
  const cases: [Record<string, unknown>, string[] | undefined, boolean][] = [
    [{ propagationPolicy: 'Orphan' }, ['orphan'], false],
    [{ propagationPolicy: 'Foreground' }, ['foregroundDeletion'], false],
    [{ orphanDependents: true }, ['orphan'], false],
    [{ propagationPolicy: 'Background' }, undefined, true],
    [{ orphanDependents: false }, undefined, true],
    [{}, undefined, true],
  ];
  for (const [options, finalizers, deleted] of cases) {
    const { storage } = newStorage(deployments);
    await storage.create('default', deployment('web'), writeOpts());
    const r = await storage.delete('default', 'web', options, writeOpts());
    assert.equal(r.deleted, deleted, JSON.stringify(options));
    assert.deepEqual(r.object.metadata.finalizers, finalizers, JSON.stringify(options));
    if (!deleted) assert.ok(r.object.metadata.deletionTimestamp, JSON.stringify(options));
  }
});

test('storage delete: Background on an object held by orphan removes that finalizer', async () => {
  const { storage } = newStorage(deployments);
  const d = deployment('web');
  d.metadata.finalizers = ['orphan', 'example.com/keep'];
  await storage.create('default', d, writeOpts());
  const r = await storage.delete('default', 'web', { propagationPolicy: 'Background' }, writeOpts());
  assert.equal(r.deleted, false);
  assert.deepEqual(r.object.metadata.finalizers, ['example.com/keep']);
});

test('storage delete: scheduled pods are deleted gracefully through the pod hooks', async () => {
  const { storage, tick } = newStorage(pods, { hooks: podHooks });
  await storage.create('default', pod('p', { nodeName: 'node-1' }), writeOpts());
  const r = await storage.delete('default', 'p', {}, writeOpts());
  assert.equal(r.deleted, false);
  assert.equal(r.object.metadata.deletionTimestamp, '2026-01-02T03:04:35Z', 'now + terminationGracePeriodSeconds (30)');
  assert.equal(r.object.metadata.deletionGracePeriodSeconds, 30);

  // A shorter grace period moves the deadline earlier; a longer one does not extend it.
  tick(1000);
  const shorter = await storage.delete('default', 'p', { gracePeriodSeconds: 5 }, writeOpts());
  assert.equal(shorter.object.metadata.deletionTimestamp, '2026-01-02T03:04:11Z');
  assert.equal(shorter.object.metadata.deletionGracePeriodSeconds, 5);
  const longer = await storage.delete('default', 'p', { gracePeriodSeconds: 100 }, writeOpts());
  assert.equal(longer.object.metadata.deletionTimestamp, '2026-01-02T03:04:11Z');

  // Grace period 0 (kubectl delete --force --grace-period=0) removes it at once.
  const now = await storage.delete('default', 'p', { gracePeriodSeconds: 0 }, writeOpts());
  assert.equal(now.deleted, true);
  assert.equal(await storage.getEntry('default', 'p'), undefined);
});

test('storage delete: unscheduled or finished pods go at once; the pod\'s own grace period is used', async () => {
  const { storage } = newStorage(pods, { hooks: podHooks });
  await storage.create('default', pod('pending'), writeOpts());
  assert.equal((await storage.delete('default', 'pending', {}, writeOpts())).deleted, true);

  await storage.create('default', pod('done', { nodeName: 'n' }), writeOpts());
  await storage.update('default', 'done', (cur: any) => {
    cur.status = { ...cur.status, phase: 'Succeeded' };
    return cur;
  }, writeOpts({ subresource: 'status' }));
  assert.equal((await storage.delete('default', 'done', {}, writeOpts())).deleted, true);

  await storage.create('default', pod('short', { nodeName: 'n', terminationGracePeriodSeconds: 10 }), writeOpts());
  const r = await storage.delete('default', 'short', {}, writeOpts());
  assert.equal(r.deleted, false);
  assert.equal(r.object.metadata.deletionGracePeriodSeconds, 10);
});

test('storage delete: dry run leaves the object', async () => {
  const { storage, store } = newStorage(cms);
  await storage.create('default', configMap('a'), writeOpts());
  const rev = store.revision();
  const r = await storage.delete('default', 'a', {}, writeOpts({ dryRun: true }));
  assert.equal(r.deleted, true);
  assert.equal(store.revision(), rev);
  assert.ok(await storage.getEntry('default', 'a'));
});

test('storage: emptied metadata collections are left out, as upstream omitempty does', async () => {
  const { storage, store } = newStorage(cms);
  const input = configMap('empty-meta', { k: 'v' });
  input.metadata = { ...input.metadata, labels: {}, annotations: {}, finalizers: [], ownerReferences: [] };
  await storage.create('default', input, writeOpts());
  await storage.update('default', 'empty-meta', (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [], labels: {} }, data: { k: '2' } }), writeOpts());
  const stored = (await store.get('/core/configmaps/default/empty-meta'))!.value;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences']) assert.equal(k in stored.metadata, false, k);
  assert.deepEqual((stored as { data?: unknown }).data, { k: '2' });
});
