/**
 * Pod state predicates shared by the workload controllers (podutil.IsPodReady, IsPodAvailable and the
 * StatefulSet controller's isRunningAndReady / isFailed / isTerminating).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Ready for at least minReadySeconds (measured from the Ready condition's lastTransitionTime). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return false;
  if (!minReadySeconds) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

export const isTerminating = (pod: Pod): boolean => !!pod.metadata.deletionTimestamp;
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);

/** When a not-yet-available ready pod becomes available (ms from now), or undefined. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready || !minReadySeconds || !ready.lastTransitionTime) return undefined;
  const at = Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000;
  return at > nowMs ? at - nowMs : undefined;
}
