/**
 * The autoscaling resources. v2 comes first: discovery lists versions in this order and the first is the
 * preferred one (`kubectl get hpa` then reads v2). v1 is served from the v2 storage through conversion.
 */
import type { ResourceDescriptor } from '../resource.js';
import { horizontalPodAutoscalersV1 } from './v1/horizontal-pod-autoscaler.js';
import { horizontalPodAutoscalersV2 } from './v2/horizontal-pod-autoscaler.js';

export const autoscalingResources: ResourceDescriptor[] = [horizontalPodAutoscalersV2, horizontalPodAutoscalersV1];
