/**
 * In-process end to end: a control plane (which starts the scheduler), Nodes created directly with status
 * capacity/allocatable, pods bound through pods/binding, FailedScheduling with upstream's message and
 * PodScheduled=False, SchedulingDecision served through the API, and an unknown schedulerName left Pending.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LOOPBACK_USER } from '../../../main/apiserver/authn/user-info.js';
import { createLocalClient } from '../../../main/client/local-client.js';
import { EVENTS, NODES, PODS, type KubeClient } from '../../../main/client/kube-client.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { KObject } from '../../../main/api/meta/object.js';
import { startTestCluster, type TestCluster } from '../../helpers/control-plane-fixture.js';

let cluster: TestCluster;
let client: KubeClient;

before(async () => {
  cluster = await startTestCluster({ allComponents: true });
  client = createLocalClient(cluster.cp.server, LOOPBACK_USER);
  for (const [name, cpu, taint] of [['n1', '2', false], ['n2', '2', false], ['n3', '8', true]] as const) {
    await client.create(NODES, '', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, disk: name === 'n2' ? 'ssd' : 'hdd' } },
      spec: taint ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
      status: {
        capacity: { cpu, memory: '4Gi', pods: '110' },
        allocatable: { cpu, memory: '4Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }],
      },
    });
  }
});

after(async () => {
  await cluster.stop();
});

function pod(name: string, spec: Record<string, unknown> = {}, cpu = '100m'): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }], ...spec },
  } as Pod;
}

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const nodeOf = (name: string) => waitFor(async () => (await client.get<Pod>(PODS, 'default', name)).spec.nodeName || undefined);

test('binds pods, honouring nodeSelector; Scheduled event', async () => {
  await client.create(PODS, 'default', pod('a'));
  await client.create(PODS, 'default', pod('ssd', { nodeSelector: { disk: 'ssd' } }));
  assert.ok(['n1', 'n2'].includes(await nodeOf('a')));
  assert.equal(await nodeOf('ssd'), 'n2');
  const ev = await waitFor(async () => {
    const evs = await client.list<KObject & { reason?: string; message?: string }>(EVENTS, 'default');
    return evs.items.find((e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/ssd to n2');
  });
  assert.ok(ev);
  const p = await client.get<Pod>(PODS, 'default', 'ssd');
  assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
});

test('insufficient cpu: FailedScheduling with upstream message, PodScheduled=False, decision record', async () => {
  await client.create(PODS, 'default', pod('big', {}, '3'));
  const want = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  const cond = await waitFor(async () => {
    const p = await client.get<Pod>(PODS, 'default', 'big');
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
  });
  assert.equal(cond.status, 'False');
  assert.equal(cond.reason, 'Unschedulable');
  assert.equal(cond.message, want);
  const ev = await waitFor(async () => {
    const evs = await client.list<KObject & { reason?: string; message?: string; type?: string }>(EVENTS, 'default');
    return evs.items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject && (e.involvedObject as { name: string }).name === 'big');
  });
  assert.equal(ev.message, want);
  assert.equal(ev.type, 'Warning');
  const res = await cluster.admin.get('/apis/scheduling.pilothouse.dev/v1alpha1/namespaces/default/schedulingdecisions/big');
  assert.equal(res.status, 200);
  assert.equal(res.body.status.result, 'Unschedulable');
  assert.equal(res.body.attempts[0].reasonCounts['Insufficient cpu'], 2);
  const failures = res.body.attempts[0].filterFailures as { node: string; plugin: string }[];
  assert.equal(failures.find((f) => f.node === 'n3')?.plugin, 'TaintToleration');
});

test('a pod for an unknown scheduler stays Pending without events', async () => {
  await client.create(PODS, 'default', pod('other', { schedulerName: 'my-scheduler' }));
  await new Promise((r) => setTimeout(r, 300));
  const p = await client.get<Pod>(PODS, 'default', 'other');
  assert.equal(p.spec.nodeName, undefined);
  assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled'), undefined);
});

test('componentstatuses report the scheduler healthy', async () => {
  const res = await cluster.admin.get('/api/v1/componentstatuses/scheduler');
  assert.equal(res.body.conditions[0].status, 'True');
});

test('a pod still backing off when a node that fits appears is released from backoff and bound', async () => {
  await client.create(PODS, 'default', pod('late', { nodeSelector: { disk: 'late' } }));
  await waitFor(async () => {
    const p = await client.get<Pod>(PODS, 'default', 'late');
    return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
  });
  // Within the pod's 1 s initial backoff: the node event moves it to backoffQ, which only the scheduler's
  // backoff flush (armed while backoffQ has pods) releases.
  await client.create(NODES, '', {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n-late', labels: { 'kubernetes.io/hostname': 'n-late', disk: 'late' } },
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok' }],
    },
  });
  assert.equal(await nodeOf('late'), 'n-late');
});
