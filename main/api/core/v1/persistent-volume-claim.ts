/** Placeholder while the PVC schema is written; names are stable. */
import { anything } from '../../schema/builder.js';
import type { Definition } from '../../schema/schema.js';
export const PersistentVolumeClaimSpec: Definition = { name: 'io.k8s.api.core.v1.PersistentVolumeClaimSpec', schema: anything('Desired state of a claim.') };
export const PersistentVolumeClaim: Definition = { name: 'io.k8s.api.core.v1.PersistentVolumeClaim', schema: anything('A request for storage.') };
