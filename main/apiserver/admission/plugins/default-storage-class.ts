/**
 * DefaultStorageClass admission (enabled by default upstream): a PersistentVolumeClaim created without
 * spec.storageClassName (absent, not "") and without the legacy beta class annotation gets the cluster's default
 * StorageClass (annotation storageclass.kubernetes.io/is-default-class: "true"); among several defaults the newest
 * wins (then the name, for a stable choice). No default class: the claim is left as it is.
 */
import { isDefaultStorageClass, type StorageClass } from '../../../api/storage.k8s.io/v1/storage-class.js';
import type { AdmissionPlugin } from '../admission.js';
import type { ObjectReader } from '../object-reader.js';

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export function defaultStorageClassAdmission(reader: ObjectReader): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    async mutate(req) {
      if (req.operation !== 'CREATE' || req.descriptor.group !== '' || req.descriptor.plural !== 'persistentvolumeclaims' || req.subresource || !req.object) return;
      const spec = (req.object.spec ??= {}) as { storageClassName?: string | null };
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      if (req.object.metadata.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
      const classes = (await reader.list('storage.k8s.io', 'storageclasses', '')) as unknown as StorageClass[];
      const newestFirst = classes.filter(isDefaultStorageClass).sort((a, b) =>
        (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
      const chosen = newestFirst[0];
      if (chosen) spec.storageClassName = chosen.metadata.name!;
    },
  };
}
