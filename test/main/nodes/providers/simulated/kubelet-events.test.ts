/**
 * Kubelet events through the shared EventRecorder: one recorder per node (source kubelet/<node>), the
 * process-wide token bucket in front, aggregation of repeats, and letting go of the recorders of gone or idle
 * nodes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../../../main/api/meta/object.js';
import { KubeletEvents } from '../../../../../main/nodes/providers/simulated/kubelet-events.js';
import { FakeClock } from '../../fake-clock.js';
import { FakeKubeClient } from '../../fake-kube-client.js';

const pod = (name: string) => ({ kind: 'Pod', apiVersion: 'v1', namespace: 'default', name, uid: `uid-${name}`, fieldPath: 'spec.containers{app}' });
const events = (client: FakeKubeClient) => [...client.objects.entries()].filter(([k]) => k.startsWith('events/')).map(([, v]) => v as KObject & Record<string, any>);

test('events carry the kubelet source of their node and the pod reference', async () => {
  const client = new FakeKubeClient();
  const ev = new KubeletEvents(client, new FakeClock());
  assert.equal(ev.record('n1', pod('web'), 'Normal', 'Pulled', 'Container image "nginx" already present on machine'), true);
  assert.equal(ev.record('n2', pod('db'), 'Normal', 'Started', 'Started container app'), true);
  await ev.flush();
  const [a, b] = events(client).sort((x, y) => String(x.reason).localeCompare(String(y.reason)));
  assert.deepEqual(a!.source, { component: 'kubelet', host: 'n1' });
  assert.equal(a!.reportingComponent, 'kubelet');
  assert.equal(a!.reportingInstance, 'n1');
  assert.deepEqual(a!.involvedObject, pod('web'));
  assert.equal(a!.metadata.namespace, 'default');
  assert.match(a!.metadata.name ?? '', /^web\.[0-9a-f]+$/);
  assert.equal(a!.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.deepEqual(b!.source, { component: 'kubelet', host: 'n2' });
  assert.equal(ev.recorderCount, 2);
});

test('repeats of one event are aggregated into count', async () => {
  const client = new FakeKubeClient();
  const clock = new FakeClock();
  const ev = new KubeletEvents(client, clock);
  ev.record('n1', pod('crash'), 'Warning', 'BackOff', 'Back-off restarting failed container app');
  await ev.flush();
  clock.advance(10_000);
  ev.record('n1', pod('crash'), 'Warning', 'BackOff', 'Back-off restarting failed container app');
  await ev.flush();
  const all = events(client);
  assert.equal(all.length, 1);
  assert.equal(all[0]!.count, 2);
  assert.equal(all[0]!.lastTimestamp, '2026-01-01T00:00:10Z');
});

test('the token bucket caps the rate across all nodes; disabled records nothing', async () => {
  const client = new FakeKubeClient();
  const clock = new FakeClock();
  const ev = new KubeletEvents(client, clock, { qps: 10, burst: 5 });
  const sent = Array.from({ length: 8 }, (_, i) => ev.record(`n${i}`, pod(`p${i}`), 'Normal', 'Created', 'Created container: app'));
  assert.deepEqual(sent, [true, true, true, true, true, false, false, false]);
  assert.equal(ev.dropped, 3);
  clock.advance(200); // 10/s → 2 tokens
  assert.equal(ev.record('n0', pod('q1'), 'Normal', 'Created', 'x'), true);
  assert.equal(ev.record('n0', pod('q2'), 'Normal', 'Created', 'x'), true);
  assert.equal(ev.record('n0', pod('q3'), 'Normal', 'Created', 'x'), false);
  await ev.flush();
  assert.equal(events(client).length, 7);

  const off = new KubeletEvents(client, clock, { enabled: false });
  assert.equal(off.record('n1', pod('z'), 'Normal', 'Created', 'x'), false);
  assert.equal(off.recorderCount, 0);
});

test('recorders of gone nodes and of nodes idle for a whole window are let go', async () => {
  const client = new FakeKubeClient();
  const clock = new FakeClock();
  const ev = new KubeletEvents(client, clock);
  ev.record('busy', pod('a'), 'Normal', 'Started', 'x');
  ev.record('idle', pod('b'), 'Normal', 'Started', 'x');
  ev.record('gone', pod('c'), 'Normal', 'Started', 'x');
  await ev.flush();
  ev.nodeGone('gone');
  assert.equal(ev.recorderCount, 2);
  for (let i = 0; i < 11; i++) {
    clock.advance(60_000);
    ev.record('busy', pod('a'), 'Normal', 'Started', `x${i}`);
  }
  await ev.flush();
  assert.equal(ev.recorderCount, 1, 'the idle node’s recorder is dropped after 10 minutes');
  ev.record('idle', pod('b'), 'Normal', 'Started', 'again');
  assert.equal(ev.recorderCount, 2, 'and made afresh when the node records again');
  ev.stop();
  assert.equal(ev.record('busy', pod('a'), 'Normal', 'Started', 'late'), false);
});
