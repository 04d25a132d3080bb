/**
 * The status a replica controller reports (upstream's calculateStatus): counts over the active pods it owns and
 * the ReplicaFailure condition, set while creating or deleting pods fails and removed once a sync succeeds.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { matchesLabels, selectorFromSet } from '../../api/meta/label-selector.js';
import { isPodAvailable, isPodReady } from './pod-state.js';
import type { ReplicaCondition, ReplicaOwner, ReplicaStatus } from './replica-kind.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The new status for `owner` given its active pods and the error of the last create/delete round (if any).
 * Counts of 0 are omitted, as the Go types' omitempty does (except `replicas`).
 */
export function calculateStatus(owner: ReplicaOwner, pods: Pod[], manageError: Error | undefined, now: number): ReplicaStatus {
  const status: ReplicaStatus = { ...(owner.status ?? {}) };
  const templateLabels = selectorFromSet(owner.spec?.template?.metadata?.labels);
  const minReady = owner.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (matchesLabels(templateLabels, pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  const conditions = [...(status.conditions ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = pods.length - (owner.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const cond: ReplicaCondition = { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(now), reason, message: manageError.message };
    if (!reason) delete cond.reason;
    conditions.push(cond);
  } else if (!manageError && failure) {
    conditions.splice(conditions.indexOf(failure), 1);
  }
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
  status.replicas = pods.length;
  setCount(status, 'fullyLabeledReplicas', fullyLabeled);
  setCount(status, 'readyReplicas', ready);
  setCount(status, 'availableReplicas', available);
  return status;
}

function setCount(status: ReplicaStatus, field: 'fullyLabeledReplicas' | 'readyReplicas' | 'availableReplicas', n: number): void {
  if (n) status[field] = n;
  else delete status[field];
}

/** True when writing `next` would change nothing upstream cares about (counts, observedGeneration, conditions). */
export function statusUnchanged(owner: ReplicaOwner, next: ReplicaStatus): boolean {
  const cur = owner.status ?? {};
  return (cur.replicas ?? 0) === (next.replicas ?? 0)
    && (cur.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0)
    && (cur.readyReplicas ?? 0) === (next.readyReplicas ?? 0)
    && (cur.availableReplicas ?? 0) === (next.availableReplicas ?? 0)
    && (owner.metadata.generation ?? 0) === (cur.observedGeneration ?? 0)
    && JSON.stringify(cur.conditions ?? []) === JSON.stringify(next.conditions ?? []);
}
