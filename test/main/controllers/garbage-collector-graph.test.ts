/**
 * The garbage collector's dependency graph on its own: virtual owners, what each change queues, virtual deletes
 * with disagreeing coordinates, and the reference helpers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject, OwnerReference } from '../../../main/api/meta/object.js';
import { WorkQueue } from '../../../main/client/work-queue.js';
import { AbsentOwnerCache, GraphBuilder } from '../../../main/controllers/garbage-collector/graph-builder.js';
import {
  deletionStartsWithFinalizer, partitionDependents, referencesDiffs, type GraphNode, type ObjectIdentity,
} from '../../../main/controllers/garbage-collector/graph-node.js';

function setup() {
  const attemptToDelete = new WorkQueue<GraphNode>();
  const attemptToOrphan = new WorkQueue<GraphNode>();
  const absentOwners = new AbsentOwnerCache();
  const invalid: string[] = [];
  const graph = new GraphBuilder({
    attemptToDelete, attemptToOrphan, absentOwners,
    reportInvalidNamespaceOwnerRef: (dep, uid) => invalid.push(`${dep.identity.name}->${uid}`),
  });
  /** Names of the nodes queued for attemptToDelete, drained. */
  const drain = async (q: WorkQueue<GraphNode>): Promise<string[]> => {
    const out: string[] = [];
    while (q.len() > 0) {
      const n = (await q.get())!;
      q.done(n);
      out.push(`${n.virtual ? 'virtual:' : ''}${n.identity.name}`);
    }
    return out.sort();
  };
  return { graph, attemptToDelete, attemptToOrphan, absentOwners, invalid, drain };
}

const id = (name: string, extra: Partial<ObjectIdentity> = {}): ObjectIdentity =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid: `uid-${name}`, namespace: 'ns', ...extra });
const ref = (name: string, extra: Partial<OwnerReference> = {}): OwnerReference =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid: `uid-${name}`, ...extra });
const obj = (i: ObjectIdentity, owners: OwnerReference[] = [], meta: Partial<KObject['metadata']> = {}): KObject =>
  ({ metadata: { name: i.name, namespace: i.namespace || undefined, uid: i.uid, ownerReferences: owners, ...meta } });

test('an unseen owner becomes a virtual node queued for verification; observing it makes it real', async () => {
  const { graph, attemptToDelete, drain } = setup();
  graph.onAddOrUpdate(id('dep'), undefined, obj(id('dep'), [ref('owner')]));
  assert.deepEqual(await drain(attemptToDelete), ['virtual:owner']);
  graph.onAddOrUpdate(id('owner'), undefined, obj(id('owner')));
  assert.equal(graph.node('uid-owner')?.virtual, false);
  assert.deepEqual(await drain(attemptToDelete), []);
  assert.deepEqual([...graph.node('uid-owner')!.dependents].map((d) => d.identity.name), ['dep']);
});

test('deleting an owner queues its dependents and records it absent; owners in foreground deletion are requeued', async () => {
  const { graph, attemptToDelete, absentOwners, drain } = setup();
  graph.onAddOrUpdate(id('top'), undefined, obj(id('top'), [], { deletionTimestamp: 't', finalizers: ['foregroundDeletion'] }));
  assert.deepEqual(await drain(attemptToDelete), ['top']);
  assert.equal(graph.node('uid-top')?.deletingDependents, true);
  graph.onAddOrUpdate(id('mid'), undefined, obj(id('mid'), [ref('top', { blockOwnerDeletion: true })]));
  graph.onAddOrUpdate(id('leaf'), undefined, obj(id('leaf'), [ref('mid')]));
  await drain(attemptToDelete);
  graph.onDelete(id('mid'));
  assert.deepEqual(await drain(attemptToDelete), ['leaf', 'top']);
  assert.equal(absentOwners.has(id('mid')), true);
  assert.equal(graph.node('uid-mid'), undefined);
});

test('orphan and foreground finalizers on a deletion queue the owner once', async () => {
  const { graph, attemptToDelete, attemptToOrphan, drain } = setup();
  graph.onAddOrUpdate(id('o'), undefined, obj(id('o')));
  const marked = obj(id('o'), [], { deletionTimestamp: 't', finalizers: ['orphan'] });
  graph.onAddOrUpdate(id('o'), obj(id('o')), marked);
  graph.onAddOrUpdate(id('o'), marked, marked);
  assert.deepEqual(await drain(attemptToOrphan), ['o']);
  assert.deepEqual(await drain(attemptToDelete), []);
  assert.equal(deletionStartsWithFinalizer(undefined, marked, 'orphan'), true);
  assert.equal(deletionStartsWithFinalizer(marked, marked, 'orphan'), false);
  assert.equal(deletionStartsWithFinalizer(undefined, obj(id('x'), [], { finalizers: ['orphan'] }), 'orphan'), false);
});

test('removing or relaxing a blocking reference requeues an owner waiting in foreground deletion', async () => {
  const { graph, attemptToDelete, drain } = setup();
  graph.onAddOrUpdate(id('own'), undefined, obj(id('own'), [], { deletionTimestamp: 't', finalizers: ['foregroundDeletion'] }));
  graph.onAddOrUpdate(id('d'), undefined, obj(id('d'), [ref('own', { blockOwnerDeletion: true })]));
  await drain(attemptToDelete);
  assert.deepEqual(graph.node('uid-own')!.blockingDependents().map((n) => n.identity.name), ['d']);
  graph.onAddOrUpdate(id('d'), undefined, obj(id('d'), [ref('own', { blockOwnerDeletion: false })]));
  assert.deepEqual(await drain(attemptToDelete), ['own']);
  assert.deepEqual(graph.node('uid-own')!.blockingDependents(), []);
});

test('a virtual delete keeps a virtual owner that other dependents name differently, and tries that identity', async () => {
  const { graph, attemptToDelete, absentOwners, drain } = setup();
  graph.onAddOrUpdate(id('a'), undefined, obj(id('a'), [ref('owner')]));
  graph.onAddOrUpdate(id('b'), undefined, obj(id('b'), [ref('owner', { kind: 'Secret' })]));
  await drain(attemptToDelete);
  graph.onVirtualDelete(id('owner'));
  const node = graph.node('uid-owner');
  assert.ok(node?.virtual, 'still in the graph');
  assert.equal(node.identity.kind, 'Secret', 'now tried under the other identity');
  assert.equal(absentOwners.has(id('owner')), true);
  assert.deepEqual(await drain(attemptToDelete), ['a']);
  // Both identities now verified absent: each side's dependents are collected; while both remain, the node
  // keeps alternating between the identities (rate-limited).
  graph.onVirtualDelete(id('owner', { kind: 'Secret' }));
  assert.equal(graph.node('uid-owner')?.identity.kind, 'ConfigMap');
  assert.deepEqual(await drain(attemptToDelete), ['b']);
  graph.onDelete(id('a'));
  graph.onVirtualDelete(id('owner', { kind: 'ConfigMap' }));
  assert.equal(graph.node('uid-owner')?.identity.kind, 'Secret', 'only b names it now, as a Secret');
  graph.onVirtualDelete(id('owner', { kind: 'Secret' }));
  assert.equal(graph.node('uid-owner'), undefined, 'gone once every dependent agrees it is absent');
});

test('a virtual delete removes an observed node only when the coordinates agree', async () => {
  const { graph, drain, attemptToDelete } = setup();
  graph.onAddOrUpdate(id('real'), undefined, obj(id('real')));
  graph.onAddOrUpdate(id('dep'), undefined, obj(id('dep'), [ref('real')]));
  graph.onVirtualDelete(id('real', { kind: 'Secret' }));
  assert.ok(graph.node('uid-real'), 'another kind verified absent says nothing about this object');
  assert.deepEqual(await drain(attemptToDelete), []);
  // The API says the object itself is gone (the informer lags): its dependents are collected.
  graph.onVirtualDelete(id('real'));
  assert.equal(graph.node('uid-real'), undefined);
  assert.deepEqual(await drain(attemptToDelete), ['dep']);
});

test('a reference to an observed owner in another namespace is reported and queued', async () => {
  const { graph, invalid, drain, attemptToDelete } = setup();
  graph.onAddOrUpdate(id('owner', { namespace: 'other' }), undefined, obj(id('owner', { namespace: 'other' })));
  graph.onAddOrUpdate(id('dep'), undefined, obj(id('dep'), [ref('owner')]));
  assert.deepEqual(invalid, ['dep->uid-owner']);
  assert.deepEqual(await drain(attemptToDelete), ['dep']);
});

test('reference helpers', () => {
  const diffs = referencesDiffs([ref('a'), ref('b', { controller: true })], [ref('b'), ref('c')]);
  assert.deepEqual(diffs.added.map((r) => r.name), ['c']);
  assert.deepEqual(diffs.removed.map((r) => r.name), ['a']);
  assert.deepEqual(diffs.changed.map((c) => c.next.name), ['b']);
  const deps = [
    { identity: id('same'), owners: [ref('o')] },
    { identity: id('other-version'), owners: [ref('o', { apiVersion: 'v2' })] },
    { identity: id('other-kind'), owners: [ref('o', { kind: 'Secret' })] },
    { identity: id('other-ns', { namespace: 'x' }), owners: [ref('o')] },
  ] as unknown as GraphNode[];
  const { matching, nonMatching } = partitionDependents(deps, id('o'));
  assert.deepEqual(matching.map((d) => d.identity.name), ['same', 'other-version']);
  assert.deepEqual(nonMatching.map((d) => d.identity.name), ['other-kind', 'other-ns']);
});
