/**
 * Pod predicates the replica controllers share (upstream's podutil.IsPodReady / IsPodAvailable and
 * controller.IsPodActive), over pods as the informer caches them.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

/** Neither terminal (Succeeded/Failed) nor being deleted: counts against a replica count. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When a ready pod became ready (ms since epoch), or undefined when not ready or unknown. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** Ready for more than `minReadySeconds` as of `now` (ms); with 0, ready is enough. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadyTime(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}
