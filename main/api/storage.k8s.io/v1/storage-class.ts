/** storage.k8s.io/v1 StorageClass: a named provisioner + parameters for dynamically provisioned volumes. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, forbidden, immutable, invalid, notSupported, required, tooLong, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, ref, str, stringMap } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';

export const TopologySelectorLabelRequirement = def(
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement',
  'A topology label key and the values it may take.',
  {
    key: str('The topology label key.', { default: '' }),
    values: arr(str('', { default: '' }), 'Allowed values; any of them matches.', { listType: 'atomic' }),
  },
  { required: ['key', 'values'] },
);

export const TopologySelectorTerm = def(
  'io.k8s.api.core.v1.TopologySelectorTerm',
  'Topology requirements that must all hold (ANDed).',
  {
    matchLabelExpressions: arr(ref(TopologySelectorLabelRequirement, undefined, { default: {} }), 'Label requirements.', {
      listType: 'atomic',
    }),
  },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const StorageClassSchema = def(
  'io.k8s.api.storage.v1.StorageClass',
  'Describes a class of storage: which provisioner creates volumes for it and with what parameters.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    provisioner: str('Name of the volume plugin or CSI driver that provisions volumes. Immutable.', { default: '' }),
    parameters: stringMap('Provisioner-specific parameters. Immutable.'),
    reclaimPolicy: enumStr('What happens to provisioned volumes when released. Defaults to Delete.', {
      Delete: 'deletes the volume once released.',
      Recycle: 'scrubs the volume for reuse (deprecated).',
      Retain: 'keeps the volume for manual reclamation.',
    }),
    mountOptions: arr(str('', { default: '' }), 'Mount options for provisioned volumes, e.g. ["ro", "soft"].', { listType: 'atomic' }),
    allowVolumeExpansion: bool('Whether claims of this class may be resized.'),
    volumeBindingMode: enumStr('When claims are bound and volumes provisioned. Defaults to Immediate.', {
      Immediate: 'binds as soon as the claim is created.',
      WaitForFirstConsumer: 'waits until a pod using the claim is scheduled.',
    }),
    allowedTopologies: arr(ref(TopologySelectorTerm, undefined, { default: {} }), 'Topologies where volumes may be provisioned.', {
      listType: 'atomic',
    }),
  },
  { required: ['provisioner'], gvk: [{ group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' }] },
);

export interface StorageClass extends KObject {
  provisioner?: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: string;
  mountOptions?: string[];
  allowVolumeExpansion?: boolean;
  volumeBindingMode?: string;
  allowedTopologies?: { matchLabelExpressions?: { key?: string; values?: string[] }[] }[];
}

const MAX_PROVISIONER_PARAMETER_SIZE = 256 * 1024;
const MAX_PROVISIONER_PARAMETER_LEN = 512;
const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const prov = sc.provisioner ?? '';
  if (!prov) errs.push(required(FieldPath.root('provisioner'), ''));
  else {
    if (prov.length > 63) errs.push(tooLong(FieldPath.root('provisioner'), prov, 63));
    for (const m of isQualifiedName(prov.toLowerCase())) errs.push(invalid(FieldPath.root('provisioner'), prov, m));
  }
  let size = 0;
  for (const [k, v] of Object.entries(sc.parameters ?? {})) {
    if (k.length > MAX_PROVISIONER_PARAMETER_LEN)
      errs.push(tooLong(FieldPath.root('parameters'), k, MAX_PROVISIONER_PARAMETER_LEN));
    else if (k.length === 0) errs.push(invalid(FieldPath.root('parameters'), sc.parameters, 'key may not be empty'));
    size += k.length + v.length;
  }
  if (size > MAX_PROVISIONER_PARAMETER_SIZE)
    errs.push(tooLong(FieldPath.root('parameters'), '', MAX_PROVISIONER_PARAMETER_SIZE));
  if (sc.reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(sc.reclaimPolicy))
    errs.push(notSupported(FieldPath.root('reclaimPolicy'), sc.reclaimPolicy, RECLAIM_POLICIES));
  if (sc.volumeBindingMode === undefined || sc.volumeBindingMode === '')
    errs.push(required(FieldPath.root('volumeBindingMode'), ''));
  else if (!BINDING_MODES.includes(sc.volumeBindingMode))
    errs.push(notSupported(FieldPath.root('volumeBindingMode'), sc.volumeBindingMode, BINDING_MODES));
  (sc.allowedTopologies ?? []).forEach((term, i) => {
    const tp = FieldPath.root('allowedTopologies').index(i);
    const exprs = term.matchLabelExpressions ?? [];
    if (exprs.length === 0) errs.push(required(tp.child('matchLabelExpressions'), 'must have at least one label expression'));
    exprs.forEach((e, j) => {
      const ep = tp.child('matchLabelExpressions').index(j);
      for (const m of isQualifiedName(e.key ?? '')) errs.push(invalid(ep.child('key'), e.key ?? '', m));
      const values = e.values ?? [];
      if (values.length === 0) errs.push(required(ep.child('values'), 'must specify as least one value'));
      values.forEach((v, k) => {
        for (const m of isValidLabelValue(v)) errs.push(invalid(ep.child('values').index(k), v, m));
      });
    });
  });
  return errs;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs = validateStorageClass(sc);
  if (JSON.stringify(sc.parameters ?? {}) !== JSON.stringify(old.parameters ?? {}))
    errs.push(forbidden(FieldPath.root('parameters'), 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(forbidden(FieldPath.root('provisioner'), 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden(FieldPath.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  if (sc.volumeBindingMode !== old.volumeBindingMode) errs.push(immutable(FieldPath.root('volumeBindingMode'), sc.volumeBindingMode));
  return errs;
}

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export function isDefaultStorageClass(sc: StorageClass): boolean {
  const a = sc.metadata.annotations ?? {};
  return DEFAULT_ANNOTATIONS.some((k) => a[k] === 'true');
}

export const storageClasses = defineResource<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  shortNames: ['sc'],
  namespaced: false,
  schema: StorageClassSchema,
  defaults: defaultStorageClass,
  strategy: { validate: validateStorageClass, validateUpdate: validateStorageClassUpdate },
  columns: [
    col<StorageClass>('Name', (o) => (o.metadata.name ?? '') + (isDefaultStorageClass(o) ? ' (default)' : ''), {
      format: 'name',
      description: 'Name must be unique within a namespace. Cannot be updated.',
    }),
    col<StorageClass>('Provisioner', (o) => o.provisioner ?? '', { description: 'Indicates the type of the provisioner.' }),
    col<StorageClass>('ReclaimPolicy', (o) => o.reclaimPolicy ?? 'Delete', {
      description: 'Indicates the type of the reclaim policy.',
    }),
    col<StorageClass>('VolumeBindingMode', (o) => o.volumeBindingMode ?? 'Immediate', {
      description: 'Indicates how PersistentVolumeClaims should be provisioned and bound.',
    }),
    col<StorageClass>('AllowVolumeExpansion', (o) => o.allowVolumeExpansion ?? false, {
      description: 'Indicates whether the storage class allow volume expand.',
    }),
    ageColumn(),
  ],
});
