import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, newApiServer } from '../../../helpers/apiserver-unit.js';
import { openMemoryStore } from '../../../../main/store/memory-store.js';
import { StoreError, type Store } from '../../../../main/store/store.js';
import type { KObject } from '../../../../main/api/meta/object.js';

const json = { 'content-type': 'application/json' };

/** A memory store where the first update of `key` loses a race: another writer gets in first. */
function storeLosingFirstRace(key: string): Store {
  const store = openMemoryStore();
  let raced = false;
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'update') return Reflect.get(target, prop, receiver);
      return async (k: string, value: KObject, expected?: number) => {
        if (k !== key || raced) return target.update(k, value, expected);
        raced = true;
        const current = (await target.get(k))!;
        const theirs = { ...(current.value as KObject), data: { k: 'theirs' } };
        const won = await target.update(k, theirs, current.modRevision);
        throw new StoreError('Conflict', 'the object has been modified', won);
      };
    },
  });
}

test('PUT without resourceVersion that loses a race is retried with the request body as sent', async () => {
  const store = storeLosingFirstRace('/core/configmaps/default/a');
  const server = newApiServer({ store });
  const created = await call(server, { method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: json,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }) });
  assert.equal(created.status, 201);
  const put = await call(server, { method: 'PUT', url: '/api/v1/namespaces/default/configmaps/a', headers: json,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'mine' }, unknownField: 1 }) });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(put.body.data, { k: 'mine' });
  // Two writes after the create: the other writer's, then ours.
  assert.equal(Number(put.body.metadata.resourceVersion), Number(created.body.metadata.resourceVersion) + 2);
  // The body is decoded again for the retry, but its warnings are reported once.
  assert.deepEqual(put.headers['warning'], ['299 - "unknown field \\"unknownField\\""']);
});
