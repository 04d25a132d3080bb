/**
 * What the shared replica controller needs to know about the kind it manages. ReplicaSet (apps/v1) and
 * ReplicationController (core/v1) differ only in these facts — upstream likewise runs the ReplicaSet logic for
 * ReplicationControllers through adapters.
 */
import type { PodTemplateSpec } from '../../api/core/v1/pod-types.js';
import type { Selector } from '../../api/meta/label-selector.js';
import type { KObject } from '../../api/meta/object.js';
import type { ResourceRef } from '../../client/kube-client.js';

/** The fields of ReplicaSet and ReplicationController the controller reads (same shape except the selector). */
export interface ReplicaOwner extends KObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: PodTemplateSpec };
  status?: ReplicaStatus;
}

export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
  [field: string]: unknown;
}

export interface ReplicaKind {
  /** Upstream controller name (--controllers). */
  controllerName: string;
  /** Event source component. */
  component: string;
  resource: ResourceRef;
  apiVersion: string;
  kind: string;
  /** Parses the owner's pod selector; throws (with a clear message) when it cannot be. */
  selectorOf(owner: ReplicaOwner): Selector;
}
