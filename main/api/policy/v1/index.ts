/** The policy/v1 resources. (Eviction is only a subresource body; see eviction.ts.) */
import type { ResourceDescriptor } from '../../resource.js';
import { poddisruptionbudgets } from './pod-disruption-budget.js';

export const policyV1Resources: ResourceDescriptor[] = [poddisruptionbudgets];
