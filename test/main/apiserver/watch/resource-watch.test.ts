import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../../main/api/meta/object.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { buildFilter } from '../../../../main/apiserver/registry/object-filter.js';
import { openResourceWatch, type ResourceWatch, type ResourceWatchEvent } from '../../../../main/apiserver/watch/resource-watch.js';
import { configMap, descriptor, newStorage, writeOpts } from '../../../helpers/apiserver-unit.js';

const cms = descriptor('', 'v1', 'configmaps');
const settle = () => new Promise((r) => setTimeout(r, 5));
const summary = (events: ResourceWatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`);

async function watch(fx: ReturnType<typeof newStorage>, opts: { rv?: string | null; labels?: string; ns?: string; bookmarkMs?: number } = {}) {
  const events: ResourceWatchEvent[] = [];
  const w: ResourceWatch = await openResourceWatch(fx.storage, {
    namespace: opts.ns ?? 'default', filter: buildFilter(cms, opts.labels ?? null, null),
    resourceVersion: opts.rv === undefined ? null : opts.rv, bookmarkIntervalMs: opts.bookmarkMs ?? 0,
  }, (e) => events.push(e));
  return { events, w };
}

test('watch: resourceVersion unset or "0" starts with synthetic ADDED events for the current state', async () => {
  for (const rv of [null, '', '0']) {
    const fx = newStorage(cms);
    await fx.storage.create('default', configMap('a'), writeOpts());
    await fx.storage.create('default', configMap('b'), writeOpts());
    await fx.storage.create('other', configMap('c'), writeOpts());
    const { events, w } = await watch(fx, { rv });
    assert.deepEqual(summary(events), ['ADDED a', 'ADDED b'], String(rv));
    await fx.storage.create('default', configMap('d'), writeOpts());
    await settle();
    assert.deepEqual(summary(events), ['ADDED a', 'ADDED b', 'ADDED d'], String(rv));
    w.stop();
  }
});

test('watch: from a resourceVersion, every change after it (ADDED, MODIFIED, DELETED) and nothing before', async () => {
  const fx = newStorage(cms);
  await fx.storage.create('default', configMap('old'), writeOpts());
  const a = await fx.storage.create('default', configMap('a'), writeOpts());
  await fx.storage.update('default', 'a', (cur) => ({ ...cur, data: { k: 'v' } }), writeOpts());
  await fx.storage.delete('default', 'old', {}, writeOpts());
  const { events, w } = await watch(fx, { rv: a.metadata.resourceVersion });
  await settle();
  assert.deepEqual(summary(events), ['MODIFIED a', 'DELETED old']);
  await fx.storage.create('default', configMap('b'), writeOpts());
  await settle();
  assert.deepEqual(summary(events), ['MODIFIED a', 'DELETED old', 'ADDED b']);
  // Each event's object carries its own resourceVersion, in order.
  const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
  assert.deepEqual([...rvs].sort((x, y) => x - y), rvs);
  w.stop();
  await fx.storage.create('default', configMap('after-stop'), writeOpts());
  await settle();
  assert.equal(events.length, 3);
});

test('watch: label selector transitions become ADDED / DELETED', async () => {
  const fx = newStorage(cms);
  await fx.storage.create('default', configMap('x', {}, { app: 'web' }), writeOpts());
  await fx.storage.create('default', configMap('y', {}, { app: 'db' }), writeOpts());
  const { events, w } = await watch(fx, { labels: 'app=web' });
  assert.deepEqual(summary(events), ['ADDED x']);
  const relabel = (name: string, app: string) =>
    fx.storage.update('default', name, (cur: KObject) => ({ ...cur, metadata: { ...cur.metadata, labels: { app } } }), writeOpts());
  await relabel('y', 'web'); // starts matching
  await relabel('x', 'db'); // stops matching
  await fx.storage.update('default', 'y', (cur) => ({ ...cur, data: { k: '1' } }), writeOpts()); // still matching
  await fx.storage.update('default', 'x', (cur) => ({ ...cur, data: { k: '1' } }), writeOpts()); // never matching
  await fx.storage.delete('default', 'y', {}, writeOpts());
  await fx.storage.delete('default', 'x', {}, writeOpts());
  await settle();
  assert.deepEqual(summary(events), ['ADDED x', 'ADDED y', 'DELETED x', 'MODIFIED y', 'DELETED y']);
  // The DELETED for a selector transition carries the previous (matching) content at the event's
  // resourceVersion, as upstream's cacheWatcher sends it.
  const stopped = events[2]!;
  assert.deepEqual(stopped.object.metadata.labels, { app: 'web' });
  assert.equal(stopped.entry, undefined);
  assert.equal(Number(stopped.object.metadata.resourceVersion), Number(events[1]!.object.metadata.resourceVersion) + 1);
  w.stop();
});

test('watch: a compacted resourceVersion is 410 Expired "too old resource version"', async () => {
  const fx = newStorage(cms, { history: { minEvents: 0, maxEvents: 2, windowMs: 0 } });
  for (const n of ['a', 'b', 'c', 'd', 'e']) await fx.storage.create('default', configMap(n), writeOpts());
  const compact = fx.store.compactRevision();
  assert.ok(compact > 1);
  await assert.rejects(watch(fx, { rv: '1' }), (e: unknown) =>
    e instanceof ApiError && e.code === 410 && e.reason === 'Expired' && e.message === `too old resource version: 1 (${compact})`);
  // A still-retained revision works.
  const ok = await watch(fx, { rv: String(compact) });
  ok.w.stop();
});

test('watch: a non-numeric resourceVersion is 400', async () => {
  const fx = newStorage(cms);
  await assert.rejects(watch(fx, { rv: 'abc' }), (e: unknown) =>
    e instanceof ApiError && e.code === 400 && e.message === 'invalid resource version: "abc"');
});

test('watch: bookmarks carry only kind, apiVersion and the latest resourceVersion', async () => {
  const fx = newStorage(cms);
  await fx.storage.create('default', configMap('a'), writeOpts());
  const { events, w } = await watch(fx, { bookmarkMs: 10 });
  const c = await fx.storage.create('default', configMap('b'), writeOpts());
  await new Promise((r) => setTimeout(r, 40));
  w.stop();
  const bookmarks = events.filter((e) => e.type === 'BOOKMARK');
  assert.ok(bookmarks.length >= 1);
  assert.deepEqual(bookmarks.at(-1)!.object, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: c.metadata.resourceVersion } });
  const n = events.length;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(events.length, n, 'no bookmarks after stop');
});

test('watch: no bookmarks unless asked for', async () => {
  const fx = newStorage(cms);
  const { events, w } = await watch(fx, { bookmarkMs: 0 });
  await new Promise((r) => setTimeout(r, 20));
  w.stop();
  assert.deepEqual(events, []);
});
