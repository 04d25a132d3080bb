/**
 * One simulated kubelet's node half against an in-memory client and a fake clock: registration, Lease renewals
 * every 10 s from a jittered start, node status at least every 5 minutes and on change, NotReady, Stopped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from '../../../../../main/api/core/v1/node.js';
import type { Lease } from '../../../../../main/api/coordination.k8s.io/v1/lease.js';
import type { SimulatedNode } from '../../../../../main/api/pilothouse.dev/v1alpha1/simulated-node.js';
import { LEASES, NODES } from '../../../../../main/client/kube-client.js';
import { NodeIpPool, PodCidrPool } from '../../../../../main/nodes/providers/simulated/address-pool.js';
import { heartbeatGridMs, NodeAgent } from '../../../../../main/nodes/providers/simulated/node-agent.js';
import { labelPatch, mergeTaints, type NodeCondition } from '../../../../../main/nodes/providers/simulated/node-object.js';
import { WriteQueue } from '../../../../../main/nodes/providers/simulated/write-queue.js';
import { FakeClock } from '../../fake-clock.js';
import { FakeKubeClient } from '../../fake-kube-client.js';

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

function setup(spec: SimulatedNode['spec'] = {}, awaitPodCidrMs = 0, clock = new FakeClock(), random = () => 0.5, gridMs = 1000) {
  const client = new FakeKubeClient();
  const reports: string[] = [];
  const sn: SimulatedNode = { apiVersion: 'pilothouse.dev/v1alpha1', kind: 'SimulatedNode', metadata: { name: 'n1', uid: 'sn-uid', generation: 1 }, spec };
  const agent = new NodeAgent(sn, {
    client,
    clock,
    registrations: new WriteQueue(4),
    heartbeats: new WriteQueue(4),
    podCidrs: new PodCidrPool(),
    nodeIPs: new NodeIpPool(),
    bootID: 'boot-1',
    leaseSeconds: 10,
    heartbeatGridMs: () => gridMs,
    statusSeconds: 300,
    awaitPodCidrMs,
    observedNode: (name) => client.objects.get(`nodes//${name}`) as Node | undefined,
    report: (a) => reports.push(a.phase),
    log: () => {},
    random,
  });
  return { client, clock, agent, reports, sn };
}

test('with node-ipam: registers without a pod CIDR, adopts the assigned one, or falls back to its pool', async () => {
  const { client, clock, agent } = setup({}, 5_000);
  agent.ensureRegistered();
  await settle();
  const node = client.objects.get('nodes//n1') as Node;
  assert.equal(node.spec?.podCIDR, undefined);
  assert.equal(agent.running, false, 'pods wait for a pod CIDR');
  // The controller assigns one; the provider's node watch hands it over.
  const assigned = await client.patch<Node>(NODES, '', 'n1', 'merge', { spec: { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] } });
  assert.equal(agent.podCidrObserved(assigned), true);
  assert.equal(agent.running, true);
  assert.equal(agent.podIPs.allocate(), '10.244.7.2');
  clock.advance(10_000);
  await settle();
  assert.equal((client.objects.get('nodes//n1') as Node).spec?.podCIDR, '10.244.7.0/24', 'no fallback once assigned');

  const other = setup({}, 5_000);
  other.agent.ensureRegistered();
  await settle();
  assert.equal(other.agent.running, false);
  other.clock.advance(5_000);
  await settle();
  assert.deepEqual((other.client.objects.get('nodes//n1') as Node).spec?.podCIDRs, ['10.244.0.0/24']);
  assert.equal(other.agent.running, true);
});

test('registers the Node with its status, creates the Lease, then renews it every 10 s', async () => {
  const { client, clock, agent, reports } = setup({ capacity: { cpu: '2' }, taints: [{ key: 'k', effect: 'NoSchedule' }] });
  agent.ensureRegistered();
  await settle();
  const node = client.objects.get('nodes//n1') as Node;
  assert.equal(node.spec?.podCIDR, '10.244.0.0/24');
  assert.deepEqual(node.spec?.taints, [{ key: 'k', effect: 'NoSchedule' }]);
  assert.equal(node.status?.capacity?.['cpu'], '2');
  assert.equal(node.status?.addresses?.[0]?.address, '172.18.0.2');
  assert.deepEqual(reports, ['Ready']);
  assert.equal(agent.running, true);
  const lease = client.objects.get('leases/kube-node-lease/n1') as Lease;
  assert.equal(lease.spec?.holderIdentity, 'n1');
  assert.deepEqual(lease.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['Node', 'n1', node.metadata.uid]]);
  assert.equal(lease.spec?.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.deepEqual(client.writes, ['create nodes//n1', 'create leases/kube-node-lease/n1'], 'no status post right after registering');

  client.writes.length = 0;
  clock.advance(5_000); // jittered first renewal at 0.5 × 10 s
  await settle();
  clock.advance(10_000);
  await settle();
  clock.advance(10_000);
  await settle();
  assert.deepEqual(client.writes, Array(3).fill('update leases/kube-node-lease/n1'));
  assert.equal((client.objects.get('leases/kube-node-lease/n1') as Lease).spec?.renewTime, '2026-01-01T00:00:25.000000Z');

  client.writes.length = 0;
  for (let i = 0; i < 30; i++) {
    clock.advance(10_000);
    await settle();
  }
  assert.equal(client.writes.filter((w) => w.startsWith('patch/status nodes')).length, 1, 'one status post in 5 minutes');
  assert.equal(client.writes.filter((w) => w.startsWith('update leases')).length, 30);
});

test('heartbeatGridMs: one instant per lease period up to 250 nodes, then just enough instants', () => {
  assert.equal(heartbeatGridMs(1, 10_000), 10_000);
  assert.equal(heartbeatGridMs(250, 10_000), 10_000);
  assert.equal(heartbeatGridMs(251, 10_000), 5_000);
  assert.equal(heartbeatGridMs(1_000, 10_000), 2_000);
  assert.equal(heartbeatGridMs(5_000, 10_000), 500);
  assert.equal(heartbeatGridMs(1_000_000, 10_000), 100);
});

test('renewals land on the grid (here whole seconds), every 10 s from a jittered start', async () => {
  const start = Date.parse('2026-01-01T00:00:00.300Z');
  const { client, clock, agent } = setup({}, 0, new FakeClock(start), () => 0.123); // 1.23 s jitter
  agent.ensureRegistered();
  await settle();
  const renewTimes: string[] = [];
  for (let i = 0; i < 40; i++) {
    clock.advance(100);
    await settle();
    const t = (client.objects.get('leases/kube-node-lease/n1') as Lease).spec?.renewTime;
    if (t && t !== renewTimes.at(-1)) renewTimes.push(t);
  }
  for (let i = 0; i < 20; i++) {
    clock.advance(1_000);
    await settle();
    const t = (client.objects.get('leases/kube-node-lease/n1') as Lease).spec?.renewTime;
    if (t && t !== renewTimes.at(-1)) renewTimes.push(t);
  }
  // Registered at 0.300 s; the first renewal, 1.23 s later (1.530 s), moves to the nearest whole second (2 s).
  assert.deepEqual(renewTimes, ['2026-01-01T00:00:00.300000Z', '2026-01-01T00:00:02.000000Z', '2026-01-01T00:00:12.000000Z', '2026-01-01T00:00:22.000000Z']);
});

test('renewals send the Lease without managedFields (an update that omits them keeps the stored ones)', async () => {
  const { client, clock, agent } = setup();
  const sent: Lease[] = [];
  const update = client.update.bind(client);
  client.update = (async (r, ns, obj, opts) => {
    if (r === LEASES) sent.push(obj as Lease);
    const out = await update(r, ns, obj, opts);
    return { ...out, metadata: { ...out.metadata, managedFields: [{ manager: 'kubelet', operation: 'Update' }] } };
  }) as typeof client.update;
  agent.ensureRegistered();
  await settle();
  for (let i = 0; i < 3; i++) {
    clock.advance(10_000);
    await settle();
  }
  assert.equal(sent.length, 3);
  for (const l of sent) assert.equal(l.metadata.managedFields, undefined);
});

test('NotReady keeps the lease and reports Ready=False (KubeletNotReady); Stopped goes silent; Ready resumes', async () => {
  const { client, clock, agent, sn, reports } = setup();
  agent.ensureRegistered();
  await settle();
  agent.update({ ...sn, metadata: { ...sn.metadata, generation: 2 }, spec: { state: 'NotReady' } });
  await settle();
  const readyOf = () => ((client.objects.get('nodes//n1') as Node).status?.conditions as NodeCondition[]).find((c) => c.type === 'Ready');
  let ready = readyOf();
  assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['False', 'KubeletNotReady', 'container runtime is down']);
  assert.equal(ready?.lastTransitionTime, '2026-01-01T00:00:00Z');
  client.writes.length = 0;
  clock.advance(20_000);
  await settle();
  assert.ok(client.writes.some((w) => w.startsWith('update leases')), 'heartbeats continue while NotReady');

  agent.update({ ...sn, metadata: { ...sn.metadata, generation: 3 }, spec: { state: 'Stopped' } });
  await settle();
  assert.equal(agent.running, false);
  client.writes.length = 0;
  clock.advance(600_000);
  await settle();
  assert.deepEqual(client.writes, [], 'a stopped node writes nothing');

  agent.update({ ...sn, metadata: { ...sn.metadata, generation: 4 }, spec: { state: 'Ready' } });
  await settle();
  ready = readyOf();
  assert.deepEqual([ready?.status, ready?.reason, ready?.lastTransitionTime], ['True', 'KubeletReady', '2026-01-01T00:10:20Z']);
  assert.deepEqual(reports, ['Ready', 'NotReady', 'Stopped', 'Ready']);
});

test('spec label and taint changes: provider-owned ones follow, others stay', () => {
  const before: SimulatedNode = { metadata: { name: 'n' }, spec: { labels: { a: '1', b: '2' } } };
  const after: SimulatedNode = { metadata: { name: 'n' }, spec: { labels: { a: '1', c: '3' } } };
  const patch = labelPatch({ a: '1', b: '2', 'kubernetes.io/hostname': 'n', manual: 'x' }, before, after);
  assert.equal(patch['b'], null);
  assert.equal(patch['c'], '3');
  assert.ok(!('manual' in patch) && !('a' in patch));
  const cordon = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
  assert.deepEqual(
    mergeTaints([cordon, { key: 'old', effect: 'NoSchedule' }], [{ key: 'old', effect: 'NoSchedule' }], [{ key: 'new', effect: 'NoExecute' }]),
    [cordon, { key: 'new', effect: 'NoExecute' }],
  );
});

test('a Node deleted behind the agent is registered again', async () => {
  const { client, clock, agent } = setup();
  agent.ensureRegistered();
  await settle();
  await client.delete(NODES, '', 'n1');
  agent.nodeVanished();
  await settle();
  assert.ok(client.objects.get('nodes//n1'), 're-registered');
  clock.advance(10_000);
  await settle();
  assert.ok(await client.get(LEASES, 'kube-node-lease', 'n1'));
});
