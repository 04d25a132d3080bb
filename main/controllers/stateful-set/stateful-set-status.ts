/**
 * StatefulSet status from its pods (upstream computeReplicaStatus and completeRollingUpdate): replicas counts
 * created pods (phase set), readyReplicas running-and-ready ones, availableReplicas those ready for
 * minReadySeconds, currentReplicas/updatedReplicas non-terminating pods labelled with the current/update
 * revision. A RollingUpdate whose pods are all updated and ready makes the update revision current.
 */
import type { StatefulSetObject } from '../../api/apps/v1/stateful-set.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { isPodAvailable, isRunningAndReady, isTerminating } from '../history/pod-state.js';
import { REVISION_LABEL } from './stateful-pod-identity.js';

export interface StatefulSetStatusT {
  observedGeneration?: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  conditions?: unknown[];
}

export function computeStatus(
  set: StatefulSetObject,
  pods: Iterable<Pod>,
  currentRevision: string,
  updateRevision: string,
  collisionCount: number,
  nowMs: number,
): StatefulSetStatusT {
  const status: StatefulSetStatusT = {
    observedGeneration: set.metadata.generation,
    replicas: 0,
    readyReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    availableReplicas: 0,
    currentRevision,
    updateRevision,
    collisionCount,
  };
  const existing = (set.status as { conditions?: unknown[] } | undefined)?.conditions;
  if (existing) status.conditions = existing;
  for (const pod of pods) {
    const created = !!pod.status?.phase;
    if (created) status.replicas++;
    if (isRunningAndReady(pod)) {
      status.readyReplicas++;
      if (isPodAvailable(pod, set.spec?.minReadySeconds ?? 0, nowMs)) status.availableReplicas++;
    }
    if (created && !isTerminating(pod)) {
      const rev = pod.metadata.labels?.[REVISION_LABEL];
      if (rev === currentRevision) status.currentReplicas++;
      if (rev === updateRevision) status.updatedReplicas++;
    }
  }
  if (
    (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' &&
    status.updatedReplicas === status.replicas &&
    status.readyReplicas === status.replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
  return status;
}
