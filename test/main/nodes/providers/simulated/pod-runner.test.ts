/**
 * The pod runner against an in-memory client and a fake clock: ContainerCreating then Running (one write each),
 * kubelet events, the kept-then-released copy of the last written conditions, deletion after the grace
 * period, freezing on a stopped node, and one clock timer for all pods.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../../../main/api/core/v1/pod-types.js';
import type { KObject } from '../../../../../main/api/meta/object.js';
import { PODS } from '../../../../../main/client/kube-client.js';
import { PodIpPool } from '../../../../../main/nodes/providers/simulated/address-pool.js';
import { KubeletEvents } from '../../../../../main/nodes/providers/simulated/kubelet-events.js';
import { PodRunner, type RunnerNode } from '../../../../../main/nodes/providers/simulated/pod-runner.js';
import { WriteQueue } from '../../../../../main/nodes/providers/simulated/write-queue.js';
import { FakeClock } from '../../fake-clock.js';
import { FakeKubeClient } from '../../fake-kube-client.js';

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

async function setup() {
  const client = new FakeKubeClient();
  const clock = new FakeClock();
  const events = new KubeletEvents(client, clock);
  const node: RunnerNode = { name: 'n1', hostIP: '172.18.0.2', podIPs: new PodIpPool('10.244.0.0/24'), podStartSeconds: 1, running: true };
  const runner = new PodRunner({ client, clock, events, writes: new WriteQueue(4), node: (n) => (n === 'n1' ? node : undefined), log: () => {} });
  /** Creates pods in the fake API and tells the runner, as the informer would. */
  const add = async (...names: string[]) => {
    for (const name of names) {
      const p = await client.create<Pod>(PODS, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
        spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx' }] },
      } as Pod);
      runner.upsert(p);
    }
  };
  /** The stored pod, delivered to the runner as the informer's echo of our writes. */
  const echo = (name: string) => {
    const p = client.objects.get(`pods/default/${name}`) as Pod;
    runner.upsert(p);
    return p;
  };
  return { client, clock, events, node, runner, add, echo };
}

const reasons = (client: FakeKubeClient) =>
  [...client.objects.entries()].filter(([k]) => k.startsWith('events/')).map(([, v]) => (v as KObject & { reason: string }).reason);

test('ContainerCreating, then Running after podStartSeconds with an IP; events; one clock timer for many pods', async () => {
  const { client, clock, events, runner, add, echo } = await setup();
  await add('a', 'b', 'c');
  assert.equal(clock.pending, 1, 'one clock timer for all pods');
  await settle();
  let a = echo('a');
  assert.equal(a.status?.phase, 'Pending');
  assert.equal(a.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
  clock.advance(1000);
  await settle();
  a = echo('a');
  echo('b');
  echo('c');
  assert.equal(a.status?.phase, 'Running');
  assert.match(a.status?.podIP ?? '', /^10\.244\.0\.\d+$/);
  assert.equal(client.writes.filter((w) => w === 'patch/status pods/default/a').length, 2);
  await events.flush();
  assert.deepEqual([...new Set(reasons(client))].sort(), ['Created', 'Pulled', 'Started']);
  assert.equal(runner.size, 3);
  assert.equal(clock.pending, 0, 'running forever: nothing is due');
});

test('the last written conditions are kept until the informer shows them', async () => {
  const { clock, runner, add, echo } = await setup();
  await add('a');
  await settle();
  const records = (runner as unknown as { records: Map<string, { lastConditions?: unknown }> }).records;
  assert.ok(records.get('default/a')?.lastConditions, 'kept while our write is not yet seen');
  echo('a');
  assert.equal(records.get('default/a')?.lastConditions, undefined, 'released on the echo');
  clock.advance(1000);
  await settle();
  const running = echo('a');
  const ready = running.status?.conditions?.find((c) => c.type === 'Initialized');
  assert.equal(ready?.lastTransitionTime, '2026-01-01T00:00:00Z', 'transition times survive the release');
});

test('deletion: Killing, then the final delete after the termination delay', async () => {
  const { client, clock, events, runner, add, echo } = await setup();
  await add('a');
  await settle();
  clock.advance(1000);
  await settle();
  const p = echo('a');
  runner.upsert({ ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:00:01Z', deletionGracePeriodSeconds: 30 } });
  await events.flush();
  assert.ok(reasons(client).includes('Killing'));
  assert.ok(client.objects.has('pods/default/a'));
  clock.advance(1000); // default termination-seconds 1
  await settle();
  assert.equal(client.objects.has('pods/default/a'), false);
  runner.remove(p);
  assert.equal(runner.size, 0);
  assert.equal(clock.pending, 0);
});

test('a stopped node freezes its pods; coming back resumes them', async () => {
  const { client, clock, node, runner, add, echo } = await setup();
  node.running = false;
  await add('a');
  await settle();
  assert.equal(client.writes.includes('patch/status pods/default/a'), false);
  node.running = true;
  runner.nodeChanged('n1');
  await settle();
  clock.advance(1000);
  await settle();
  assert.equal(echo('a').status?.phase, 'Running');
});
