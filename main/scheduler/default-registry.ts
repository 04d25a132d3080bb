/**
 * The in-tree plugin registry used by the control plane: name → factory for the plugins in plugins/.
 * DefaultBinder and DefaultPreemption are added by the Scheduler itself (they need its client and queue).
 * Plugins not listed here are dropped from the default profile with a log line (see Scheduler).
 */
import type { PluginRegistry } from './framework/types.js';
import { newInterPodAffinity } from './plugins/inter-pod-affinity.js';
import { newNodeAffinity } from './plugins/node-affinity.js';
import { newNodeName } from './plugins/node-name.js';
import { newNodePorts } from './plugins/node-ports.js';
import { newNodeResourcesBalancedAllocation } from './plugins/node-resources-balanced-allocation.js';
import { newNodeResourcesFit } from './plugins/node-resources-fit.js';
import { newNodeUnschedulable } from './plugins/node-unschedulable.js';
import { newPodTopologySpread } from './plugins/pod-topology-spread.js';
import { newPrioritySort } from './plugins/priority-sort.js';
import { newSchedulingGates } from './plugins/scheduling-gates.js';
import { newTaintToleration } from './plugins/taint-toleration.js';

export function defaultRegistry(): PluginRegistry {
  return {
    PrioritySort: newPrioritySort,
    SchedulingGates: newSchedulingGates,
    NodeName: newNodeName,
    NodeUnschedulable: newNodeUnschedulable,
    NodePorts: newNodePorts,
    NodeResourcesFit: newNodeResourcesFit,
    NodeResourcesBalancedAllocation: newNodeResourcesBalancedAllocation,
    NodeAffinity: newNodeAffinity,
    TaintToleration: newTaintToleration,
    InterPodAffinity: newInterPodAffinity,
    PodTopologySpread: newPodTopologySpread,
  };
}
