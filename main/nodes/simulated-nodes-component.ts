/**
 * The simulated node provider as a control-plane component: a client acting as the simulated kubelets
 * (User-Agent "kubelet/v1.32.0 ...", so field managers read "kubelet"), the provider started, and the
 * `--simulated-nodes` count ensured. It always runs, so SimulatedNodes can be added at runtime.
 */
import { SYSTEM_MASTERS } from '../apiserver/authn/user-info.js';
import type { ComponentDefinition } from '../components/component.js';
import { ensureSimulatedNodes } from './providers/simulated/ensure-simulated-nodes.js';
import { SimulatedNodeProvider } from './providers/simulated/simulated-node-provider.js';

export interface SimulatedNodesComponentOptions {
  /** Ensure SimulatedNodes sim-node-1..count exist. */
  count?: number;
  /** See SimulatedNodeProviderOptions.awaitPodCidrSeconds (set when the controller manager runs node-ipam). */
  awaitPodCidrSeconds?: number;
}

export type SimulatedNodesCalls = {
  /** Resolves when no registration, heartbeat, pod status, cleanup or kubelet event write is queued or in flight. */
  idle(): Promise<void>;
};

export const SIMULATED_KUBELET_USER = { username: 'system:pilothouse:simulated-kubelet', groups: [SYSTEM_MASTERS, 'system:authenticated'] };

export const simulatedNodesComponent: ComponentDefinition<SimulatedNodesComponentOptions, SimulatedNodesCalls> = {
  name: 'simulated-nodes',
  user: SIMULATED_KUBELET_USER,
  userAgent: 'kubelet/v1.32.0 (linux/amd64) pilothouse-simulated',
  async start({ client, options, log }) {
    const provider = new SimulatedNodeProvider({ client, log, awaitPodCidrSeconds: options.awaitPodCidrSeconds });
    await provider.start();
    await ensureSimulatedNodes(client, options.count ?? 0);
    return {
      health: () => ({ healthy: true, message: 'ok' }),
      calls: { idle: () => provider.idle() },
      stop: () => provider.stop(),
    };
  },
};
