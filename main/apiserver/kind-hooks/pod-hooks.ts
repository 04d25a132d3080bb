/**
 * Pod deletion (kube-apiserver's pod strategy): a pod running on a node is deleted gracefully — marked with
 * deletionTimestamp + grace period for the node agent to stop it — while unscheduled or finished pods go at once.
 */
import type { KObject } from '../../api/meta/object.js';
import type { KindHooks } from '../registry/resource-storage.js';

interface PodLike extends KObject {
  spec?: { nodeName?: string; terminationGracePeriodSeconds?: number };
  status?: { phase?: string };
}

export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

export const podHooks: KindHooks = {
  returnDeletedObject: true,
  gracePeriod(obj, requested) {
    const pod = obj as PodLike;
    if (!pod.spec?.nodeName) return 0;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return 0;
    if (requested !== undefined) return requested;
    if (pod.metadata.deletionGracePeriodSeconds !== undefined) return pod.metadata.deletionGracePeriodSeconds;
    return pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
  },
  shouldDeleteDuringUpdate(obj) {
    const pod = obj as PodLike;
    return !pod.spec?.nodeName || pod.metadata.deletionGracePeriodSeconds === 0;
  },
};
