/**
 * The simulated node provider end to end inside one process: registration like a kubelet, leases, pod
 * lifecycle (ContainerCreating → Running with an IP from the node's pod CIDR, completion, deletion), state
 * changes (NotReady, Stopped), runtime add/remove, and node GC.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Node } from '../../../../../main/api/core/v1/node.js';
import type { Pod } from '../../../../../main/api/core/v1/pod-types.js';
import type { Lease } from '../../../../../main/api/coordination.k8s.io/v1/lease.js';
import type { SimulatedNode } from '../../../../../main/api/pilothouse.dev/v1alpha1/simulated-node.js';
import { isNotFound, LEASES, NODES, PODS } from '../../../../../main/client/kube-client.js';
import { parseCidr, ipToInt } from '../../../../../main/nodes/providers/simulated/address-pool.js';
import { SIMULATED_NODES } from '../../../../../main/nodes/providers/simulated/simulated-node-provider.js';
import { startSimCluster, waitFor, type SimCluster } from '../../sim-cluster.js';

let c: SimCluster;
before(async () => {
  c = await startSimCluster({ count: 3 });
});
after(async () => {
  await c.stop();
});

const readyStatus = (n: Node) => n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
const getNode = (name: string) => c.client.get<Node>(NODES, '', name);
const getPod = (name: string) => c.client.get<Pod>(PODS, 'default', name);
const gone = async (f: () => Promise<unknown>) => f().then(() => false, (e) => isNotFound(e));

function pod(name: string, extra: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { nodeName: 'sim-node-1', containers: [{ name: 'app', image: 'nginx' }], ...extra },
  } as Pod;
}

test('--simulated-nodes 3 registers three Ready nodes like kubelets', async () => {
  for (const name of ['sim-node-1', 'sim-node-2', 'sim-node-3']) {
    // The pod CIDR comes from the node-ipam controller (the control plane runs it), just after registration.
    const node = await waitFor(`${name} Ready with a pod CIDR`, async () => {
      const n = await getNode(name);
      return readyStatus(n) === 'True' && n.spec?.podCIDR ? n : undefined;
    });
    const labels = node.metadata.labels ?? {};
    assert.equal(labels['kubernetes.io/hostname'], name);
    assert.equal(labels['kubernetes.io/os'], 'linux');
    assert.equal(labels['kubernetes.io/arch'], 'amd64');
    assert.equal(labels['node.kubernetes.io/instance-type'], 'simulated');
    assert.equal(labels['pilothouse.dev/simulated'], 'true');
    assert.match(node.spec?.podCIDR ?? '', /^10\.244\.\d+\.0\/24$/);
    assert.deepEqual(node.spec?.podCIDRs, [node.spec?.podCIDR]);
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
    assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'pilothouse-sim://0.1');
    assert.deepEqual(node.status?.capacity, { cpu: '4', memory: '16Gi', pods: '110', 'ephemeral-storage': '100Gi' });
    assert.deepEqual(node.status?.allocatable, node.status?.capacity);
    assert.deepEqual(node.status?.conditions?.map((x) => [x.type, x.status, x.reason]), [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ['Ready', 'True', 'KubeletReady'],
    ]);
    assert.deepEqual(node.status?.addresses?.map((a) => a.type), ['InternalIP', 'Hostname']);
    const lease = await waitFor(`${name} lease`, () => c.client.get<Lease>(LEASES, 'kube-node-lease', name).catch(() => undefined));
    assert.equal(lease.spec?.holderIdentity, name);
    assert.equal(lease.spec?.leaseDurationSeconds, 40);
    assert.match(lease.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const sn = await waitFor(`${name} status`, async () => {
      const s = await c.client.get<SimulatedNode>(SIMULATED_NODES, '', name);
      return s.status?.phase === 'Ready' ? s : undefined;
    });
    assert.equal(sn.status?.nodeName, name);
  }
  const cidrs = new Set(await Promise.all(['sim-node-1', 'sim-node-2', 'sim-node-3'].map(async (n) => (await getNode(n)).spec?.podCIDR)));
  assert.equal(cidrs.size, 3, 'pod CIDRs are unique');
});

test('a pod bound with spec.nodeName goes ContainerCreating → Running with an IP from the node CIDR', async () => {
  await c.client.create(PODS, 'default', pod('web'));
  const running = await waitFor('web Running', async () => {
    const p = await getPod('web');
    return p.status?.phase === 'Running' ? p : undefined;
  });
  const node = await getNode('sim-node-1');
  const cidr = parseCidr(node.spec!.podCIDR!)!;
  const ip = ipToInt(running.status!.podIP!)!;
  assert.ok(ip > cidr.base && ip < cidr.base + cidr.size, `${running.status!.podIP} in ${node.spec!.podCIDR}`);
  assert.deepEqual(running.status?.podIPs, [{ ip: running.status!.podIP }]);
  assert.equal(running.status?.hostIP, node.status?.addresses?.[0]?.address);
  const cs = running.status!.containerStatuses![0]!;
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.image, 'docker.io/library/nginx:latest');
  assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(cs.containerID ?? '', /^pilothouse-sim:\/\/[0-9a-f]{64}$/);
  assert.ok(cs.state?.running?.startedAt);
  assert.deepEqual(running.status?.conditions?.map((x) => [x.type, x.status]), [
    ['PodReadyToStartContainers', 'True'],
    ['Initialized', 'True'],
    ['Ready', 'True'],
    ['ContainersReady', 'True'],
    ['PodScheduled', 'True'],
  ]);
});

test('restartPolicy Never with run-seconds completes; exit-code 3 fails', async () => {
  await c.client.create(PODS, 'default', pod('job-ok', { restartPolicy: 'Never' }, { 'pilothouse.dev/run-seconds': '0.2' }));
  await c.client.create(PODS, 'default', pod('job-bad', { restartPolicy: 'Never' }, { 'pilothouse.dev/run-seconds': '0.2', 'pilothouse.dev/exit-code': '3' }));
  const ok = await waitFor('job-ok Succeeded', async () => ((await getPod('job-ok')).status?.phase === 'Succeeded' ? getPod('job-ok') : undefined));
  assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
  assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
  assert.equal(ok.status?.conditions?.find((x) => x.type === 'Ready')?.reason, 'PodCompleted');
  const bad = await waitFor('job-bad Failed', async () => ((await getPod('job-bad')).status?.phase === 'Failed' ? getPod('job-bad') : undefined));
  assert.equal(bad.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
  assert.equal(bad.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
});

test('a pod created without a node is run once it is bound (the bound-pods informer sees it appear)', async () => {
  const p = pod('later');
  delete (p.spec as { nodeName?: string }).nodeName;
  p.spec.nodeSelector = { 'kubernetes.io/hostname': 'sim-node-3' };
  await c.client.create(PODS, 'default', p);
  const running = await waitFor('later Running', async () => {
    const x = await getPod('later');
    return x.status?.phase === 'Running' ? x : undefined;
  });
  assert.equal(running.spec.nodeName, 'sim-node-3');
  assert.ok(running.status?.podIP);
});

test('deleting a running pod: the simulated kubelet finishes the deletion', async () => {
  await c.client.create(PODS, 'default', pod('doomed', { terminationGracePeriodSeconds: 30 }, { 'pilothouse.dev/termination-seconds': '0.1' }));
  await waitFor('doomed Running', async () => (await getPod('doomed')).status?.phase === 'Running');
  await c.client.delete(PODS, 'default', 'doomed');
  const p = await getPod('doomed').catch(() => undefined);
  if (p) assert.ok(p.metadata.deletionTimestamp, 'graceful: marked first');
  await waitFor('doomed gone', () => gone(() => getPod('doomed')));
});

test('state NotReady flips the Ready condition, Stopped freezes, Ready resumes', async () => {
  await c.client.patch(SIMULATED_NODES, '', 'sim-node-2', 'merge', { spec: { state: 'NotReady' } });
  const nr = await waitFor('NotReady', async () => {
    const n = await getNode('sim-node-2');
    return readyStatus(n) === 'False' ? n : undefined;
  });
  const ready = nr.status!.conditions!.find((x) => x.type === 'Ready')!;
  assert.equal(ready.reason, 'KubeletNotReady');
  await c.client.patch(SIMULATED_NODES, '', 'sim-node-2', 'merge', { spec: { state: 'Stopped' } });
  await waitFor('Stopped phase', async () => (await c.client.get<SimulatedNode>(SIMULATED_NODES, '', 'sim-node-2')).status?.phase === 'Stopped');
  await c.client.create(PODS, 'default', pod('frozen', { nodeName: 'sim-node-2' }));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await c.client.get<Pod>(PODS, 'default', 'frozen')).status?.containerStatuses, undefined, 'a stopped node does nothing');
  await c.client.patch(SIMULATED_NODES, '', 'sim-node-2', 'merge', { spec: { state: 'Ready' } });
  await waitFor('Ready again', async () => readyStatus(await getNode('sim-node-2')) === 'True');
  await waitFor('frozen runs', async () => (await c.client.get<Pod>(PODS, 'default', 'frozen')).status?.phase === 'Running');
});

test('SimulatedNodes added and removed at runtime; removal force-deletes bound pods, the Lease and the Node', async () => {
  await c.client.create(SIMULATED_NODES, '', {
    apiVersion: 'pilothouse.dev/v1alpha1',
    kind: 'SimulatedNode',
    metadata: { name: 'extra' },
    spec: { capacity: { cpu: '8', 'nvidia.com/gpu': '2' }, labels: { disktype: 'ssd' }, taints: [{ key: 'gpu', effect: 'NoSchedule' }], podStartSeconds: 0 },
  });
  const node = await waitFor('extra Ready', async () => {
    const n = await getNode('extra').catch(() => undefined);
    return n && readyStatus(n) === 'True' ? n : undefined;
  });
  assert.equal(node.status?.capacity?.['nvidia.com/gpu'], '2');
  assert.equal(node.metadata.labels?.['disktype'], 'ssd');
  assert.deepEqual(node.spec?.taints, [{ key: 'gpu', effect: 'NoSchedule' }]);
  await c.client.patch(SIMULATED_NODES, '', 'extra', 'merge', { spec: { labels: { disktype: null, zone: 'b' } } });
  await waitFor('labels follow', async () => {
    const l = (await getNode('extra')).metadata.labels ?? {};
    return l['zone'] === 'b' && !('disktype' in l);
  });
  await c.client.create(PODS, 'default', pod('on-extra', { nodeName: 'extra' }));
  await waitFor('on-extra Running', async () => (await getPod('on-extra')).status?.phase === 'Running');
  await c.client.delete(SIMULATED_NODES, '', 'extra');
  await waitFor('node gone', () => gone(() => getNode('extra')));
  await waitFor('lease gone', () => gone(() => c.client.get(LEASES, 'kube-node-lease', 'extra')));
  await waitFor('pod gone', () => gone(() => getPod('on-extra')));
});

test('real nodes are left alone', async () => {
  await c.client.create<Node>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'real-1' } });
  await c.client.create(PODS, 'default', pod('on-real', { nodeName: 'real-1' }));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await getPod('on-real')).status?.containerStatuses, undefined);
  assert.ok(await getNode('real-1'));
});
