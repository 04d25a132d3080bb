import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import {
  ApiStatusError, CONFIGMAPS, NAMESPACES, NODES, PODS, isAlreadyExists, isConflict, isNotFound,
  type KubeClient, type WatchEvent,
} from '../../../main/client/kube-client.js';
import { createLocalClient } from '../../../main/client/local-client.js';
import { eventually, pod, startClientFixture, type ClientFixture } from './client-fixture.js';

let fx: ClientFixture;
before(async () => { fx = await startClientFixture(); });
after(async () => { await fx.stop(); });

interface ConfigMap extends KObject { data?: Record<string, string> }
const cm = (name: string, data: Record<string, string> = {}): ConfigMap =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

for (const which of ['local', 'https'] as const) {
  describe(`${which} client`, () => {
    const c = (): KubeClient => fx[which];
    const ns = `ns-${which}`;

    test('creates a namespace, then CRUD on a configmap', async () => {
      await c().create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      const created = await c().create<ConfigMap>(CONFIGMAPS, ns, cm('a', { k: 'v' }));
      assert.equal(created.metadata.namespace, ns);
      assert.ok(created.metadata.uid);
      const got = await c().get<ConfigMap>(CONFIGMAPS, ns, 'a');
      assert.deepEqual(got.data, { k: 'v' });
      // field manager defaults to the User-Agent product token
      assert.equal(got.metadata.managedFields?.[0]?.manager, 'client-test');
      got.data = { k: 'v2' };
      const updated = await c().update<ConfigMap>(CONFIGMAPS, ns, got);
      assert.deepEqual(updated.data, { k: 'v2' });
      const merged = await c().patch<ConfigMap>(CONFIGMAPS, ns, 'a', 'merge', { data: { m: '1' } });
      assert.deepEqual(merged.data, { k: 'v2', m: '1' });
      const jp = await c().patch<ConfigMap>(CONFIGMAPS, ns, 'a', 'json', [{ op: 'remove', path: '/data/k' }]);
      assert.deepEqual(jp.data, { m: '1' });
      const sm = await c().patch<ConfigMap>(CONFIGMAPS, ns, 'a', 'strategic', { data: { s: '2' } });
      assert.deepEqual(sm.data, { m: '1', s: '2' });
      const ap = await c().patch<ConfigMap>(CONFIGMAPS, ns, 'b', 'apply', cm('b', { x: 'y' }), { fieldManager: 'tester', force: true });
      assert.deepEqual(ap.data, { x: 'y' });
      const list = await c().list<ConfigMap>(CONFIGMAPS, ns);
      assert.deepEqual(list.items.map((i) => i.metadata.name).sort(), ['a', 'b']);
      assert.match(list.resourceVersion, /^\d+$/);
      await c().delete(CONFIGMAPS, ns, 'a');
      await assert.rejects(c().get(CONFIGMAPS, ns, 'a'), (e) => isNotFound(e));
    });

    test('maps Status failures to ApiStatusError', async () => {
      await assert.rejects(c().delete(CONFIGMAPS, ns, 'nope'), (e: unknown) => {
        assert.ok(e instanceof ApiStatusError);
        assert.equal(e.code, 404);
        assert.equal(e.reason, 'NotFound');
        assert.equal(e.message, 'configmaps "nope" not found');
        assert.equal((e.status as { kind: string }).kind, 'Status');
        return true;
      });
      await c().create(CONFIGMAPS, ns, cm('dup'));
      await assert.rejects(c().create(CONFIGMAPS, ns, cm('dup')), (e) => isAlreadyExists(e));
      const stale = await c().get<ConfigMap>(CONFIGMAPS, ns, 'dup');
      await c().update(CONFIGMAPS, ns, { ...stale, data: { a: '1' } });
      await assert.rejects(c().update(CONFIGMAPS, ns, { ...stale, data: { a: '2' } }), (e) => isConflict(e));
      await assert.rejects(c().create(CONFIGMAPS, ns, cm('Bad_Name')), (e: unknown) => e instanceof ApiStatusError && e.code === 422 && e.reason === 'Invalid');
      await assert.rejects(c().delete(CONFIGMAPS, ns, 'dup', { preconditions: { uid: 'wrong' } }), (e) => isConflict(e));
    });

    test('paged list with limit/continue and label selectors', async () => {
      for (let i = 0; i < 5; i++) await c().create(CONFIGMAPS, ns, { ...cm(`p${i}`), metadata: { name: `p${i}`, labels: { page: 'yes', i: String(i) } } });
      const first = await c().list(CONFIGMAPS, ns, { labelSelector: 'page=yes', limit: 2 });
      assert.equal(first.items.length, 2);
      assert.ok(first.continue);
      const rest = await c().list(CONFIGMAPS, ns, { labelSelector: 'page=yes', continue: first.continue });
      assert.equal(rest.items.length, 3);
      const sel = await c().list(CONFIGMAPS, ns, { labelSelector: 'i in (1,3)' });
      assert.deepEqual(sel.items.map((x) => x.metadata.name).sort(), ['p1', 'p3']);
    });

    test('pods: binding subresource, status update, graceful delete options, field selector', async () => {
      const node = `node-${which}`;
      await c().create(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: node } });
      await c().create(PODS, ns, pod('web', { namespace: ns }));
      const r = await c().post(PODS, ns, 'web', 'binding', {
        apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      assert.equal((r as { status: string }).status, 'Success');
      const bound = await c().get<KObject & { spec: { nodeName?: string }; status?: Record<string, unknown> }>(PODS, ns, 'web');
      assert.equal(bound.spec.nodeName, node);
      const onNode = await c().list(PODS, '', { fieldSelector: `spec.nodeName=${node}` });
      assert.deepEqual(onNode.items.map((p) => p.metadata.name), ['web']);
      bound.status = { ...bound.status, phase: 'Running' };
      const st = await c().update<typeof bound>(PODS, ns, bound, { subresource: 'status' });
      assert.equal(st.status?.['phase'], 'Running');
      await c().delete(PODS, ns, 'web', { gracePeriodSeconds: 30 });
      const terminating = await c().get(PODS, ns, 'web');
      assert.ok(terminating.metadata.deletionTimestamp, 'bound pod gets a deletionTimestamp');
      assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
      await c().delete(PODS, ns, 'web', { gracePeriodSeconds: 0 });
      await assert.rejects(c().get(PODS, ns, 'web'), (e) => isNotFound(e));
    });

    test('watch streams events as they happen and stop() ends it cleanly', async () => {
      const start = await c().list(CONFIGMAPS, ns);
      const events: WatchEvent<ConfigMap>[] = [];
      const h = c().watch<ConfigMap>(CONFIGMAPS, ns, { resourceVersion: start.resourceVersion }, (e) => events.push(e));
      await c().create(CONFIGMAPS, ns, cm('w1'));
      await eventually(() => events.length === 1, 3000, 'ADDED');
      assert.equal(events[0]!.type, 'ADDED');
      assert.equal(events[0]!.object.metadata.name, 'w1');
      await c().patch(CONFIGMAPS, ns, 'w1', 'merge', { data: { a: 'b' } });
      await eventually(() => events.length === 2, 3000, 'MODIFIED');
      await c().delete(CONFIGMAPS, ns, 'w1');
      await eventually(() => events.length === 3, 3000, 'DELETED');
      assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
      h.stop();
      assert.equal(await h.done, undefined);
      await c().create(CONFIGMAPS, ns, cm('w2'));
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(events.length, 3, 'no events after stop');
    });

    test('watch from a compacted or bad resourceVersion ends with an error', async () => {
      const h = c().watch(CONFIGMAPS, ns, { resourceVersion: 'abc' }, () => {});
      const err = await h.done;
      assert.ok(err instanceof ApiStatusError);
      assert.equal(err.code, 400);
    });

    test('watch with timeoutSeconds ends normally', async () => {
      const h = c().watch(CONFIGMAPS, ns, { timeoutSeconds: 1 }, () => {});
      assert.equal(await h.done, undefined);
    });
  });
}

test('local client enforces authorization for its user', async () => {
  const anon = createLocalClient(fx.cp.server, { username: 'nobody', groups: ['system:authenticated'] });
  await assert.rejects(anon.list(PODS, 'default'), (e: unknown) => e instanceof ApiStatusError && e.code === 403 && e.reason === 'Forbidden');
});

test('https client reports connection failures as code 0', async () => {
  const { createHttpsClient } = await import('../../../main/client/https-client.js');
  const bad = createHttpsClient({ server: 'https://127.0.0.1:1', ca: 'x' });
  await assert.rejects(bad.get(PODS, 'default', 'x'), (e: unknown) => e instanceof ApiStatusError && e.code === 0);
  bad.close();
});

test('https client: 40 open watches do not starve ordinary requests', async () => {
  const handles = Array.from({ length: 40 }, () => fx.https.watch(CONFIGMAPS, 'default', {}, () => {}));
  const got = await fx.https.get(NAMESPACES, '', 'default');
  assert.equal(got.metadata.name, 'default');
  for (const h of handles) h.stop();
  assert.deepEqual(await Promise.all(handles.map((h) => h.done)), handles.map(() => undefined));
});
