import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code, PodInfo } from '../../../../main/scheduler/framework/types.js';
import { NODE_NAME_ERR_REASON, NodeName } from '../../../../main/scheduler/plugins/node-name.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable } from '../../../../main/scheduler/plugins/node-unschedulable.js';
import { prioritySortLess } from '../../../../main/scheduler/plugins/priority-sort.js';
import { SchedulingGates } from '../../../../main/scheduler/plugins/scheduling-gates.js';
import { inTreePlugins } from '../../../../main/scheduler/plugins/index.js';
import { defaultPlugins } from '../../../../main/scheduler/framework/profile-config.js';
import { fakeContext, filterOne, makeNode, makePod, nodeInfo, unresolvable } from './builders.js';

test('NodeName filter', () => {
  const ni = nodeInfo(makeNode('foo'));
  assert.equal(filterOne(new NodeName(), makePod(), ni), 'fits');
  assert.equal(filterOne(new NodeName(), makePod({ nodeName: 'foo' }), ni), 'fits');
  assert.deepEqual(filterOne(new NodeName(), makePod({ nodeName: 'bar' }), ni), unresolvable(NODE_NAME_ERR_REASON));
});

test('NodeUnschedulable filter', () => {
  const cordoned = nodeInfo(makeNode('n', { unschedulable: true }));
  assert.deepEqual(filterOne(new NodeUnschedulable(), makePod(), cordoned), unresolvable(ERR_REASON_UNSCHEDULABLE));
  assert.equal(filterOne(new NodeUnschedulable(), makePod(), nodeInfo(makeNode('n', { unschedulable: false }))), 'fits');
  assert.equal(filterOne(new NodeUnschedulable(), makePod(), nodeInfo(makeNode('n'))), 'fits');
  const tolerant = makePod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.equal(filterOne(new NodeUnschedulable(), tolerant, cordoned), 'fits');
});

test('NodeUnschedulable hint: uncordoning queues the pod, other node updates do not', () => {
  const ev = new NodeUnschedulable().eventsToRegister()[0]!;
  const hint = ev.queueingHintFn!;
  assert.equal(hint(makePod(), makeNode('n', { unschedulable: true }), makeNode('n')), 'Queue');
  assert.equal(hint(makePod(), makeNode('n', { unschedulable: true }), makeNode('n', { unschedulable: true })), 'QueueSkip');
  assert.equal(hint(makePod(), undefined, makeNode('n')), 'Queue');
});

test('SchedulingGates PreEnqueue', () => {
  const pl = new SchedulingGates();
  assert.equal(pl.preEnqueue(makePod()), null);
  const s = pl.preEnqueue(makePod({ schedulingGates: [{ name: 'foo' }, { name: 'bar' }] }))!;
  assert.equal(s.code, Code.UnschedulableAndUnresolvable);
  assert.equal(s.message(), 'waiting for scheduling gates: [foo bar]');
});

test('PrioritySort: higher priority first, then earlier timestamp', () => {
  const q = (priority: number, timestamp: number) => ({ podInfo: new PodInfo(makePod({ priority })), timestamp });
  assert.equal(prioritySortLess(q(100, 2), q(10, 1)), true);
  assert.equal(prioritySortLess(q(10, 1), q(100, 2)), false);
  assert.equal(prioritySortLess(q(10, 1), q(10, 2)), true);
  assert.equal(prioritySortLess(q(10, 2), q(10, 1)), false);
  assert.equal(prioritySortLess(q(0, 1), { podInfo: new PodInfo(makePod()), timestamp: 2 }), true);
});

test('registry: every default-profile plugin except the framework-owned ones has a factory that builds it', () => {
  const ctx = fakeContext([]);
  for (const { name } of defaultPlugins()) {
    if (name === 'DefaultPreemption' || name === 'DefaultBinder') continue;
    const f = inTreePlugins[name];
    assert.ok(f, `missing ${name}`);
    assert.equal(f(undefined, ctx).name, name);
  }
});
