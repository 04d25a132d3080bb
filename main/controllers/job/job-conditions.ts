/**
 * Job status conditions and their upstream reasons/messages (pkg/controller/job, batch/v1 constants).
 */
import type { JobObject } from '../../api/batch/v1/job.js';

export interface JobCondition {
  type: string;
  status: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Verdict {
  reason: string;
  message: string;
}

export const BACKOFF_LIMIT_EXCEEDED: Verdict = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const DEADLINE_EXCEEDED: Verdict = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
export const COMPLETIONS_REACHED: Verdict = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
export const MAX_FAILED_INDEXES_EXCEEDED: Verdict = { reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' };
export const FAILED_INDEXES: Verdict = { reason: 'FailedIndexes', message: 'Job has failed indexes' };

export const conditionsOf = (job: JobObject): JobCondition[] => (job.status?.conditions ?? []) as JobCondition[];

export function findCondition(conds: readonly JobCondition[], type: string): JobCondition | undefined {
  return conds.find((c) => c.type === type && c.status === 'True');
}

/** Complete or Failed is true: nothing more to do but release pods. */
export const isJobFinished = (job: JobObject): boolean =>
  conditionsOf(job).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/**
 * Sets condition `type` to `status` (upstream ensureJobConditionStatus): a new condition or a changed status
 * gets a new transition time; unchanged status with a different reason/message updates them only.
 */
export function setCondition(conds: JobCondition[], type: string, status: string, v: Verdict, now: string): boolean {
  const existing = conds.find((c) => c.type === type);
  if (!existing) {
    if (status !== 'True') return false;
    conds.push({ type, status, lastProbeTime: now, lastTransitionTime: now, reason: v.reason, message: v.message });
    return true;
  }
  if (existing.status === status && existing.reason === v.reason && existing.message === v.message) return false;
  if (existing.status !== status) existing.lastTransitionTime = now;
  existing.status = status;
  existing.lastProbeTime = now;
  existing.reason = v.reason;
  existing.message = v.message;
  return true;
}
