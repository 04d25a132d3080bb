/** The pod-shaped core/v1 resources, in a stable order for the registry. */
import type { ResourceDescriptor } from '../../resource.js';
import { persistentvolumeclaims } from './persistent-volume-claim.js';
import { persistentvolumes } from './persistent-volume.js';
import { podtemplates } from './pod-template.js';
import { pods } from './pod.js';
import { replicationcontrollers } from './replication-controller.js';

export const coreWorkloadResources: ResourceDescriptor[] = [
  pods,
  podtemplates,
  replicationcontrollers,
  persistentvolumes,
  persistentvolumeclaims,
];
