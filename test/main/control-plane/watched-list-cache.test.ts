import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { WatchedListCache } from '../../../main/control-plane/watched-list-cache.js';
import { openMemoryStore } from '../../../main/store/memory-store.js';

const pc = (name: string, value: number): KObject =>
  ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value } as KObject);
const names = (items: KObject[]) => items.map((o) => o.metadata.name);
const P = '/scheduling.k8s.io/priorityclasses/';

test('WatchedListCache: serves the store list, sees every completed write at once, returns fresh arrays', async () => {
  const store = openMemoryStore();
  const cache = new WatchedListCache(store);
  await store.create(`${P}b`, pc('b', 2));
  assert.deepEqual(names(await cache.list(P)), ['b']);
  const first = await cache.list(P);
  first.push(pc('x', 0));
  assert.deepEqual(names(await cache.list(P)), ['b'], 'callers get their own array');
  await store.create(`${P}a`, pc('a', 1));
  assert.deepEqual(names(await cache.list(P)), ['a', 'b'], 'a completed create is visible to the next list');
  const stored = (await store.get(`${P}a`))!;
  await store.update(`${P}a`, pc('a', 7), stored.modRevision);
  assert.deepEqual((await cache.list(P)).map((o) => (o as KObject & { value: number }).value), [7, 2]);
  await store.delete(`${P}b`);
  assert.deepEqual(names(await cache.list(P)), ['a']);
  await store.create('/scheduling.k8s.io/other/z', pc('z', 0));
  assert.deepEqual(names(await cache.list(P)), ['a'], 'other prefixes are not mixed in');
  assert.deepEqual(names(await cache.list(P)), names((await store.list(P)).items.map((e) => e.value)));
  cache.close();
  await store.create(`${P}c`, pc('c', 3));
  assert.deepEqual(names(await cache.list(P)), ['a', 'c'], 'after close every call lists the store');
  await store.close();
});

test('WatchedListCache: concurrent lists and writes never keep a stale list', async () => {
  const store = openMemoryStore();
  const cache = new WatchedListCache(store);
  const pending = cache.list(P);
  await store.create(`${P}a`, pc('a', 1));
  await pending;
  assert.deepEqual(names(await cache.list(P)), ['a']);
  cache.close();
  await store.close();
});
