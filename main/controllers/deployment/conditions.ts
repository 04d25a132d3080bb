/**
 * Deployment conditions (deploymentutil): types, reasons, and upstream's rules for replacing a condition
 * (same status and reason = no change; same status = keep lastTransitionTime).
 */
import type { DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from './types.js';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

/** Reasons of the Progressing and Available conditions and of rollback events. */
export const Reason = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  FailedRSCreate: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  RollbackDone: 'DeploymentRollback',
  RollbackRevisionNotFound: 'DeploymentRollbackRevisionNotFound',
  RollbackTemplateUnchanged: 'DeploymentRollbackTemplateUnchanged',
} as const;

/** metav1.Time as serialized: RFC 3339, seconds. */
export const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** deploymentutil.SetDeploymentCondition. */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const c = { ...condition };
  if (current && current.status === c.status) c.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** deploymentutil.ReplicaSetToDeploymentCondition. */
export function fromReplicaSetCondition(c: ReplicaSetCondition): DeploymentCondition {
  const out: DeploymentCondition = { type: c.type, status: c.status as DeploymentCondition['status'] };
  if (c.lastTransitionTime) {
    out.lastUpdateTime = c.lastTransitionTime;
    out.lastTransitionTime = c.lastTransitionTime;
  }
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}
