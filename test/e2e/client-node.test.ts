/**
 * The official JavaScript client, @kubernetes/client-node (1.x, the line that supports Node 20), against `pilothouse serve`: typed API calls
 * (list, create, read, merge patch, delete), API errors, the generic object API, Watch and the informer
 * (list + watch from a resourceVersion).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

let server: ServeProcess;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
const NS = 'client-node';

before(async () => {
  server = await startServe();
  kc = new k8s.KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
});

/** Collects events until `until` returns true for the collected list (or times out). */
function eventsUntil<T>(events: T[], until: (e: T[]) => boolean, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (until(events)) return resolve();
      if (Date.now() - started > ms) return reject(new Error(`timed out; got ${JSON.stringify(events)}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

test('KubeConfig.loadFromFile points at the server; list namespaces', async () => {
  assert.equal(kc.getCurrentCluster()?.server, server.url);
  const list = await core.listNamespace();
  const names = list.items.map((n) => n.metadata?.name);
  for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease', NS]) assert.ok(names.includes(n), n);
  assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
  const ns = await core.readNamespace({ name: NS });
  assert.equal(ns.status?.phase, 'Active');
  assert.equal(ns.metadata?.labels?.['kubernetes.io/metadata.name'], NS);
  const version = await kc.makeApiClient(k8s.VersionApi).getCode();
  assert.equal(version.major, '1');
  assert.equal(version.minor, '32');
});

test('create, read and merge-patch a ConfigMap; API errors are ApiExceptions with a Status body', async () => {
  const created = await core.createNamespacedConfigMap({
    namespace: NS,
    body: { metadata: { name: 'settings', labels: { app: 'demo' } }, data: { color: 'blue' } },
  });
  assert.equal(created.metadata?.name, 'settings');
  assert.equal(created.metadata?.namespace, NS);
  assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
  assert.ok(created.metadata?.creationTimestamp instanceof Date);

  const read = await core.readNamespacedConfigMap({ name: 'settings', namespace: NS });
  assert.deepEqual(read.data, { color: 'blue' });
  assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);

  const patched = await core.patchNamespacedConfigMap(
    { name: 'settings', namespace: NS, body: { data: { size: 'L' }, metadata: { labels: { tier: 'web' } } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
  assert.deepEqual(patched.data, { color: 'blue', size: 'L' });
  assert.deepEqual(patched.metadata?.labels, { app: 'demo', tier: 'web' });
  assert.ok(Number(patched.metadata?.resourceVersion) > Number(created.metadata?.resourceVersion));

  const jsonPatched = await core.patchNamespacedConfigMap(
    { name: 'settings', namespace: NS, body: [{ op: 'remove', path: '/data/color' }] },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
  );
  assert.deepEqual(jsonPatched.data, { size: 'L' });

  const byLabel = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'app=demo,tier in (web)' });
  assert.deepEqual(byLabel.items.map((c) => c.metadata?.name), ['settings']);

  await assert.rejects(core.readNamespacedConfigMap({ name: 'missing', namespace: NS }), (err: unknown) => {
    assert.ok(err instanceof k8s.ApiException);
    assert.equal(err.code, 404);
    const body = JSON.parse(err.body as string) as Record<string, unknown>;
    assert.deepEqual(body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "missing" not found',
      reason: 'NotFound', details: { name: 'missing', kind: 'configmaps' }, code: 404,
    });
    return true;
  });
  await assert.rejects(
    core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'settings' } } }),
    (err: unknown) => err instanceof k8s.ApiException && err.code === 409 && /configmaps \\?"settings\\?" already exists/.test(String(err.body)),
  );
  await assert.rejects(
    core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'Bad_Name' } } }),
    (err: unknown) => err instanceof k8s.ApiException && err.code === 422 && /"reason":"Invalid"/.test(String(err.body)),
  );
});

test('generic KubernetesObjectApi: create, read and patch a Deployment (discovery-driven)', async () => {
  const client = k8s.KubernetesObjectApi.makeApiClient(kc);
  const spec = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  const created = await client.create(spec);
  assert.equal(created.metadata?.name, 'web');
  const read = (await client.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS } })) as k8s.V1Deployment;
  assert.equal(read.spec?.replicas, 2);
  assert.equal(read.spec?.strategy?.type, 'RollingUpdate');
  assert.equal(read.metadata?.generation, 1);
  const patched = (await client.patch(
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: 4 } },
    undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch,
  )) as k8s.V1Deployment;
  assert.equal(patched.spec?.replicas, 4);
  assert.equal(patched.metadata?.generation, 2);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: NS });
  assert.equal(scale.spec?.replicas, 4);
});

test('Watch sees ADDED, MODIFIED and DELETED for changes made during the watch', async () => {
  const start = await core.listNamespacedConfigMap({ namespace: NS });
  const events: { type: string; name: string; data?: Record<string, string> }[] = [];
  let doneErr: unknown = 'not done';
  const watch = new k8s.Watch(kc);
  const controller = await watch.watch(
    `/api/v1/namespaces/${NS}/configmaps`,
    { resourceVersion: start.metadata?.resourceVersion, allowWatchBookmarks: true },
    (type, obj: k8s.V1ConfigMap) => {
      if (type !== 'BOOKMARK') events.push({ type, name: obj.metadata?.name ?? '', data: obj.data });
    },
    (err) => (doneErr = err),
  );
  try {
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'watched' }, data: { v: '1' } } });
    await core.patchNamespacedConfigMap(
      { name: 'watched', namespace: NS, body: { data: { v: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: NS });
    await eventsUntil(events, (e) => e.some((x) => x.type === 'DELETED'));
    assert.deepEqual(events.filter((e) => e.name === 'watched'), [
      { type: 'ADDED', name: 'watched', data: { v: '1' } },
      { type: 'MODIFIED', name: 'watched', data: { v: '2' } },
      { type: 'DELETED', name: 'watched', data: { v: '2' } },
    ]);
    assert.equal(doneErr, 'not done', 'the watch stays open');
  } finally {
    controller.abort();
  }
});

test('Watch from an older resourceVersion replays the changes made since', async () => {
  const before = await core.listNamespacedConfigMap({ namespace: NS });
  const rv = before.metadata!.resourceVersion!;
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'replay-1' } } });
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'replay-2' } } });
  const events: string[] = [];
  const controller = await new k8s.Watch(kc).watch(
    `/api/v1/namespaces/${NS}/configmaps`,
    { resourceVersion: rv },
    (type, obj: k8s.V1ConfigMap) => events.push(`${type} ${obj.metadata?.name}`),
    () => undefined,
  );
  try {
    await eventsUntil(events, (e) => e.length >= 2);
    assert.deepEqual(events, ['ADDED replay-1', 'ADDED replay-2']);
  } finally {
    controller.abort();
  }
});

test('informer: list + watch from the list resourceVersion keeps a cache and emits add/update/delete', async () => {
  const path = `/api/v1/namespaces/${NS}/configmaps`;
  const informer = k8s.makeInformer<k8s.V1ConfigMap>(
    kc,
    path,
    // The informer passes the label selector to its watches; the list function applies it itself.
    () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'informed=yes' }),
    'informed=yes',
  );
  const seen: string[] = [];
  informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v ?? ''}`));
  informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  const errors: unknown[] = [];
  informer.on('error', (e) => errors.push(e));

  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'pre', labels: { informed: 'yes' } }, data: { v: '0' } } });
  await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'ignored', labels: { informed: 'no' } } } });
  await informer.start();
  try {
    // The initial list populates the cache (only objects matching the label selector).
    await eventsUntil(seen, (s) => s.includes('add pre'));
    assert.deepEqual(informer.list(NS).map((o) => o.metadata?.name), ['pre']);

    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'live', labels: { informed: 'yes' } }, data: { v: '1' } } });
    await core.patchNamespacedConfigMap(
      { name: 'live', namespace: NS, body: { data: { v: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'pre', namespace: NS });
    await eventsUntil(seen, (s) => s.includes('delete pre'));
    assert.deepEqual(seen, ['add pre', 'add live', 'update live 2', 'delete pre']);
    assert.deepEqual(informer.list(NS).map((o) => o.metadata?.name), ['live']);
    assert.equal(informer.get('live', NS)?.data?.v, '2');
    assert.deepEqual(errors, []);
  } finally {
    await informer.stop();
  }
});
