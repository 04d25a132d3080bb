/**
 * Pure deployment-controller helpers: the pod-template-hash, fenceposts and rounding, new ReplicaSet growth,
 * proportional shares, and revision / revision-history annotations (table-driven, upstream's cases).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, lastRevision, maxRevision, setDeploymentAnnotationsTo, setNewReplicaSetAnnotations,
} from '../../../../main/controllers/deployment/annotations.js';
import { computeHash, equalIgnoreHash, fnv32a, safeEncodeString } from '../../../../main/controllers/deployment/pod-template-hash.js';
import {
  findActiveOrLatest, maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts,
} from '../../../../main/controllers/deployment/replica-math.js';
import type { Deployment, ReplicaSet } from '../../../../main/controllers/deployment/types.js';

const deployment = (replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', type = 'RollingUpdate'): Deployment => ({
  metadata: { name: 'web', namespace: 'default', annotations: {} },
  spec: { replicas, strategy: type === 'RollingUpdate' ? { type, rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } : { type } },
});

const rs = (name: string, replicas: number, extra: Partial<ReplicaSet['metadata']> = {}, created = '2026-01-01T00:00:00Z'): ReplicaSet => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: created, ...extra },
  spec: { replicas },
});

test('FNV-32a and SafeEncodeString as upstream', () => {
  // Reference values of FNV-1a 32 ("" and "a") from the FNV specification.
  assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
  assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
  // Each byte modulo 27 into "bcdfghjklmnpqrstvwxz2456789": '0' is 48 → 48 % 27 = 21 → '4'.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
});

test('computeHash: stable, alphabet-safe, sensitive to the template and to collisionCount, blind to key order', () => {
  const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const h = computeHash(t);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.equal(computeHash(structuredClone(t)), h);
  assert.equal(computeHash({ spec: t.spec, metadata: t.metadata }), h);
  assert.notEqual(computeHash({ ...t, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), h);
  assert.notEqual(computeHash(t, 0), h);
  assert.notEqual(computeHash(t, 1), computeHash(t, 0));
});

test('equalIgnoreHash ignores the pod-template-hash label and empty vs missing maps', () => {
  const a = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const b = { metadata: { labels: { app: 'web' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  assert.equal(equalIgnoreHash(a, b), true);
  assert.equal(equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'y' }] } }), false);
});

test('resolveFenceposts: surge rounds up, unavailable rounds down, never both zero', () => {
  const cases: [number | string, number | string, number, [number, number]][] = [
    ['25%', '25%', 10, [3, 2]],
    ['25%', '25%', 3, [1, 0]],
    ['25%', '25%', 1, [1, 0]],
    [0, 0, 5, [0, 1]],
    ['0%', '0%', 5, [0, 1]],
    [2, '50%', 5, [2, 2]],
    ['100%', 0, 4, [4, 0]],
  ];
  for (const [s, u, n, want] of cases) assert.deepEqual(resolveFenceposts(s, u, n), want, `${s}/${u} of ${n}`);
  assert.equal(maxUnavailable(deployment(2, 0, 5)), 2, 'capped at replicas');
  assert.equal(maxUnavailable(deployment(0)), 0);
  assert.equal(maxSurge(deployment(3, 1, 1, 'Recreate')), 0);
});

test('newRSNewReplicas: grows within replicas + maxSurge; Recreate takes the full count', () => {
  const d = deployment(10, 3, 2);
  const newRS = rs('new', 0);
  assert.equal(newRSNewReplicas(d, [rs('old', 10), newRS], newRS), 3);
  assert.equal(newRSNewReplicas(d, [rs('old', 12), rs('new', 1)], rs('new', 1)), 1);
  assert.equal(newRSNewReplicas(d, [rs('old', 0), rs('new', 9)], rs('new', 9)), 10);
  assert.equal(newRSNewReplicas(deployment(4, 0, 0, 'Recreate'), [newRS], newRS), 4);
});

test('proportion: shares by max-replicas annotation, rounded half away from zero, bounded by what is left', () => {
  // Deployment 10 → 15 (maxSurge 3): an RS of 5 annotated for max 13 gets round(5*18/13)-5 = 2.
  const d = deployment(15, 3, 2);
  const five = rs('a', 5, { annotations: { 'deployment.kubernetes.io/max-replicas': '13' } });
  assert.equal(proportion(five, d, 5, 0), 2);
  assert.equal(proportion(five, d, 5, 4), 1, 'bounded by the remaining');
  assert.equal(proportion(rs('b', 0), d, 5, 0), 0);
  const down = deployment(5, 1, 1);
  // 8 annotated for max 11, deployment now 5+1=6: round(8*6/11)=round(4.36)=4 → -4.
  assert.equal(proportion(rs('c', 8, { annotations: { 'deployment.kubernetes.io/max-replicas': '11' } }), down, -5, 0), -4);
  assert.equal(proportion(rs('d', 3), deployment(0), -3, 0), -3, 'scaling to zero removes everything');
});

test('findActiveOrLatest: the only active one, else the newest', () => {
  const older = rs('older', 0, {}, '2026-01-01T00:00:00Z');
  const newer = rs('newer', 0, {}, '2026-01-02T00:00:00Z');
  assert.equal(findActiveOrLatest(undefined, [older, newer])?.metadata.name, 'newer');
  assert.equal(findActiveOrLatest(rs('n', 0), [older])?.metadata.name, 'n');
  assert.equal(findActiveOrLatest(rs('n', 0), [rs('x', 2)])?.metadata.name, 'x');
  assert.equal(findActiveOrLatest(rs('n', 1), [rs('x', 2)]), undefined);
});

test('revisions: max and last; a rolled-back ReplicaSet keeps its old revision in revision-history', () => {
  const rss = [rs('a', 0, { annotations: { [REVISION_ANNOTATION]: '3' } }), rs('b', 0, { annotations: { [REVISION_ANNOTATION]: '7' } }), rs('c', 0, { annotations: { [REVISION_ANNOTATION]: 'x' } })];
  assert.equal(maxRevision(rss), 7);
  assert.equal(lastRevision(rss), 3);
  const d = deployment(3);
  d.metadata.annotations = { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REVISION_ANNOTATION]: '7' };
  const target = rs('a', 0, { annotations: { [REVISION_ANNOTATION]: '3', [REVISION_HISTORY_ANNOTATION]: '1' } });
  assert.equal(setNewReplicaSetAnnotations(d, target, '8', true, 1, () => {}), true);
  assert.deepEqual(target.metadata.annotations, {
    [REVISION_ANNOTATION]: '8', [REVISION_HISTORY_ANNOTATION]: '1,3', 'kubernetes.io/change-cause': 'v2',
  });
  assert.equal(setNewReplicaSetAnnotations(d, target, '8', true, 1, () => {}), false, 'idempotent');
  const fresh = rs('n', 0);
  setNewReplicaSetAnnotations(d, fresh, '1', false, 1, () => {});
  assert.deepEqual(fresh.metadata.annotations, {
    'kubernetes.io/change-cause': 'v2', [REVISION_ANNOTATION]: '1',
    'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
  });
  // History is bounded: the oldest entries go first.
  const bounded = rs('h', 0, { annotations: { [REVISION_ANNOTATION]: '5', [REVISION_HISTORY_ANNOTATION]: '1,2,3' } });
  setNewReplicaSetAnnotations(deployment(1), bounded, '9', true, 0, () => {}, 5);
  assert.equal(bounded.metadata.annotations![REVISION_HISTORY_ANNOTATION], '2,3,5');
  // On rollback the Deployment takes the old ReplicaSet's annotations, keeping its own skipped ones.
  const dd = deployment(1);
  dd.metadata.annotations = { [REVISION_ANNOTATION]: '4', 'kubernetes.io/change-cause': 'now' };
  setDeploymentAnnotationsTo(dd, rs('o', 0, { annotations: { [REVISION_ANNOTATION]: '2', 'kubernetes.io/change-cause': 'then' } }));
  assert.deepEqual(dd.metadata.annotations, { [REVISION_ANNOTATION]: '4', 'kubernetes.io/change-cause': 'then' });
});
