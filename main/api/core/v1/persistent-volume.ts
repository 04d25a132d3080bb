/** The PersistentVolume resource (core/v1): a piece of storage in the cluster, bound to at most one claim. */
import { FieldPath, forbidden, immutable, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { Time, objectMeta, resourceList, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { NodeSelector } from './affinity.js';
import { ObjectReference } from './object-reference.js';
import { VOLUME_MODES, accessModesSchema } from './persistent-volume-claim-spec.js';
import { defaultVolumeSource } from './pod-defaults.js';
import { VOLUME_MODE_VALUES, accessModesString, quantityText, storageClassOf, validateAccessModes } from './pv-access.js';
import { dnsSubdomain, quantityErrors } from './validation-util.js';
import { PV_SOURCE_FIELDS } from './volume-source-fields.js';
import { validateSource } from './volume-validation.js';
import {
  SecretReference, cephfsSource, cinderSource, flexSource, iscsiSource, rbdSource, scaleIOSource, sharedSources, storageOSSource,
} from './volume-sources.js';

const CORE = 'io.k8s.api.core.v1';


export interface PersistentVolume extends KObject {
  spec?: {
    capacity?: Record<string, string | number>;
    accessModes?: string[];
    claimRef?: { namespace?: string; name?: string; [k: string]: unknown };
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: string;
    volumeAttributesClassName?: string;
    nodeAffinity?: { required?: unknown };
    [source: string]: unknown;
  };
  status?: { phase?: string; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

export const GlusterfsPersistentVolumeSource = def(
  `${CORE}.GlusterfsPersistentVolumeSource`,
  'A GlusterFS volume (removed driver).',
  {
    endpoints: str('Endpoints object naming the Glusterfs servers.', { default: '' }),
    path: str('Glusterfs volume path.', { default: '' }),
    readOnly: { type: 'boolean', description: 'Mount read-only. Defaults to false.' },
    endpointsNamespace: str('Namespace of the endpoints object; the claim namespace when empty.'),
  },
  { required: ['endpoints', 'path'] },
);

export const AzureFilePersistentVolumeSource = def(
  `${CORE}.AzureFilePersistentVolumeSource`,
  'An Azure File share (deprecated in-tree driver).',
  {
    secretName: str('Secret with the storage account name and key.', { default: '' }),
    shareName: str('Share name.', { default: '' }),
    readOnly: { type: 'boolean', description: 'Mount read-only. Defaults to false.' },
    secretNamespace: str('Namespace of the secret; the pod namespace when empty.'),
  },
  { required: ['secretName', 'shareName'] },
);

export const LocalVolumeSource = def(
  `${CORE}.LocalVolumeSource`,
  'A disk, partition or directory of one node; needs node affinity.',
  {
    path: str('Full path on the node.', { default: '' }),
    fsType: str('Filesystem type, for block devices only.'),
  },
  { required: ['path'] },
);

export const CSIPersistentVolumeSource = def(
  `${CORE}.CSIPersistentVolumeSource`,
  'A volume managed by a CSI driver.',
  {
    driver: str('Name of the driver.', { default: '' }),
    volumeHandle: str('Driver-specific ID of the volume.', { default: '' }),
    readOnly: { type: 'boolean', description: 'Publish read-only. Defaults to false.' },
    fsType: str('Filesystem type to mount.'),
    volumeAttributes: { type: 'object', description: 'Driver-specific attributes.', additionalProperties: { type: 'string', default: '' } },
    controllerPublishSecretRef: ref(SecretReference, 'Secret for ControllerPublishVolume.'),
    nodeStageSecretRef: ref(SecretReference, 'Secret for NodeStageVolume.'),
    nodePublishSecretRef: ref(SecretReference, 'Secret for NodePublishVolume.'),
    controllerExpandSecretRef: ref(SecretReference, 'Secret for ControllerExpandVolume.'),
    nodeExpandSecretRef: ref(SecretReference, 'Secret for NodeExpandVolume.'),
  },
  { required: ['driver', 'volumeHandle'] },
);

export const VolumeNodeAffinity = def(`${CORE}.VolumeNodeAffinity`, 'Nodes from which the volume can be reached.', {
  required: ref(NodeSelector, 'Nodes that can access the volume.'),
});

const RECLAIM = { Delete: 'deletes the volume when released', Recycle: 'scrubs the volume for reuse (deprecated)', Retain: 'keeps the volume for manual reclamation' };

export const PersistentVolumeSpec = def(`${CORE}.PersistentVolumeSpec`, 'Description of a persistent volume.', {
  capacity: resourceList('Size of the volume (storage).'),
  ...sharedSources(),
  glusterfs: ref(GlusterfsPersistentVolumeSource, 'A GlusterFS volume.'),
  rbd: ref(rbdSource('RBDPersistentVolumeSource', SecretReference), 'A Ceph RBD image.'),
  iscsi: ref(iscsiSource('ISCSIPersistentVolumeSource', SecretReference), 'An iSCSI disk.'),
  cinder: ref(cinderSource('CinderPersistentVolumeSource', SecretReference), 'A Cinder volume.'),
  cephfs: ref(cephfsSource('CephFSPersistentVolumeSource', SecretReference), 'A CephFS mount.'),
  flexVolume: ref(flexSource('FlexPersistentVolumeSource', SecretReference), 'A FlexVolume driver volume.'),
  azureFile: ref(AzureFilePersistentVolumeSource, 'An Azure File share.'),
  scaleIO: ref(scaleIOSource('ScaleIOPersistentVolumeSource', SecretReference), 'A ScaleIO volume.'),
  local: ref(LocalVolumeSource, 'A local disk or directory of one node.'),
  storageos: ref(storageOSSource('StorageOSPersistentVolumeSource', ObjectReference), 'A StorageOS volume.'),
  csi: ref(CSIPersistentVolumeSource, 'A CSI driver volume.'),
  accessModes: accessModesSchema('Ways the volume can be mounted.'),
  claimRef: ref(ObjectReference, 'The claim bound to this volume (two-way binding).', { 'x-kubernetes-map-type': 'granular' }),
  persistentVolumeReclaimPolicy: enumStr('What happens when the claim is released. Defaults to Retain.', RECLAIM),
  storageClassName: str('StorageClass the volume belongs to; empty means no class.'),
  mountOptions: arr(str('', { default: '' }), 'Mount options, not validated.', { listType: 'atomic' }),
  volumeMode: enumStr('Filesystem or raw Block device. Defaults to Filesystem.', VOLUME_MODES),
  nodeAffinity: ref(VolumeNodeAffinity, 'Nodes the volume is reachable from.'),
  volumeAttributesClassName: str('VolumeAttributesClass of the volume.'),
});

export const PersistentVolumeStatus = def(`${CORE}.PersistentVolumeStatus`, 'Observed state of a persistent volume.', {
  phase: enumStr('Lifecycle phase.', {
    Available: 'free, not yet bound',
    Bound: 'bound to a claim',
    Failed: 'automatic reclamation failed',
    Pending: 'not yet available',
    Released: 'its claim was deleted, not yet reclaimed',
  }),
  message: str('Human-readable reason for the state.'),
  reason: str('Short CamelCase reason for a failure.'),
  lastPhaseTransitionTime: ref(Time, 'When the phase last changed.'),
});

export const PersistentVolumeSchema = def(
  `${CORE}.PersistentVolume`,
  'Storage provisioned by an administrator or a StorageClass, bound to at most one claim.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(PersistentVolumeSpec, 'Description of the volume.', { default: {} }),
    status: ref(PersistentVolumeStatus, 'Observed state; written by the system.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'PersistentVolume' }] },
);

const RECLAIM_VALUES = ['Delete', 'Recycle', 'Retain'];

export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const p = FieldPath.root('spec');
  const spec = pv.spec ?? {};
  const errs: FieldError[] = [];
  if ((spec.accessModes ?? []).length === 0) errs.push(required(p.child('accessModes')));
  errs.push(...validateAccessModes(spec.accessModes, p.child('accessModes')));
  const capacity = spec.capacity ?? {};
  if (Object.keys(capacity).length === 0) errs.push(required(p.child('capacity')));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(notSupported(p.child('capacity'), capacity, ['storage']));
  for (const [k, v] of Object.entries(capacity)) errs.push(...quantityErrors(v, p.child('capacity').key(k)));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !RECLAIM_VALUES.includes(policy)) errs.push(notSupported(p.child('persistentVolumeReclaimPolicy'), policy, RECLAIM_VALUES));
  if (spec.storageClassName) errs.push(...dnsSubdomain(spec.storageClassName, p.child('storageClassName')));
  if (spec.volumeMode !== undefined && !VOLUME_MODE_VALUES.includes(spec.volumeMode))
    errs.push(notSupported(p.child('volumeMode'), spec.volumeMode, VOLUME_MODE_VALUES));
  const set = PV_SOURCE_FIELDS.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (set.length === 0) errs.push(required(p, 'must specify a volume type'));
  for (const k of set.slice(1)) errs.push(forbidden(p.child(k), 'may not specify more than 1 volume type'));
  if (set.length === 1) errs.push(...validateSource(set[0]!, (spec[set[0]!] as Record<string, unknown>) ?? {}, p.child(set[0]!)));
  if (set.includes('local') && !spec.nodeAffinity) errs.push(required(p.child('nodeAffinity'), 'Local volume requires node affinity'));
  if (spec.claimRef && !spec.claimRef.name) errs.push(required(p.child('claimRef').child('name')));
  return errs;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const p = FieldPath.root('spec');
  const src = (x: PersistentVolume) => JSON.stringify(PV_SOURCE_FIELDS.map((k) => x.spec?.[k] ?? null));
  if (src(pv) !== src(old)) errs.push(forbidden(p.child('persistentvolumesource'), 'spec.persistentvolumesource is immutable after creation'));
  if ((pv.spec?.volumeMode ?? '') !== (old.spec?.volumeMode ?? '')) errs.push(immutable(p.child('volumeMode'), pv.spec?.volumeMode));
  if (old.spec?.nodeAffinity && JSON.stringify(pv.spec?.nodeAffinity) !== JSON.stringify(old.spec.nodeAffinity))
    errs.push(invalid(p.child('nodeAffinity'), pv.spec?.nodeAffinity ?? null, 'field is immutable'));
  return errs;
}

export const persistentvolumes = defineResource<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  subresources: { status: true },
  schema: PersistentVolumeSchema,
  defaults(pv) {
    pv.spec ??= {};
    pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
    pv.spec.volumeMode ??= 'Filesystem';
    defaultVolumeSource(pv.spec);
  },
  strategy: {
    prepareForCreate(pv) {
      pv.status = { phase: 'Pending' };
    },
    validate: validatePersistentVolume,
    validateUpdate: validatePersistentVolumeUpdate,
  },
  columns: [
    nameColumn(),
    col<PersistentVolume>('Capacity', (pv) => quantityText(pv.spec?.capacity?.['storage']), { description: 'Size of the volume.' }),
    col<PersistentVolume>('Access Modes', (pv) => accessModesString(pv.spec?.accessModes), { description: 'Ways the volume can be mounted.' }),
    col<PersistentVolume>('Reclaim Policy', (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? '', {
      description: 'What happens when the claim is released.',
    }),
    col<PersistentVolume>('Status', (pv) => (pv.metadata.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '')), {
      description: 'Lifecycle phase of the volume.',
    }),
    col<PersistentVolume>('Claim', (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : ''), {
      description: 'The claim bound to this volume.',
    }),
    col<PersistentVolume>('StorageClass', (pv) => storageClassOf(pv.metadata.annotations, pv.spec?.storageClassName), {
      description: 'StorageClass of the pv',
    }),
    col<PersistentVolume>('VolumeAttributesClass', (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>', {
      description: 'VolumeAttributesClass of the pv',
    }),
    col<PersistentVolume>('Reason', (pv) => pv.status?.reason ?? '', { description: 'Short reason for a failure.' }),
    ageColumn(),
    col<PersistentVolume>('VolumeMode', (pv) => pv.spec?.volumeMode ?? '<unset>', { priority: 1, description: 'Filesystem or Block.' }),
  ],
});
