/**
 * An in-process control plane (memory store) with its components (scheduler, simulated nodes) running, plus an admin
 * LocalClient and a polling helper, for the simulated-node tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK_USER } from '../../../main/apiserver/authn/user-info.js';
import type { KubeClient } from '../../../main/client/kube-client.js';
import { createLocalClient } from '../../../main/client/local-client.js';
import { startControlPlane, type ControlPlane } from '../../../main/control-plane/control-plane.js';
import { openMemoryStore } from '../../../main/store/memory-store.js';

export interface SimCluster {
  cp: ControlPlane;
  client: KubeClient;
  stop(): Promise<void>;
}

export async function startSimCluster(opts: { count?: number } = {}): Promise<SimCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-sim-'));
  const cp = await startControlPlane({ dataDir, apiPort: 0, store: openMemoryStore(), log: () => {}, simulatedNodes: opts.count });
  const client = createLocalClient(cp.server, LOOPBACK_USER);
  return {
    cp,
    client,
    async stop() {
      await cp.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { waitFor } from '../../helpers/wait-for.js';
