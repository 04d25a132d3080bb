import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedulerCache } from '../../../../main/scheduler/cache/scheduler-cache.js';
import { Snapshot } from '../../../../main/scheduler/framework/snapshot.js';
import { node, pod } from '../fake-plugins.js';

test('assume → confirm → remove keeps node usage right; snapshot copies only changed nodes', () => {
  const c = new SchedulerCache();
  for (let i = 0; i < 5; i++) c.addOrUpdateNode(node(`n${i}`));
  const snap = new Snapshot();
  c.updateSnapshot(snap);
  assert.equal(snap.numNodes(), 5);
  const before = snap.list().slice();
  const p = pod('p', { cpu: '1', node: 'n2' });
  c.assumePod(p);
  assert.ok(c.isAssumed(p));
  c.updateSnapshot(snap);
  assert.equal(snap.get('n2')!.requested.milliCPU, 1000);
  assert.notEqual(snap.list()[2], before[2], 'changed node replaced');
  assert.equal(snap.list()[1], before[1], 'unchanged node kept');
  c.addPod(p); // informer confirmation
  assert.equal(c.isAssumed(p), false);
  c.updateSnapshot(snap);
  assert.equal(snap.get('n2')!.pods.length, 1);
  c.removePod(p);
  c.updateSnapshot(snap);
  assert.equal(snap.get('n2')!.requested.milliCPU, 0);
});

test('forgetPod undoes an assumption; removed nodes leave the snapshot; affinity lists follow', () => {
  const c = new SchedulerCache();
  c.addOrUpdateNode(node('a'));
  c.addOrUpdateNode(node('b'));
  const snap = new Snapshot();
  const p = pod('p', { node: 'a' });
  p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { x: 'y' } } }] } };
  c.assumePod(p);
  c.updateSnapshot(snap);
  assert.deepEqual(snap.havePodsWithRequiredAntiAffinityList.map((n) => n.name), ['a']);
  c.forgetPod(p);
  c.updateSnapshot(snap);
  assert.deepEqual(snap.havePodsWithRequiredAntiAffinityList, []);
  c.removeNode(node('b'));
  c.updateSnapshot(snap);
  assert.deepEqual(snap.list().map((n) => n.name), ['a']);
  assert.equal(snap.get('b'), undefined);
});

test('incremental snapshots (changed-node set) stay equal to fresh ones, with a second snapshot interleaved', () => {
  const c = new SchedulerCache();
  const main = new Snapshot();
  const other = new Snapshot();
  const view = (s: Snapshot) => s.list().map((n) => `${n.name}:${n.pods.length}:${n.requested.milliCPU}:${n.freeMilliCPU}`);
  let seq = 0;
  const live: ReturnType<typeof pod>[] = [];
  for (let step = 0; step < 200; step++) {
    const r = (step * 7919) % 10;
    if (r < 2) c.addOrUpdateNode(node(`n${step % 13}`));
    else if (r < 6 && live.length < 40) {
      const p = pod(`p${seq++}`, { cpu: '100m', node: `n${step % 11}` });
      c.addPod(p);
      live.push(p);
    } else if (r < 8 && live.length) c.removePod(live.splice(step % live.length, 1)[0]!);
    else if (r === 8) c.removeNode(node(`n${step % 13}`));
    c.updateSnapshot(main);
    if (step % 3 === 0) c.updateSnapshot(other);
    assert.deepEqual(view(main), view(c.snapshot()), `main at step ${step}`);
    if (step % 3 === 0) assert.deepEqual(view(other), view(c.snapshot()), `other at step ${step}`);
  }
});
