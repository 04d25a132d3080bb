/**
 * The provisioner behind the default StorageClass: for a claim of a class whose provisioner is
 * `pilothouse.dev/hostpath`, a hostPath PersistentVolume `pvc-<claim uid>` at /var/lib/pilothouse/pv/<claim uid>
 * (DirectoryOrCreate, no node affinity), of the claim's size, access modes and volume mode, with the class's
 * reclaim policy and mount options, pre-bound to the claim. Only the API object is made: the simulated nodes mount
 * nothing, and a real node would create the directory on first use (DirectoryOrCreate).
 */
import type { StorageClass } from '../../api/storage.k8s.io/v1/storage-class.js';
import type { Claim, Volume } from './volume-matching.js';

export const HOSTPATH_PROVISIONER = 'pilothouse.dev/hostpath';
export const HOSTPATH_ROOT = '/var/lib/pilothouse/pv';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';

/** The name upstream gives provisioned volumes. */
export const provisionedVolumeName = (c: Claim): string => `pvc-${c.metadata.uid}`;

export function hostPathVolumeFor(c: Claim, sc: StorageClass): Volume {
  const storage = c.spec?.resources?.requests?.['storage'];
  if (storage === undefined) throw new Error(`claim ${c.metadata.namespace}/${c.metadata.name} requests no storage`);
  const volume: Volume = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: provisionedVolumeName(c),
      annotations: { [PROVISIONED_BY_ANNOTATION]: HOSTPATH_PROVISIONER, [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' },
    },
    spec: {
      capacity: { storage },
      accessModes: [...(c.spec?.accessModes ?? ['ReadWriteOnce'])],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: c.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path: `${HOSTPATH_ROOT}/${c.metadata.uid}`, type: 'DirectoryOrCreate' },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid, resourceVersion: c.metadata.resourceVersion },
    },
  };
  if (sc.mountOptions?.length) volume.spec['mountOptions'] = [...sc.mountOptions];
  return volume;
}
