/**
 * Every built-in resource the API server serves, in discovery order within each group. Adding a resource =
 * its descriptor file + a line in its group's index (which this list includes).
 */
import type { ResourceDescriptor } from './resource.js';
import { coreClusterResources } from './core/v1/index-cluster.js';
import { coreWorkloadResources } from './core/v1/index-workloads.js';
import { appsV1Resources } from './apps/v1/index.js';
import { batchV1Resources } from './batch/v1/index.js';
import { autoscalingResources } from './autoscaling/index.js';
import { policyV1Resources } from './policy/v1/index.js';
import { otherGroupResources } from './index-groups.js';
import { simulatedNodes } from './pilothouse.dev/v1alpha1/simulated-node.js';
import { schedulingDecisions } from './scheduling.pilothouse.dev/v1alpha1/scheduling-decision.js';

export const builtinResources: ResourceDescriptor[] = [
  ...coreClusterResources,
  ...coreWorkloadResources,
  ...appsV1Resources,
  ...batchV1Resources,
  ...autoscalingResources,
  ...policyV1Resources,
  ...otherGroupResources,
  simulatedNodes,
  schedulingDecisions,
];
