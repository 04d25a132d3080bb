/**
 * The provider on a caller's SharedInformerFactory (as the control plane can share the scheduler's): it follows
 * the shared, unfiltered caches, indexes pods by spec.nodeName there, runs pods, and stopping the provider
 * leaves the factory's informers running for their other users.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pod } from '../../../../../main/api/core/v1/pod-types.js';
import { LOOPBACK_USER } from '../../../../../main/apiserver/authn/user-info.js';
import { PODS } from '../../../../../main/client/kube-client.js';
import { createLocalClient } from '../../../../../main/client/local-client.js';
import { SharedInformerFactory } from '../../../../../main/client/shared-informer-factory.js';
import { startControlPlane } from '../../../../../main/control-plane/control-plane.js';
import { ensureSimulatedNodes } from '../../../../../main/nodes/providers/simulated/ensure-simulated-nodes.js';
import { POD_NODE_NAME_INDEX, SimulatedNodeProvider } from '../../../../../main/nodes/providers/simulated/simulated-node-provider.js';
import { openMemoryStore } from '../../../../../main/store/memory-store.js';
import { waitFor } from '../../sim-cluster.js';

const pod = (name: string, nodeName?: string): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'nginx' }] } }) as Pod;

test('a shared factory: one pod cache, indexed by node; the provider does not stop it', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-sim-shared-'));
  const cp = await startControlPlane({ dataDir, apiPort: 0, store: openMemoryStore(), log: () => {}, components: { scheduler: false, simulatedNodes: false, controllerManager: false } });
  const client = createLocalClient(cp.server, LOOPBACK_USER);
  const factory = new SharedInformerFactory(client, { log: () => {} });
  const pods = factory.informerFor<Pod>(PODS); // another component's informer, started first
  factory.start();
  await factory.waitForSync();
  const provider = new SimulatedNodeProvider({ client, informers: factory, log: () => {} });
  await provider.start();
  await ensureSimulatedNodes(client, 1);
  try {
    await client.create(PODS, 'default', pod('pending')); // no node: cached (shared, unfiltered) but not run
    await client.create(PODS, 'default', pod('bound', 'sim-node-1'));
    await waitFor('bound Running', async () => (await client.get<Pod>(PODS, 'default', 'bound')).status?.phase === 'Running');
    assert.deepEqual(pods.store.byIndex(POD_NODE_NAME_INDEX, 'sim-node-1').map((p) => p.metadata.name), ['bound']);
    assert.ok(pods.store.get('default/pending'), 'the shared informer is not filtered');
    assert.equal((await client.get<Pod>(PODS, 'default', 'pending')).status?.containerStatuses, undefined);
    await provider.stop();
    await client.create(PODS, 'default', pod('after'));
    await waitFor('shared informer still running', () => pods.store.get('default/after'));
  } finally {
    await provider.stop();
    factory.stop();
    await cp.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
