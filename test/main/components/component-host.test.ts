/**
 * Components hosted by the control plane: in a worker thread (default) the component acts through the API as
 * its own user, answers calls and health probes; a crashed worker is restarted; stop ends it. Inline mode
 * offers the same handle.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import type { Node } from '../../../main/api/core/v1/node.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { LOOPBACK_USER } from '../../../main/apiserver/authn/user-info.js';
import { NODES, PODS, type KubeClient } from '../../../main/client/kube-client.js';
import { createLocalClient } from '../../../main/client/local-client.js';
import { startComponent, type ComponentMode } from '../../../main/components/component-host.js';
import { schedulerComponent } from '../../../main/scheduler/scheduler-component.js';
import { waitFor } from '../nodes/sim-cluster.js';
import { startTestCluster, type TestCluster } from '../../helpers/control-plane-fixture.js';

const readyNode = (name: string): Node => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
  },
} as Node);

const pendingPod = (name: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] },
} as Pod);

async function withCluster(fn: (tc: TestCluster, client: KubeClient) => Promise<void>): Promise<void> {
  const tc = await startTestCluster();
  try {
    const client = createLocalClient(tc.cp.server, LOOPBACK_USER);
    await client.create(NODES, '', readyNode('n1'));
    await fn(tc, client);
  } finally {
    await tc.stop();
  }
}

const boundTo = (client: KubeClient, name: string) => async () => (await client.get<Pod>(PODS, 'default', name)).spec?.nodeName;

for (const mode of ['worker', 'inline'] as ComponentMode[]) {
  test(`${mode}: the scheduler component schedules, answers calls, reports health and stops`, async () => {
    await withCluster(async (tc, client) => {
      const logs: string[] = [];
      const handle = await startComponent(schedulerComponent, { server: tc.cp.server, options: {}, log: (m) => logs.push(m), mode });
      try {
        assert.equal(handle.mode, mode);
        assert.deepEqual(await handle.health(), { healthy: true, message: 'ok' });
        const cpu = await handle.threadCpuMs();
        if (mode === 'inline' || process.platform !== 'linux') assert.equal(cpu, undefined);
        else assert.ok(typeof cpu === 'number' && cpu >= 0, `worker thread CPU: ${cpu}`);
        await client.create(PODS, 'default', pendingPod('p1'));
        assert.equal(await waitFor('p1 bound', boundTo(client, 'p1')), 'n1');
        const decisions = await handle.call('decisions');
        assert.deepEqual(decisions.map((d) => `${d.metadata.namespace}/${d.metadata.name}`), ['default/p1']);
        const metrics = await waitFor('scheduled counted', async () => ((await handle.call('metrics')).scheduled === 1 ? handle.call('metrics') : undefined));
        assert.equal(metrics.scheduled, 1);
        // The binding was made as the component's user agent (kube-scheduler), through the API.
        const ev = await waitFor('Scheduled event', async () =>
          (await client.list<any>({ group: '', version: 'v1', plural: 'events', namespaced: true }, 'default')).items.find((e) => e.reason === 'Scheduled'));
        assert.equal(ev.source?.component ?? ev.reportingComponent, 'default-scheduler');
      } finally {
        await handle.stop();
      }
      assert.equal((await handle.health()).healthy, false);
      if (mode === 'worker') await assert.rejects(handle.call('metrics'), /not running/);
      await client.create(PODS, 'default', pendingPod('after-stop'));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await boundTo(client, 'after-stop')(), undefined, 'a stopped scheduler binds nothing');
    });
  });
}

test('a worker that dies is logged, restarted, and carries on scheduling', async () => {
  await withCluster(async (tc, client) => {
    const logs: string[] = [];
    const handle = await startComponent(schedulerComponent, { server: tc.cp.server, options: {}, log: (m) => logs.push(m) });
    try {
      // Simulate a crash: the thread ends without the component being asked to stop.
      await (handle as unknown as { worker: Worker }).worker.terminate();
      assert.equal((await handle.health()).healthy, false);
      assert.ok(logs.some((l) => /scheduler: worker exited unexpectedly \(code 1\); restarting in 1 s/.test(l)), logs.join('\n'));
      await waitFor('healthy again', async () => (await handle.health()).healthy, 10_000);
      await client.create(PODS, 'default', pendingPod('p2'));
      assert.equal(await waitFor('p2 bound', boundTo(client, 'p2')), 'n1');
    } finally {
      await handle.stop();
    }
  });
});

test('a worker that does not answer a health probe in time (its thread is stuck) is unhealthy', async () => {
  await withCluster(async (tc) => {
    const handle = await startComponent(schedulerComponent, { server: tc.cp.server, options: {}, log: () => {}, healthProbeTimeoutMs: 300 });
    try {
      assert.equal((await handle.health()).healthy, true);
      // From the host's side a stuck thread is one that never answers: drop the probes on their way.
      const worker = (handle as unknown as { worker: Worker }).worker;
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (m: { t: string }) => (m.t === 'probe' ? undefined : post(m));
      assert.deepEqual(await handle.health(), { healthy: false, message: 'scheduler did not answer a health probe within 0.3 s' });
      worker.postMessage = post;
      assert.equal((await handle.health()).healthy, true, 'healthy again once it answers');
    } finally {
      await handle.stop();
    }
  });
});

test('a component that cannot start rejects startComponent with its error', async () => {
  const tc = await startTestCluster();
  try {
    const broken = { ...schedulerComponent, name: 'no-such-component' };
    await assert.rejects(startComponent(broken, { server: tc.cp.server, options: {}, log: () => {} }), /no-such-component failed to start: unknown component "no-such-component"/);
  } finally {
    await tc.stop();
  }
});
