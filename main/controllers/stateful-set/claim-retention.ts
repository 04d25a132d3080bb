/**
 * persistentVolumeClaimRetentionPolicy as owner references on the claims of a pod (upstream
 * updateClaimOwnerRefForSetAndPod): the garbage collector deletes a claim once an owner is gone.
 *   whenDeleted Retain, whenScaled Retain → neither the set nor the pod owns the claim;
 *   whenDeleted Delete, whenScaled Retain → the set owns it;
 *   whenDeleted Retain, whenScaled Delete → the pod owns it once it is scaled away (out of the ordinal range);
 *   whenDeleted Delete, whenScaled Delete → the set owns it while in range, the pod once scaled away.
 * References are plain (not controller) owner references; other owners are kept.
 */
import type { StatefulSetObject } from '../../api/apps/v1/stateful-set.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { OwnerReference } from '../../api/meta/object.js';

function refTo(kind: string, apiVersion: string, name: string, uid: string): OwnerReference {
  return { apiVersion, kind, name, uid };
}

/** The claim's owner references as the policy wants them, or undefined when they already are. */
export function retentionOwners(set: StatefulSetObject, pod: Pod, scaledDown: boolean, current: OwnerReference[] | undefined): OwnerReference[] | undefined {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const deleteWithSet = policy.whenDeleted === 'Delete';
  const deleteWhenScaled = policy.whenScaled === 'Delete';
  const wantSet = deleteWithSet && !(deleteWhenScaled && scaledDown);
  const wantPod = deleteWhenScaled && scaledDown;
  const setUid = set.metadata.uid ?? '';
  const podUid = pod.metadata.uid ?? '';
  const refs = current ?? [];
  const hasSet = refs.some((r) => r.uid === setUid);
  const hasPod = refs.some((r) => r.uid === podUid);
  if (hasSet === wantSet && hasPod === wantPod) return undefined;
  const next = refs.filter((r) => r.uid !== setUid && r.uid !== podUid);
  if (wantSet) next.push(refTo('StatefulSet', 'apps/v1', set.metadata.name ?? '', setUid));
  if (wantPod) next.push(refTo('Pod', 'v1', pod.metadata.name ?? '', podUid));
  return next;
}
