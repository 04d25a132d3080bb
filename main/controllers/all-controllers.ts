/**
 * Every controller the controller manager can run, in start order. Each controller file exports its
 * ControllerFactory; add it here (one line) when it exists.
 */
import type { ControllerFactory } from './controller.js';
import { cronJobControllerFactory } from './cron-job-controller.js';
import { daemonSetControllerFactory } from './daemon-set-controller.js';
import { deploymentControllerFactory } from './deployment-controller.js';
import { disruptionController } from './disruption-controller.js';
import { endpointSliceControllerFactory } from './endpoint-slice-controller.js';
import { endpointsControllerFactory } from './endpoints-controller.js';
import { garbageCollectorControllerFactory } from './garbage-collector-controller.js';
import { horizontalPodAutoscalerController } from './horizontal-pod-autoscaler-controller.js';
import { jobControllerFactory } from './job-controller.js';
import { namespaceControllerFactory } from './namespace-controller.js';
import { nodeIpamControllerFactory } from './node-ipam-controller.js';
import { nodeLifecycleControllerFactory } from './node-lifecycle-controller.js';
import { persistentVolumeBinderController } from './persistent-volume-binder-controller.js';
import { podGCControllerFactory } from './pod-gc-controller.js';
import { replicaSetControllerFactory } from './replica-set-controller.js';
import { replicationControllerFactory } from './replication-controller.js';
import { resourceQuotaController } from './resource-quota-controller.js';
import { serviceAccountController } from './service-account-controller.js';
import { serviceAccountTokenController } from './service-account-token-controller.js';
import { statefulSetControllerFactory } from './stateful-set-controller.js';
import { taintEvictionControllerFactory } from './taint-eviction-controller.js';
import { ttlAfterFinishedControllerFactory } from './ttl-after-finished-controller.js';

export const allControllers: readonly ControllerFactory[] = [
  serviceAccountController,
  serviceAccountTokenController,
  persistentVolumeBinderController,
  resourceQuotaController,
  disruptionController,
  horizontalPodAutoscalerController,
  garbageCollectorControllerFactory,
  namespaceControllerFactory,
  podGCControllerFactory,
  endpointsControllerFactory,
  endpointSliceControllerFactory,
  nodeIpamControllerFactory,
  nodeLifecycleControllerFactory,
  taintEvictionControllerFactory,
  deploymentControllerFactory,
  replicaSetControllerFactory,
  replicationControllerFactory,
  daemonSetControllerFactory,
  statefulSetControllerFactory,
  jobControllerFactory,
  cronJobControllerFactory,
  ttlAfterFinishedControllerFactory,
];
