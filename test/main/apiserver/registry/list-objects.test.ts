import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { encodeContinue, listObjects } from '../../../../main/apiserver/registry/list-objects.js';
import { buildFilter } from '../../../../main/apiserver/registry/object-filter.js';
import { configMap, descriptor, newStorage, writeOpts } from '../../../helpers/apiserver-unit.js';

const cms = descriptor('', 'v1', 'configmaps');
const everything = buildFilter(cms, null, null);
const names = (page: { entries: { value: { metadata: { name?: string } } }[] }) => page.entries.map((e) => e.value.metadata.name);

async function seeded() {
  const fx = newStorage(cms);
  for (const n of ['a', 'b', 'c', 'd', 'e']) await fx.storage.create('default', configMap(n, {}, { tier: n < 'c' ? 'front' : 'back' }), writeOpts());
  await fx.storage.create('other', configMap('z'), writeOpts());
  return fx;
}

test('list: all objects in a namespace, or across namespaces, sorted by key, at the store revision', async () => {
  const { storage, store } = await seeded();
  const ns = await listObjects(storage, { namespace: 'default', filter: everything });
  assert.deepEqual(names(ns), ['a', 'b', 'c', 'd', 'e']);
  assert.equal(ns.resourceVersion, String(store.revision()));
  assert.equal(ns.continue, undefined);
  assert.equal(ns.remainingItemCount, undefined);
  const all = await listObjects(storage, { namespace: '', filter: everything });
  assert.deepEqual(names(all), ['a', 'b', 'c', 'd', 'e', 'z']);
});

test('list: limit/continue pages with remainingItemCount and the first page\'s resourceVersion', async () => {
  const { storage } = await seeded();
  const p1 = await listObjects(storage, { namespace: 'default', filter: everything, limit: 2 });
  assert.deepEqual(names(p1), ['a', 'b']);
  assert.equal(p1.remainingItemCount, 3);
  assert.ok(p1.continue);
  // A write between pages does not change the resourceVersion the later pages report.
  await storage.create('default', configMap('f'), writeOpts());
  const p2 = await listObjects(storage, { namespace: 'default', filter: everything, limit: 2, continueToken: p1.continue });
  assert.deepEqual(names(p2), ['c', 'd']);
  assert.equal(p2.resourceVersion, p1.resourceVersion);
  assert.equal(p2.remainingItemCount, 2);
  const p3 = await listObjects(storage, { namespace: 'default', filter: everything, limit: 2, continueToken: p2.continue });
  assert.deepEqual(names(p3), ['e', 'f']);
  assert.equal(p3.continue, undefined);
  assert.equal(p3.remainingItemCount, undefined);
  // limit 0 = no limit.
  assert.equal((await listObjects(storage, { namespace: 'default', filter: everything, limit: 0 })).entries.length, 6);
});

test('list: filtered paging fills pages with matches only and never reports remainingItemCount', async () => {
  const { storage } = await seeded();
  const back = buildFilter(cms, 'tier=back', null);
  const p1 = await listObjects(storage, { namespace: 'default', filter: back, limit: 2 });
  assert.deepEqual(names(p1), ['c', 'd']);
  assert.ok(p1.continue);
  assert.equal(p1.remainingItemCount, undefined);
  const p2 = await listObjects(storage, { namespace: 'default', filter: back, limit: 2, continueToken: p1.continue });
  assert.deepEqual(names(p2), ['e']);
  assert.equal(p2.continue, undefined);
  assert.equal(p2.resourceVersion, p1.resourceVersion);
  const none = await listObjects(storage, { namespace: 'default', filter: buildFilter(cms, 'tier=none', null), limit: 1 });
  assert.deepEqual(none.entries, []);
  assert.equal(none.continue, undefined);
});

test('list: malformed or foreign continue tokens are 400 BadRequest', async () => {
  const { storage } = await seeded();
  const bad = (message: string) => (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && e.message === message;
  const tokens = ['garbage', Buffer.from('{"v":"meta.k8s.io/v2","rv":1,"start":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url')];
  for (const t of tokens)
    await assert.rejects(listObjects(storage, { namespace: 'default', filter: everything, continueToken: t }),
      bad('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'), t);
  // A token from another resource or namespace.
  await assert.rejects(listObjects(storage, { namespace: 'default', filter: everything, continueToken: encodeContinue(1, '/core/secrets/default/a') }),
    bad('continue key is not valid: the continue token does not belong to this list'));
  await assert.rejects(listObjects(storage, { namespace: 'default', filter: everything, continueToken: encodeContinue(1, '/core/configmaps/other/z') }),
    bad('continue key is not valid: the continue token does not belong to this list'));
});
