/**
 * Wiring of the simulated node provider into a control plane: an in-process client acting as the simulated
 * kubelets (User-Agent "kubelet/v1.32.0 ...", so field managers read "kubelet"), the provider started, and the
 * `--simulated-nodes` count ensured. The provider always runs, so SimulatedNodes can be added at runtime.
 */
import type { ApiServer } from '../apiserver/api-server.js';
import { SYSTEM_MASTERS } from '../apiserver/authn/user-info.js';
import { createLocalClient } from '../client/local-client.js';
import { ensureSimulatedNodes } from './providers/simulated/ensure-simulated-nodes.js';
import { SimulatedNodeProvider, type SimulatedNodeProviderOptions } from './providers/simulated/simulated-node-provider.js';

export const SIMULATED_KUBELET_USER = { username: 'system:pilothouse:simulated-kubelet', groups: [SYSTEM_MASTERS, 'system:authenticated'] };

export interface StartSimulatedNodesOptions extends Omit<SimulatedNodeProviderOptions, 'client'> {
  /** Ensure SimulatedNodes sim-node-1..count exist. */
  count?: number;
}

export async function startSimulatedNodes(server: ApiServer, opts: StartSimulatedNodesOptions = {}): Promise<SimulatedNodeProvider> {
  const client = createLocalClient(server, SIMULATED_KUBELET_USER, { userAgent: 'kubelet/v1.32.0 (linux/amd64) pilothouse-simulated' });
  const provider = new SimulatedNodeProvider({ ...opts, client });
  await provider.start();
  await ensureSimulatedNodes(client, opts.count ?? 0);
  return provider;
}
