/**
 * The garbage collector's writes on one object, each a read-modify-write guarded by the object's uid and
 * resourceVersion (a JSON merge patch carrying both is refused with 409 if the object changed or was replaced),
 * retried on conflicts. An object that is gone, or replaced by another with the same name, needs no change.
 */
import type { KObject, OwnerReference } from '../../api/meta/object.js';
import { isConflict, isNotFound, type KubeClient, type ResourceRef } from '../../client/kube-client.js';
import type { ObjectIdentity } from './graph-node.js';

const MAX_CONFLICT_RETRIES = 5;

/** The namespace an identity is read/written in for `resource`. */
export const namespaceFor = (resource: ResourceRef, id: ObjectIdentity): string => (resource.namespaced ? id.namespace : '');

/**
 * Applies `change` to the current object's metadata; `change` returns the metadata fields to write, or undefined
 * when nothing needs changing. Resolves false when the object is gone or was replaced.
 */
export async function patchMetadata(
  client: KubeClient, resource: ResourceRef, id: ObjectIdentity,
  change: (current: KObject) => Record<string, unknown> | undefined,
): Promise<boolean> {
  const ns = namespaceFor(resource, id);
  for (let attempt = 0; ; attempt++) {
    let current: KObject;
    try {
      current = await client.get<KObject>(resource, ns, id.name);
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    if (current.metadata.uid !== id.uid) return false;
    const fields = change(current);
    if (!fields) return true;
    try {
      await client.patch(resource, ns, id.name, 'merge', {
        metadata: { uid: id.uid, resourceVersion: current.metadata.resourceVersion, ...fields },
      });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      if (isConflict(e) && attempt < MAX_CONFLICT_RETRIES) continue;
      throw e;
    }
  }
}

/** Removes the owner references to `ownerUids`. */
export function removeOwnerReferences(client: KubeClient, resource: ResourceRef, id: ObjectIdentity, ownerUids: string[]): Promise<boolean> {
  const drop = new Set(ownerUids);
  return patchMetadata(client, resource, id, (current) => {
    const refs = current.metadata.ownerReferences ?? [];
    const kept = refs.filter((r) => !drop.has(r.uid));
    if (kept.length === refs.length) return undefined;
    return { ownerReferences: kept.length ? kept : null };
  });
}

/** Sets blockOwnerDeletion=false on every blocking owner reference (breaks foreground-deletion cycles). */
export function unblockOwnerReferences(client: KubeClient, resource: ResourceRef, id: ObjectIdentity): Promise<boolean> {
  return patchMetadata(client, resource, id, (current) => {
    const refs = current.metadata.ownerReferences ?? [];
    if (!refs.some((r) => r.blockOwnerDeletion === true)) return undefined;
    const next: OwnerReference[] = refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
    return { ownerReferences: next };
  });
}

/** Removes `finalizer` from metadata.finalizers (the API server deletes the object once none remain). */
export function removeFinalizer(client: KubeClient, resource: ResourceRef, id: ObjectIdentity, finalizer: string): Promise<boolean> {
  return patchMetadata(client, resource, id, (current) => {
    const finalizers = current.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return undefined;
    const kept = finalizers.filter((f) => f !== finalizer);
    return { finalizers: kept.length ? kept : null };
  });
}
