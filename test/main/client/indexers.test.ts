/** The standard indexes, on an informer store. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { InformerStore } from '../../../main/client/informer.js';
import {
  CONTROLLER_UID_INDEX, NAMESPACE_INDEX, NODE_NAME_INDEX, OWNER_UID_INDEX, byControllerUid, byNamespace, byNodeName, byOwnerUid,
} from '../../../main/client/indexers.js';

const obj = (ns: string, name: string, extra: Partial<KObject['metadata']> = {}, nodeName?: string): KObject =>
  ({ metadata: { namespace: ns, name, ...extra }, ...(nodeName ? { spec: { nodeName } } : {}) }) as KObject;
const ref = (uid: string, controller?: boolean) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, ...(controller ? { controller } : {}) });

test('namespace, owner, controller and node indexes', () => {
  const store = new InformerStore<KObject>();
  store.addIndexer(NAMESPACE_INDEX, byNamespace);
  store.addIndexer(OWNER_UID_INDEX, byOwnerUid);
  store.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
  store.addIndexer(NODE_NAME_INDEX, byNodeName);
  store.set('a/p1', obj('a', 'p1', { ownerReferences: [ref('rs-1', true), ref('x')] }, 'n1'));
  store.set('a/p2', obj('a', 'p2', { ownerReferences: [ref('rs-1')] }));
  store.set('b/p3', obj('b', 'p3', {}, 'n1'));
  const names = (l: KObject[]) => l.map((o) => o.metadata.name).sort();
  assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, 'a')), ['p1', 'p2']);
  assert.deepEqual(names(store.byIndex(OWNER_UID_INDEX, 'rs-1')), ['p1', 'p2']);
  assert.deepEqual(names(store.byIndex(OWNER_UID_INDEX, 'x')), ['p1']);
  assert.deepEqual(names(store.byIndex(CONTROLLER_UID_INDEX, 'rs-1')), ['p1']);
  assert.deepEqual(names(store.byIndex(NODE_NAME_INDEX, 'n1')), ['p1', 'p3']);
  store.delete('a/p1');
  assert.deepEqual(names(store.byIndex(CONTROLLER_UID_INDEX, 'rs-1')), []);
});
