/**
 * Deployment status: the counters and the Available condition computed from the ReplicaSets
 * (calculateStatus), and the Progressing condition of a rollout with its deadline (syncRolloutStatus's rules,
 * deploymentutil.DeploymentProgressing / DeploymentTimedOut, requeueStuckDeployment's delay).
 */
import { AVAILABLE, PROGRESSING, REPLICA_FAILURE, Reason, fromReplicaSetCondition, getCondition, newCondition, removeCondition, setCondition } from './conditions.js';
import { actualReplicaCount, availableReplicaCount, deploymentComplete, maxUnavailable, readyReplicaCount, specReplicaCount } from './replica-math.js';
import { desiredReplicas, type Deployment, type DeploymentCondition, type DeploymentStatus, type ReplicaSet } from './types.js';

/** progressDeadlineSeconds is set and not MaxInt32 (which means "never"). */
export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== 2147483647;
}

/** Drops zero counters, as Go's omitempty does when the status is serialized. */
function omitZeros(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const [k, v] of Object.entries(s) as [keyof DeploymentStatus, unknown][]) {
    if (v === undefined || v === 0 && k !== 'collisionCount') continue;
    if (k === 'conditions' && Array.isArray(v) && v.length === 0) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** calculateStatus: counters from the ReplicaSets plus the Available condition. */
export function calculateStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = specReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    collisionCount: d.status?.collisionCount,
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d))
    setCondition(status, newCondition(AVAILABLE, 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  else
    setCondition(status, newCondition(AVAILABLE, 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  return omitZeros(status);
}

/** deploymentutil.DeploymentProgressing: more updated, fewer old, more ready or more available pods than before. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const nextOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || nextOld < oldOld
    || (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** deploymentutil.DeploymentTimedOut: the Progressing condition was last updated more than the deadline ago. */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(next, PROGRESSING);
  if (!c) return false;
  if (c.reason === Reason.NewReplicaSetAvailable) return false;
  if (c.reason === Reason.ProgressDeadlineExceeded) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + d.spec.progressDeadlineSeconds! * 1000 < nowMs;
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet (getReplicaFailures). */
function replicaFailures(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet) => (rs.status?.conditions ?? []).filter((c) => c.type === REPLICA_FAILURE).map(fromReplicaSetCondition);
  const fromNew = newRS ? of(newRS) : [];
  if (fromNew.length) return fromNew;
  return allRSs.flatMap(of);
}

/** The status syncRolloutStatus writes: calculateStatus plus the Progressing and ReplicaFailure conditions. */
export function rolloutStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const next = calculateStatus(allRSs, newRS, d, nowMs);
  next.conditions ??= [];
  if (!hasProgressDeadline(d)) removeCondition(next, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  const complete = (next.replicas ?? 0) === (next.updatedReplicas ?? 0) && current?.reason === Reason.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, next)) {
      setCondition(next, newCondition(PROGRESSING, 'True', Reason.NewReplicaSetAvailable, `${subject} has successfully progressed.`, nowMs));
    } else if (deploymentProgressing(d, next)) {
      const c = newCondition(PROGRESSING, 'True', Reason.ReplicaSetUpdated, `${subject} is progressing.`, nowMs);
      // Progress refreshes lastUpdateTime even when the reason stays the same (SetCondition would not).
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(next, PROGRESSING);
      }
      setCondition(next, c);
    } else if (deploymentTimedOut(d, next, nowMs)) {
      setCondition(next, newCondition(PROGRESSING, 'False', Reason.ProgressDeadlineExceeded, `${subject} has timed out progressing.`, nowMs));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(next, failures[0]!);
  else removeCondition(next, REPLICA_FAILURE);
  if (next.conditions.length === 0) delete next.conditions;
  return next;
}

/**
 * requeueStuckDeployment: when a rollout shows no progress, the delay (ms) after which its deadline must be
 * checked again (deadline + 1 s); undefined = no check needed. Upstream re-queues rate-limited (a few ms, reset
 * by every successful sync) when less than a second remains, which spins for that second; we wait for the
 * deadline plus a second instead.
 */
export function stuckRecheckDelay(d: Deployment, next: DeploymentStatus, nowMs: number): number | undefined {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, next) || current.reason === Reason.ProgressDeadlineExceeded) return undefined;
  const last = Date.parse(current.lastUpdateTime ?? '');
  if (Number.isNaN(last)) return undefined;
  const after = last + d.spec.progressDeadlineSeconds! * 1000 - nowMs;
  return Math.max(after, 0) + 1000;
}
