/**
 * Pure parts of the replica controllers: deletion ranking, expectations, slow-start batches, pod templates,
 * status calculation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { Expectations, EXPECTATIONS_TTL_MS } from '../../../main/controllers/replica-set/expectations.js';
import { podFromTemplate, podNamePrefix, slowStartBatch } from '../../../main/controllers/replica-set/pod-control.js';
import { podDeletionCost, podsToDelete } from '../../../main/controllers/replica-set/pod-ranking.js';
import { calculateStatus, statusUnchanged } from '../../../main/controllers/replica-set/replica-status.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodOpts {
  node?: string;
  phase?: string;
  readySince?: number;
  restarts?: number;
  created?: number;
  cost?: string;
  deleting?: boolean;
}

function pod(name: string, o: PodOpts = {}): Pod {
  const conditions = o.readySince !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }] : [];
  return {
    metadata: {
      name, namespace: 'ns', uid: `uid-${name}`, creationTimestamp: ago(o.created ?? 1000), labels: { app: 'a' },
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
      ...(o.deleting ? { deletionTimestamp: ago(0) } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running', conditions,
      containerStatuses: [{ name: 'c', ready: o.readySince !== undefined, restartCount: o.restarts ?? 0, image: 'i', imageID: '' }],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

test('podsToDelete: upstream ranking, one rule per row', () => {
  const cases: { rule: string; pods: Pod[]; related?: Pod[]; first: string }[] = [
    { rule: 'unassigned before assigned', pods: [pod('assigned', { node: 'n1', phase: 'Pending' }), pod('unassigned', { phase: 'Pending' })], first: 'unassigned' },
    { rule: 'Pending before Unknown', pods: [pod('unknown', { node: 'n1', phase: 'Unknown' }), pod('pending', { node: 'n1', phase: 'Pending' })], first: 'pending' },
    { rule: 'Unknown before Running', pods: [pod('running', { node: 'n1' }), pod('unknown', { node: 'n1', phase: 'Unknown' })], first: 'unknown' },
    { rule: 'not ready before ready', pods: [pod('ready', { node: 'n1', readySince: 100 }), pod('notready', { node: 'n1' })], first: 'notready' },
    { rule: 'lower deletion cost first', pods: [pod('cheap', { node: 'n1', readySince: 100, cost: '-5' }), pod('dear', { node: 'n1', readySince: 100, cost: '10' })], first: 'cheap' },
    { rule: 'deletion cost beats readiness age', pods: [pod('young', { node: 'n1', readySince: 1, cost: '1' }), pod('old', { node: 'n1', readySince: 10000 })], first: 'old' },
    {
      rule: 'doubled-up node first',
      pods: [pod('alone', { node: 'n1', readySince: 100 }), pod('crowded', { node: 'n2', readySince: 100 })],
      related: [pod('alone', { node: 'n1' }), pod('crowded', { node: 'n2' }), pod('other', { node: 'n2' })],
      first: 'crowded',
    },
    { rule: 'ready more recently first', pods: [pod('long', { node: 'n1', readySince: 4000 }), pod('recent', { node: 'n1', readySince: 10 })], first: 'recent' },
    { rule: 'more restarts first', pods: [pod('calm', { node: 'n1', restarts: 0 }), pod('flappy', { node: 'n1', restarts: 7 })], first: 'flappy' },
    { rule: 'newer first', pods: [pod('older', { node: 'n1', created: 5000 }), pod('newer', { node: 'n1', created: 30 })], first: 'newer' },
  ];
  for (const c of cases) {
    for (const order of [c.pods, [...c.pods].reverse()]) {
      assert.deepEqual(names(podsToDelete(order, c.related ?? order, 1, NOW)), [c.first], c.rule);
    }
  }
});

test('podsToDelete: everything when asked for at least as many; terminating related pods do not crowd a node', () => {
  const ps = [pod('a'), pod('b')];
  assert.deepEqual(names(podsToDelete(ps, ps, 5, NOW)), ['a', 'b']);
  const pods = [pod('x', { node: 'n1', readySince: 100 }), pod('y', { node: 'n2', readySince: 100 })];
  const related = [...pods, pod('gone', { node: 'n1', deleting: true }), pod('z', { node: 'n2' })];
  // Counting the terminating pod would tie the nodes and the uid would pick x.
  assert.deepEqual(names(podsToDelete(pods, related, 1, NOW)), ['y']);
});

test('podDeletionCost: int32 values only, anything else counts as 0', () => {
  const withCost = (v: string) => pod('p', { cost: v });
  assert.equal(podDeletionCost(pod('p')), 0);
  assert.equal(podDeletionCost(withCost('-12')), -12);
  assert.equal(podDeletionCost(withCost('+7')), 7);
  assert.equal(podDeletionCost(withCost('abc')), 0);
  assert.equal(podDeletionCost(withCost('2147483648')), 0);
});

test('Expectations: creations and tracked deletions, satisfied when observed or expired', () => {
  let now = 0;
  const e = new Expectations(() => now);
  assert.equal(e.satisfied('ns/rs'), true);
  e.expectCreations('ns/rs', 2);
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), false);
  e.creationObserved('ns/rs');
  assert.equal(e.satisfied('ns/rs'), true);
  e.expectDeletions('ns/rs', ['ns/p1', 'ns/p2']);
  e.deletionObserved('ns/rs', 'ns/other');
  e.deletionObserved('ns/rs', 'ns/p1');
  e.deletionObserved('ns/rs', 'ns/p1');
  assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
  assert.equal(e.satisfied('ns/rs'), false);
  now += EXPECTATIONS_TTL_MS + 1;
  assert.equal(e.satisfied('ns/rs'), true, 'expired');
  e.delete('ns/rs');
  assert.equal(e.pending('ns/rs'), undefined);
});

test('slowStartBatch: batches of 1, 2, 4, ...; the first failing batch stops the rest', async () => {
  let calls = 0;
  const ok = await slowStartBatch(10, 1, async () => { calls++; });
  assert.deepEqual([ok, calls], [{ successes: 10 }, 10]);
  calls = 0;
  const res = await slowStartBatch(10, 1, async () => {
    calls++;
    if (calls === 5) throw new Error('boom');
  });
  // Batches 1 + 2 succeed, the batch of 4 has one failure; the remaining 3 are never attempted.
  assert.equal(res.successes, 6);
  assert.equal(res.error?.message, 'boom');
  assert.equal(calls, 7);
});

test('podFromTemplate: generateName, labels/annotations/finalizers copied, controller reference', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };
  const tpl = { metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['x/y'], name: 'ignored' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const p = podFromTemplate(tpl, { metadata: { name: 'web', namespace: 'ns' } }, ref);
  assert.deepEqual(p.metadata, { generateName: 'web-', namespace: 'ns', ownerReferences: [ref], labels: { app: 'web' }, annotations: { a: 'b' }, finalizers: ['x/y'] });
  assert.notEqual(p.spec, tpl.spec);
  assert.deepEqual(p.spec, tpl.spec);
  assert.equal(podNamePrefix('web'), 'web-');
  assert.equal(podNamePrefix('a'.repeat(250)), 'a'.repeat(250));
});

test('calculateStatus: counts, availability with minReadySeconds, ReplicaFailure set and cleared', () => {
  const owner = { metadata: { name: 'rs', generation: 2 }, spec: { replicas: 3, minReadySeconds: 60, template: { metadata: { labels: { app: 'a', tier: 't' } } } }, status: { replicas: 0, observedGeneration: 1 } };
  const pods = [pod('a', { readySince: 120 }), pod('b', { readySince: 5 }), pod('c')];
  pods[0]!.metadata.labels = { app: 'a', tier: 't' };
  const st = calculateStatus(owner, pods, undefined, NOW);
  assert.deepEqual(st, { replicas: 3, observedGeneration: 1, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1 });
  const failed = calculateStatus(owner, pods.slice(0, 1), new Error('quota'), NOW);
  assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: ago(0), reason: 'FailedCreate', message: 'quota' }]);
  const cleared = calculateStatus({ ...owner, status: failed }, pods, undefined, NOW);
  assert.equal(cleared.conditions, undefined);
  assert.equal(statusUnchanged({ ...owner, metadata: { name: 'rs', generation: 1 }, status: st }, st), true);
  assert.equal(statusUnchanged({ ...owner, status: st }, st), false, 'generation not yet observed');
});
