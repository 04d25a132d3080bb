/** The PersistentVolumeClaim resource (core/v1): a user's request for storage, bound to one volume. */
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabelSelector } from '../../meta/label-selector.js';
import type { KObject } from '../../meta/object.js';
import { cloneJson } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { def, ref } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus } from './persistent-volume-claim-spec.js';
import { VOLUME_MODE_VALUES, accessModesString, quantityText, storageClassOf, validateAccessModes } from './pv-access.js';
import { dnsSubdomain, quantityErrors, toQuantity } from './validation-util.js';

export { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus };

export interface PersistentVolumeClaimSpecT {
  accessModes?: string[];
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
  volumeName?: string;
  storageClassName?: string;
  volumeMode?: string;
  dataSource?: { apiGroup?: string; kind?: string; name?: string };
  dataSourceRef?: { apiGroup?: string; kind?: string; name?: string; namespace?: string };
  volumeAttributesClassName?: string;
  [field: string]: unknown;
}

export interface PersistentVolumeClaimT extends KObject {
  spec?: PersistentVolumeClaimSpecT;
  status?: { phase?: string; accessModes?: string[]; capacity?: Record<string, string | number>; [field: string]: unknown };
}

export const PersistentVolumeClaim = def(
  'io.k8s.api.core.v1.PersistentVolumeClaim',
  "A user's request for, and claim to, a persistent volume.",
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(PersistentVolumeClaimSpec, 'What the claim asks for.', { default: {} }),
    status: ref(PersistentVolumeClaimStatus, 'Observed state; written by the system.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }] },
);

/** SetDefaults_PersistentVolumeClaimSpec (also used for StatefulSet claim templates and ephemeral volumes). */
export function defaultPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpecT): void {
  spec.volumeMode ??= 'Filesystem';
}

function validateDataSource(ds: { kind?: string; name?: string } | undefined, p: FieldPath): FieldError[] {
  if (!ds) return [];
  const errs: FieldError[] = [];
  if (!ds.name) errs.push(required(p.child('name')));
  if (!ds.kind) errs.push(required(p.child('kind')));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec. `path` points at the spec. */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpecT | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if ((s.accessModes ?? []).length === 0) errs.push(required(path.child('accessModes'), 'at least 1 access mode is required'));
  errs.push(...validateAccessModes(s.accessModes, path.child('accessModes')));
  if (s.selector) errs.push(...validateLabelSelector(s.selector, path.child('selector')));
  const storage = s.resources?.requests?.['storage'];
  const sp = path.child('resources').key('storage');
  if (storage === undefined) errs.push(required(sp));
  else {
    const qErrs = quantityErrors(storage, sp);
    errs.push(...qErrs);
    const q = toQuantity(storage);
    if (!qErrs.length && q && q.mantissa <= 0n) errs.push(invalid(sp, quantityText(storage), 'must be greater than zero'));
  }
  for (const [k, v] of Object.entries(s.resources?.limits ?? {})) errs.push(...quantityErrors(v, path.child('resources').child('limits').key(k)));
  if (s.storageClassName) errs.push(...dnsSubdomain(s.storageClassName, path.child('storageClassName')));
  if (s.volumeMode !== undefined && !VOLUME_MODE_VALUES.includes(s.volumeMode))
    errs.push(notSupported(path.child('volumeMode'), s.volumeMode, VOLUME_MODE_VALUES));
  errs.push(...validateDataSource(s.dataSource, path.child('dataSource')));
  errs.push(...validateDataSource(s.dataSourceRef, path.child('dataSourceRef')));
  return errs;
}

const validatePVC = (pvc: PersistentVolumeClaimT) => validatePersistentVolumeClaimSpec(pvc.spec, FieldPath.root('spec'));

/** After creation only requests (expansion), the attributes class and a first volumeName may change. */
function validatePVCUpdate(pvc: PersistentVolumeClaimT, old: PersistentVolumeClaimT): FieldError[] {
  const errs = validatePVC(pvc);
  const next = cloneJson(pvc.spec ?? {});
  const prev = old.spec ?? {};
  next.resources = { ...(next.resources ?? {}), requests: prev.resources?.requests };
  if (next.resources.requests === undefined) delete next.resources.requests;
  next.volumeAttributesClassName = prev.volumeAttributesClassName;
  if (!prev.volumeName) next.volumeName = prev.volumeName;
  const stable = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
  if (stable(next) !== stable(prev))
    errs.push(forbidden(FieldPath.root('spec'), 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  return errs;
}

export const persistentvolumeclaims = defineResource<PersistentVolumeClaimT>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  subresources: { status: true },
  schema: PersistentVolumeClaim,
  defaults(pvc) {
    pvc.spec ??= {};
    defaultPersistentVolumeClaimSpec(pvc.spec);
  },
  strategy: {
    prepareForCreate(pvc) {
      pvc.status = { phase: 'Pending' };
    },
    validate: validatePVC,
    validateUpdate: validatePVCUpdate,
  },
  columns: [
    nameColumn(),
    col<PersistentVolumeClaimT>('Status', (c) => (c.metadata.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? '')), {
      description: 'Binding phase of the claim.',
    }),
    col<PersistentVolumeClaimT>('Volume', (c) => c.spec?.volumeName ?? '', { description: 'The volume bound to the claim.' }),
    col<PersistentVolumeClaimT>('Capacity', (c) => (c.spec?.volumeName ? quantityText(c.status?.capacity?.['storage']) : ''), {
      description: 'Size of the bound volume.',
    }),
    col<PersistentVolumeClaimT>('Access Modes', (c) => (c.spec?.volumeName ? accessModesString(c.status?.accessModes) : ''), {
      description: 'Access modes of the bound volume.',
    }),
    col<PersistentVolumeClaimT>('StorageClass', (c) => storageClassOf(c.metadata.annotations, c.spec?.storageClassName), {
      description: 'StorageClass of the pvc',
    }),
    col<PersistentVolumeClaimT>('VolumeAttributesClass', (c) => c.spec?.volumeAttributesClassName ?? '<unset>', {
      description: 'VolumeAttributesClass of the pvc',
    }),
    ageColumn(),
    col<PersistentVolumeClaimT>('VolumeMode', (c) => c.spec?.volumeMode ?? '<unset>', { priority: 1, description: 'Filesystem or Block.' }),
  ],
});
