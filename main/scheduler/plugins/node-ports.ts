/**
 * NodePorts (PreFilter, Filter): a pod's hostPorts must be free on the node. 0.0.0.0 (or an empty hostIP)
 * conflicts with any IP on the same protocol/port; the protocol defaults to TCP (HostPortInfo rules).
 * Unschedulable (not unresolvable): preempting the pod holding the port frees it.
 */
import {
  ActionType,
  Status,
  podHostPorts,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type Pod,
  type PluginFactory,
  type PluginStatus,
  type PodInfo,
  type PreFilterOutcome,
  type PreFilterPlugin,
} from '../framework/types.js';
import type { ContainerPort as ContainerPortLike } from '../../api/core/v1/pod-types.js';
import { Names } from './names.js';
import { readShared, writeShared } from './util/state.js';

export const NODE_PORTS_ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
const STATE_KEY = 'PreFilterNodePorts';

export function fitsPorts(want: readonly ContainerPortLike[], nodeInfo: NodeInfo): boolean {
  for (const p of want) if (nodeInfo.usedPorts.checkConflict(p.hostIP, p.protocol, p.hostPort ?? 0)) return false;
  return true;
}

function portsConflict(a: readonly ContainerPortLike[], b: readonly ContainerPortLike[]): boolean {
  const norm = (ip?: string) => ip || '0.0.0.0';
  for (const x of a) {
    for (const y of b) {
      if ((x.protocol || 'TCP') !== (y.protocol || 'TCP') || x.hostPort !== y.hostPort) continue;
      const ix = norm(x.hostIP);
      const iy = norm(y.hostIP);
      if (ix === iy || ix === '0.0.0.0' || iy === '0.0.0.0') return true;
    }
  }
  return false;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Names.NodePorts;

  preFilter(state: CycleState, pi: PodInfo): PreFilterOutcome {
    const ports = podHostPorts(pi.pod);
    if (ports.length === 0) return { status: Status.skip() };
    writeShared(state, STATE_KEY, ports);
    return { status: null };
  }

  filter(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const want = readShared<ContainerPortLike[]>(state, STATE_KEY) ?? podHostPorts(pi.pod);
    return fitsPorts(want, nodeInfo) ? null : Status.unschedulable(NODE_PORTS_ERR_REASON);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete, label: 'AssignedPodDelete' },
        queueingHintFn: (pod, oldObj) => {
          const deleted = oldObj as Pod | undefined;
          if (!deleted?.spec?.nodeName) return 'QueueSkip';
          return portsConflict(podHostPorts(pod), podHostPorts(deleted)) ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.Update, label: 'NodeAddOrUpdate' } },
    ];
  }
}

export const newNodePorts: PluginFactory = () => new NodePorts();
