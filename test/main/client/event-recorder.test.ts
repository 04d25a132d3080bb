import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { EventRecorder } from '../../../main/client/event-recorder.js';
import { EVENTS, NODES, PODS } from '../../../main/client/kube-client.js';
import { pod, startClientFixture, type ClientFixture } from './client-fixture.js';

let fx: ClientFixture;
before(async () => { fx = await startClientFixture(); });
after(async () => { await fx.stop(); });

interface Ev extends KObject {
  involvedObject: Record<string, unknown>; reason: string; message: string; type: string; count: number;
  firstTimestamp: string; lastTimestamp: string; source: Record<string, string>;
  reportingComponent: string; reportingInstance: string; related?: Record<string, unknown>;
}

async function eventsFor(name: string, ns = 'default'): Promise<Ev[]> {
  return (await fx.local.list<Ev>(EVENTS, ns)).items.filter((e) => e.involvedObject['name'] === name);
}

test('creates core/v1 Events with the upstream shape', async () => {
  const p = await fx.local.create(PODS, 'default', pod('shape'));
  const node = await fx.local.create(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-shape' } });
  const rec = new EventRecorder(fx.local, { component: 'default-scheduler' });
  rec.event(p, 'Normal', 'Scheduled', 'Successfully assigned default/shape to n-shape', node);
  await rec.flush();
  const [ev, ...more] = await eventsFor('shape');
  assert.equal(more.length, 0);
  assert.match(ev!.metadata.name!, /^shape\.[0-9a-f]+$/);
  assert.equal(ev!.metadata.namespace, 'default');
  assert.deepEqual(ev!.involvedObject, {
    kind: 'Pod', namespace: 'default', name: 'shape', uid: p.metadata.uid, apiVersion: 'v1', resourceVersion: p.metadata.resourceVersion,
  });
  assert.equal(ev!.reason, 'Scheduled');
  assert.equal(ev!.type, 'Normal');
  assert.equal(ev!.count, 1);
  assert.deepEqual(ev!.source, { component: 'default-scheduler' });
  assert.equal(ev!.reportingComponent, 'default-scheduler');
  assert.equal(ev!.reportingInstance, '');
  assert.match(ev!.firstTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ev!.related?.['name'], 'n-shape');
  assert.equal(ev!.related?.['kind'], 'Node');
});

test('cluster-scoped objects get their events in default; host is the source host', async () => {
  const rec = new EventRecorder(fx.local, { component: 'kubelet', host: 'n1' });
  rec.event({ kind: 'Node', name: 'n1', uid: 'n1', apiVersion: 'v1' }, 'Normal', 'NodeReady', 'Node n1 status is now: NodeReady');
  await rec.flush();
  const [ev] = await eventsFor('n1');
  assert.equal(ev!.metadata.namespace, 'default');
  assert.deepEqual(ev!.source, { component: 'kubelet', host: 'n1' });
  assert.equal(ev!.reportingInstance, 'n1');
});

test('aggregates repeats of the same (object, reason, message) by patching count and lastTimestamp', async () => {
  const p = await fx.local.create(PODS, 'default', pod('agg'));
  let now = new Date('2026-03-01T10:00:00Z');
  const rec = new EventRecorder(fx.local, { component: 'default-scheduler', clock: () => now });
  const msg = '0/3 nodes are available: 3 Insufficient cpu.';
  rec.event(p, 'Warning', 'FailedScheduling', msg);
  await rec.flush();
  now = new Date('2026-03-01T10:01:00Z');
  rec.event(p, 'Warning', 'FailedScheduling', msg);
  rec.event(p, 'Warning', 'FailedScheduling', msg); // folded into the queued write
  await rec.flush();
  let evs = await eventsFor('agg');
  assert.equal(evs.length, 1);
  assert.equal(evs[0]!.count, 3);
  assert.equal(evs[0]!.firstTimestamp, '2026-03-01T10:00:00Z');
  assert.equal(evs[0]!.lastTimestamp, '2026-03-01T10:01:00Z');

  // A different message is a different series.
  rec.event(p, 'Warning', 'FailedScheduling', '0/3 nodes are available: 3 Insufficient memory.');
  await rec.flush();
  assert.equal((await eventsFor('agg')).length, 2);

  // After 10 minutes without a repeat, a new Event starts.
  now = new Date('2026-03-01T10:12:00Z');
  rec.event(p, 'Warning', 'FailedScheduling', msg);
  await rec.flush();
  evs = await eventsFor('agg');
  assert.equal(evs.length, 3);
  assert.deepEqual(evs.map((e) => e.count).sort(), [1, 1, 3]);
});

test('re-creates an aggregated Event that was deleted', async () => {
  const p = await fx.local.create(PODS, 'default', pod('recreate'));
  const rec = new EventRecorder(fx.local, { component: 'c' });
  rec.event(p, 'Normal', 'Pulled', 'pulled');
  await rec.flush();
  const [ev] = await eventsFor('recreate');
  await fx.local.delete(EVENTS, 'default', ev!.metadata.name!);
  rec.event(p, 'Normal', 'Pulled', 'pulled');
  await rec.flush();
  const again = await eventsFor('recreate');
  assert.equal(again.length, 1);
  assert.equal(again[0]!.metadata.name, ev!.metadata.name);
  assert.equal(again[0]!.count, 2);
  assert.equal(rec.failed, 0);
});

test('never blocks the caller and drops when overloaded', async () => {
  const rec = new EventRecorder(fx.local, { component: 'burst', maxPending: 50, concurrency: 2 });
  const t0 = performance.now();
  for (let i = 0; i < 500; i++) rec.event({ kind: 'Pod', namespace: 'default', name: `burst-${i}`, apiVersion: 'v1' }, 'Normal', 'X', 'y');
  assert.ok(performance.now() - t0 < 50, 'event() returns at once');
  assert.ok(rec.dropped >= 400, `dropped ${rec.dropped}`);
  await rec.flush();
  const n = (await fx.local.list<Ev>(EVENTS, 'default')).items.filter((e) => e.source['component'] === 'burst').length;
  assert.equal(n + rec.dropped, 500);
});

test('failures are logged, not thrown', async () => {
  const logs: string[] = [];
  const rec = new EventRecorder(fx.local, { component: 'c', log: (m) => logs.push(m) });
  rec.event({ kind: 'Pod', namespace: 'no-such-namespace', name: 'x', apiVersion: 'v1' }, 'Normal', 'X', 'y');
  await rec.flush();
  assert.equal(rec.failed, 1);
  assert.match(logs[0]!, /not recorded/);
});
