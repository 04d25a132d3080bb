import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedulingQueue } from '../../../../main/scheduler/queue/scheduling-queue.js';
import { ActionType, Status } from '../../../../main/scheduler/framework/types.js';
import { pod } from '../fake-plugins.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('activeQ pops by priority, then FIFO', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now });
  q.add(pod('low', { priority: 1 }));
  c.advance(1);
  q.add(pod('high', { priority: 100 }));
  c.advance(1);
  q.add(pod('low2', { priority: 1 }));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.podInfo.pod.metadata.name);
  assert.deepEqual(order, ['high', 'low', 'low2']);
});

test('backoff doubles from 1 s up to 10 s', () => {
  const q = new SchedulingQueue();
  const qi = { attempts: 1 } as never;
  const d = (n: number) => q.backoffDuration({ ...(qi as object), attempts: n } as never);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(d), [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('an errored pod goes to backoffQ and returns to activeQ after its backoff', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now });
  const p = pod('p');
  q.add(p);
  const qi = (await q.pop())!;
  q.addUnschedulable(qi); // no rejecting plugins: an error
  assert.equal(q.where(p), 'backoff');
  c.advance(999);
  q.flushBackoffCompleted();
  assert.equal(q.where(p), 'backoff');
  c.advance(1);
  q.flushBackoffCompleted();
  assert.equal(q.where(p), 'active');
});

test('unschedulable pods wait for a matching event (with hints) or the 5-minute flush', async () => {
  const c = clock();
  const hints = new Map([['Fit', [{ event: { resource: 'Node' as const, actionType: ActionType.Add } }]],
    ['Taints', [{ event: { resource: 'Node' as const, actionType: ActionType.UpdateNodeTaint }, queueingHintFn: () => 'QueueSkip' as const }]]]);
  const q = new SchedulingQueue({ now: c.now, hintsFor: () => hints });
  const a = pod('a');
  const b = pod('b');
  q.add(a);
  q.add(b);
  const qa = (await q.pop())!;
  const qb = (await q.pop())!;
  qa.unschedulablePlugins = new Set(['Fit']);
  qb.unschedulablePlugins = new Set(['Taints']);
  q.addUnschedulable(qa);
  q.addUnschedulable(qb);
  assert.equal(q.where(a), 'unschedulable');
  assert.equal(q.onClusterEvent({ resource: 'Pod', actionType: ActionType.Delete }), 0);
  assert.equal(q.onClusterEvent({ resource: 'Node', actionType: ActionType.UpdateNodeTaint }), 0, 'hint says QueueSkip');
  c.advance(2000);
  assert.equal(q.onClusterEvent({ resource: 'Node', actionType: ActionType.Add }), 1);
  assert.equal(q.where(a), 'active');
  assert.equal(q.where(b), 'unschedulable');
  c.advance(5 * 60_000);
  q.flushUnschedulableLeftover();
  assert.equal(q.where(b), 'active');
});

test('an event during the attempt sends the failed pod to backoff instead of parking it', async () => {
  const c = clock();
  const q = new SchedulingQueue({ now: c.now, hintsFor: () => new Map([['Fit', [{ event: { resource: 'Node' as const, actionType: ActionType.Add } }]]]) });
  const a = pod('a');
  q.add(a);
  const qa = (await q.pop())!;
  q.onClusterEvent({ resource: 'Node', actionType: ActionType.Add });
  qa.unschedulablePlugins = new Set(['Fit']);
  q.addUnschedulable(qa);
  assert.equal(q.where(a), 'backoff');
});

test('PreEnqueue gates a pod until an update removes the gate; pop waits while empty', async () => {
  const q = new SchedulingQueue({ preEnqueue: (p) => ((p.spec.schedulingGates ?? []).length ? { plugin: 'SchedulingGates', status: Status.unresolvable('gated') } : null) });
  const gated = pod('g');
  gated.spec.schedulingGates = [{ name: 'x' }];
  q.add(gated);
  assert.equal(q.where(gated), 'unschedulable');
  const popped = q.pop();
  const ungated = { ...gated, spec: { ...gated.spec, schedulingGates: [] } };
  q.update(gated, ungated);
  assert.equal((await popped)!.podInfo.pod.metadata.name, 'g');
  q.close();
  assert.equal(await q.pop(), undefined);
});
