import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { Informer, SharedInformerFactory, stripManagedFields } from '../../../main/client/informer.js';
import { CONFIGMAPS, NAMESPACES, PODS, type KubeClient, type WatchHandle } from '../../../main/client/kube-client.js';
import { eventually, startClientFixture, type ClientFixture } from './client-fixture.js';

let fx: ClientFixture;
// A small watch history, so a test can force 410 Expired.
before(async () => { fx = await startClientFixture({ history: { minEvents: 5, windowMs: 0, maxEvents: 5 } }); });
after(async () => { await fx.stop(); });

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

let nsCounter = 0;
async function freshNamespace(): Promise<string> {
  const ns = `inf-${++nsCounter}`;
  await fx.local.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return ns;
}

function recorder() {
  const log: string[] = [];
  return {
    log,
    handler: {
      onAdd: (o: KObject) => log.push(`add ${o.metadata.name}`),
      onUpdate: (a: KObject, b: KObject) => log.push(`update ${a.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
      onDelete: (o: KObject) => log.push(`delete ${o.metadata.name}`),
    },
  };
}

/** Wraps a client so a test can end the informer's watch and hold the next one back. */
function controllableClient(inner: KubeClient) {
  let current: WatchHandle | undefined;
  let gate: Promise<void> | undefined;
  let openGate: (() => void) | undefined;
  let watches = 0;
  const client: KubeClient = Object.create(inner) as KubeClient;
  client.watch = (r, ns, opts, onEvent) => {
    let stopped = false;
    let handle: WatchHandle | undefined;
    const done = (async () => {
      if (gate) await gate;
      if (stopped) return undefined;
      watches++;
      handle = inner.watch(r, ns, opts, onEvent);
      current = handle;
      return handle.done;
    })();
    return { stop: () => { stopped = true; handle?.stop(); }, done };
  };
  return {
    client,
    watches: () => watches,
    /** Ends the current watch normally; with hold, the next watch waits for release(). */
    breakWatch(hold = false) {
      if (hold) gate = new Promise((r) => { openGate = r; });
      current?.stop();
    },
    release() { gate = undefined; openGate?.(); },
  };
}

test('lists in pages, syncs, then delivers watch events in order', async () => {
  const ns = await freshNamespace();
  for (let i = 0; i < 7; i++) await fx.local.create(CONFIGMAPS, ns, cm(`c${i}`));
  const inf = new Informer<KObject>(fx.local, CONFIGMAPS, { namespace: ns, pageSize: 3 });
  const r = recorder();
  inf.addHandler(r.handler);
  assert.equal(inf.hasSynced(), false);
  await inf.start();
  assert.equal(inf.hasSynced(), true);
  assert.equal(inf.store.size, 7);
  assert.equal(r.log.length, 7, 'every listed object was announced before start() resolved');
  assert.ok(inf.store.get(`${ns}/c3`));
  assert.equal(inf.store.getByName(ns, 'c4')?.metadata.name, 'c4');

  r.log.length = 0;
  await fx.local.create(CONFIGMAPS, ns, cm('n1'));
  const up = await fx.local.patch(CONFIGMAPS, ns, 'n1', 'merge', { data: { a: 'b' } });
  await fx.local.delete(CONFIGMAPS, ns, 'c0');
  await eventually(() => r.log.length === 3, 3000, 'three events');
  assert.equal(r.log[0], 'add n1');
  assert.match(r.log[1]!, new RegExp(`^update n1 \\d+->${up.metadata.resourceVersion}$`));
  assert.equal(r.log[2], 'delete c0');
  assert.equal(inf.store.get(`${ns}/c0`), undefined);
  assert.equal(inf.lastSyncResourceVersion(), (await fx.local.list(CONFIGMAPS, ns)).resourceVersion);
  inf.stop();
});

test('indexes: built-in namespace index and custom indexers follow updates', async () => {
  const ns = await freshNamespace();
  await fx.local.create(CONFIGMAPS, ns, cm('a', { app: 'web' }));
  await fx.local.create(CONFIGMAPS, ns, cm('b', { app: 'db' }));
  const inf = new Informer<KObject>(fx.local, CONFIGMAPS);
  inf.addIndexer('app', (o) => (o.metadata.labels?.['app'] ? [o.metadata.labels['app']] : []));
  await inf.start();
  assert.deepEqual(inf.store.byIndex('namespace', ns).map((o) => o.metadata.name).sort(), ['a', 'b']);
  assert.deepEqual(inf.store.byIndex('app', 'web').map((o) => o.metadata.name), ['a']);
  await fx.local.patch(CONFIGMAPS, ns, 'b', 'merge', { metadata: { labels: { app: 'web' } } });
  await eventually(() => inf.store.byIndex('app', 'web').length === 2, 3000, 'reindex');
  assert.deepEqual(inf.store.byIndex('app', 'db'), []);
  inf.addIndexer('late', (o) => [o.metadata.name!.toUpperCase()]);
  assert.equal(inf.store.byIndex('late', 'A').length, 1, 'a late indexer indexes existing objects');
  await fx.local.delete(CONFIGMAPS, ns, 'a');
  await eventually(() => inf.store.byIndex('app', 'web').length === 1, 3000, 'unindex on delete');
  assert.throws(() => inf.store.byIndex('nope', 'x'), /no indexer/);
  inf.stop();
});

test('late handlers get synthetic adds; delivery is serialized and never re-entrant', async () => {
  const ns = await freshNamespace();
  await fx.local.create(CONFIGMAPS, ns, cm('x'));
  await fx.local.create(CONFIGMAPS, ns, cm('y'));
  const inf = new Informer<KObject>(fx.local, CONFIGMAPS, { namespace: ns });
  await inf.start();
  const seq: string[] = [];
  let depth = 0;
  let added = false;
  const dispose = inf.addHandler({
    onAdd: (o) => {
      depth++;
      assert.equal(depth, 1, 're-entrant call');
      seq.push(`first:${o.metadata.name}`);
      if (!added) {
        added = true;
        // Subscribing from inside a handler only enqueues; the new handler runs after this call returns.
        inf.addHandler({ onAdd: (p) => { assert.equal(depth, 0); seq.push(`second:${p.metadata.name}`); } });
        seq.push('first:returned');
      }
      depth--;
    },
  });
  assert.deepEqual(seq, ['first:x', 'first:returned', 'first:y', 'second:x', 'second:y']);
  dispose();
  await fx.local.create(CONFIGMAPS, ns, cm('z'));
  await eventually(() => seq.length === 6, 3000, 'second handler sees z');
  assert.equal(seq[5], 'second:z', 'the disposed handler saw nothing');
  inf.stop();
});

test('a normally ended watch resumes from the last resourceVersion without relisting', async () => {
  const ns = await freshNamespace();
  const ctl = controllableClient(fx.local);
  const inf = new Informer<KObject>(ctl.client, CONFIGMAPS, { namespace: ns });
  const r = recorder();
  inf.addHandler(r.handler);
  await inf.start();
  await eventually(() => ctl.watches() === 1, 3000, 'first watch');
  ctl.breakWatch();
  await eventually(() => ctl.watches() === 2, 3000, 'second watch');
  await fx.local.create(CONFIGMAPS, ns, cm('after'));
  await eventually(() => r.log.includes('add after'), 3000, 'event after re-watch');
  assert.equal(inf.listCount, 1);
  inf.stop();
});

test('relists on 410 Expired and reconciles the cache (adds, updates, deletes)', async () => {
  const ns = await freshNamespace();
  await fx.local.create(CONFIGMAPS, ns, cm('keep'));
  await fx.local.create(CONFIGMAPS, ns, cm('gone'));
  await fx.local.create(CONFIGMAPS, ns, cm('changed'));
  const ctl = controllableClient(fx.local);
  const logs: string[] = [];
  const inf = new Informer<KObject>(ctl.client, CONFIGMAPS, { namespace: ns, log: (m) => logs.push(m) });
  const r = recorder();
  inf.addHandler(r.handler);
  await inf.start();
  await eventually(() => ctl.watches() === 1, 3000, 'first watch');
  r.log.length = 0;
  ctl.breakWatch(true);
  // While no watch is open: change the world and push more than the 5 retained events through the store.
  await fx.local.delete(CONFIGMAPS, ns, 'gone');
  await fx.local.patch(CONFIGMAPS, ns, 'changed', 'merge', { data: { v: '2' } });
  await fx.local.create(CONFIGMAPS, ns, cm('new'));
  for (let i = 0; i < 8; i++) await fx.local.create(CONFIGMAPS, 'default', cm(`filler-${nsCounter}-${i}`));
  ctl.release();
  await eventually(() => inf.listCount === 2, 3000, 'relist');
  assert.deepEqual(r.log.map((l) => l.replace(/ \d+->\d+$/, '')).sort(), ['add new', 'delete gone', 'update changed']);
  assert.deepEqual(logs, [], 'the 410 led straight to a relist, not through the failure path');
  assert.deepEqual(inf.store.list().map((o) => o.metadata.name).sort(), ['changed', 'keep', 'new']);
  await fx.local.create(CONFIGMAPS, ns, cm('later'));
  await eventually(() => r.log.includes('add later'), 3000, 'watch resumes after relist');
  inf.stop();
});

test('SharedInformerFactory shares one informer per resource and selector', async () => {
  const f = new SharedInformerFactory(fx.local);
  const a = f.informerFor(PODS);
  const b = f.informerFor(PODS);
  const c = f.informerFor(PODS, { namespace: 'default' });
  const d = f.informerFor(PODS, { labelSelector: 'app=x' });
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.notEqual(a, d);
  f.start();
  await f.waitForSync();
  assert.ok(a.hasSynced() && c.hasSynced() && d.hasSynced());
  const late = f.informerFor(CONFIGMAPS);
  await f.waitForSync();
  assert.ok(late.hasSynced(), 'informers created after start() are started');
  f.stop();
});

test('a transform shapes every cached object (stripManagedFields drops managedFields from list and watch)', async () => {
  const ns = await freshNamespace();
  await fx.local.create(CONFIGMAPS, ns, cm('listed'), { fieldManager: 'test' });
  const inf = new Informer<KObject>(fx.local, CONFIGMAPS, { namespace: ns, transform: stripManagedFields });
  await inf.start();
  await fx.local.create(CONFIGMAPS, ns, cm('watched'), { fieldManager: 'test' });
  await eventually(() => inf.store.get(`${ns}/watched`) !== undefined);
  for (const name of ['listed', 'watched']) {
    const cached = inf.store.get(`${ns}/${name}`)!;
    assert.equal(cached.metadata.managedFields, undefined, name);
    assert.equal(cached.metadata.name, name);
  }
  // The server still has them.
  assert.ok((await fx.local.get(CONFIGMAPS, ns, 'watched')).metadata.managedFields?.length);
  inf.stop();
});
