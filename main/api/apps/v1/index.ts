/** The apps/v1 resources, in the order discovery lists them. */
import type { ResourceDescriptor } from '../../resource.js';
import { controllerrevisions } from './controller-revision.js';
import { daemonsets } from './daemon-set.js';
import { deployments } from './deployment.js';
import { replicasets } from './replica-set.js';
import { statefulsets } from './stateful-set.js';

export const appsV1Resources: ResourceDescriptor[] = [controllerrevisions, daemonsets, deployments, replicasets, statefulsets];
