/**
 * NodeName (Filter): a pod that names a node in spec.nodeName fits only that node. Unresolvable, since
 * preemption cannot rename a node.
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

export const NODE_NAME_ERR_REASON = "node(s) didn't match the requested node name";

export function nodeNameFits(pod: Pod, nodeName: string): boolean {
  const want = pod.spec?.nodeName;
  return !want || want === nodeName;
}

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = Names.NodeName;

  filter(_state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    if (!nodeInfo.node) return Status.error('node not found');
    return nodeNameFits(pi.pod, nodeInfo.name) ? null : Status.unresolvable(NODE_NAME_ERR_REASON);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' },
        queueingHintFn: (pod, _old, newObj) => (nodeNameFits(pod, (newObj as Node | undefined)?.metadata.name ?? '') ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}

export const newNodeName: PluginFactory = () => new NodeName();
