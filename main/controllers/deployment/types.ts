/**
 * The fields of Deployments and ReplicaSets the deployment controller reads and writes (apps/v1), narrower and
 * stricter than the API descriptors' types. Objects from informer caches are read-only: copy before changing.
 */
import type { PodTemplateSpec } from '../../api/core/v1/pod-types.js';
import type { LabelSelectorObject } from '../../api/meta/label-selector.js';
import type { KObject } from '../../api/meta/object.js';

export type IntOrString = number | string;

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface Deployment extends KObject {
  spec: {
    replicas?: number;
    selector?: LabelSelectorObject;
    template?: PodTemplateSpec;
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: DeploymentStatus;
}

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSet extends KObject {
  spec: { replicas?: number; minReadySeconds?: number; selector?: LabelSelectorObject; template?: PodTemplateSpec };
  status?: {
    replicas?: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: ReplicaSetCondition[];
  };
}

/** spec.replicas with the API default (1) for objects not yet defaulted. */
export const desiredReplicas = (d: Deployment): number => d.spec.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;
