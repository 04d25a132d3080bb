/**
 * The in-tree plugin registry: name → factory. Profiles name plugins; the framework runtime builds one instance
 * per profile with `factory(pluginArgs[name], ctx)`. DefaultPreemption and DefaultBinder are not here: they
 * need the scheduler's API client and preemption machinery, which the framework owns (it merges its own
 * factories into this map).
 */
import type { PluginRegistry } from '../framework/types.js';
import { newImageLocality } from './image-locality.js';
import { newInterPodAffinity } from './inter-pod-affinity.js';
import { Names } from './names.js';
import { newNodeAffinity } from './node-affinity.js';
import { newNodeName } from './node-name.js';
import { newNodePorts } from './node-ports.js';
import { newNodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { newNodeResourcesFit } from './node-resources-fit.js';
import { newNodeUnschedulable } from './node-unschedulable.js';
import { newPodTopologySpread } from './pod-topology-spread.js';
import { newPrioritySort } from './priority-sort.js';
import { newSchedulingGates } from './scheduling-gates.js';
import { newTaintToleration } from './taint-toleration.js';
import { newVolumeBinding } from './volume-binding.js';

export const inTreePlugins: PluginRegistry = {
  [Names.PrioritySort]: newPrioritySort,
  [Names.SchedulingGates]: newSchedulingGates,
  [Names.NodeUnschedulable]: newNodeUnschedulable,
  [Names.NodeName]: newNodeName,
  [Names.TaintToleration]: newTaintToleration,
  [Names.NodeAffinity]: newNodeAffinity,
  [Names.NodePorts]: newNodePorts,
  [Names.NodeResourcesFit]: newNodeResourcesFit,
  [Names.VolumeBinding]: newVolumeBinding,
  [Names.PodTopologySpread]: newPodTopologySpread,
  [Names.InterPodAffinity]: newInterPodAffinity,
  [Names.NodeResourcesBalancedAllocation]: newNodeResourcesBalancedAllocation,
  [Names.ImageLocality]: newImageLocality,
};

export { Names } from './names.js';
export type { QueueSortPlugin, QueueSortItem } from './priority-sort.js';
