/**
 * NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes only pods that tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint. Unresolvable: evicting pods does not uncordon a node.
 * Queue contract: a change of spec.unschedulable is classified as UpdateNodeTaint (as upstream does).
 */
import {
  ActionType,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Node,
  type NodeInfo,
  type Pod,
  type PluginFactory,
  type PluginStatus,
  type PodInfo,
} from '../framework/types.js';
import { Names } from './names.js';
import { taintToleratedBy } from './util/taints.js';

export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function toleratesUnschedulable(pod: Pod): boolean {
  return taintToleratedBy({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' }, pod.spec?.tolerations);
}

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = Names.NodeUnschedulable;

  filter(_state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const node = nodeInfo.node;
    if (!node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
    if (!node.spec?.unschedulable) return null;
    return toleratesUnschedulable(pi.pod) ? null : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint, label: 'NodeAddOrTaintChange' },
        queueingHintFn: (pod, oldObj, newObj) => {
          const n = newObj as Node | undefined;
          if (!n) return 'QueueSkip';
          const o = oldObj as Node | undefined;
          if (o && !o.spec?.unschedulable === !n.spec?.unschedulable) return 'QueueSkip';
          return !n.spec?.unschedulable || toleratesUnschedulable(pod) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations, label: 'UnscheduledPodUpdate' },
        queueingHintFn: (pod, _old, newObj) => {
          const p = newObj as Pod | undefined;
          return p && p.metadata.uid === pod.metadata.uid && toleratesUnschedulable(p) ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }
}

export const newNodeUnschedulable: PluginFactory = () => new NodeUnschedulable();
