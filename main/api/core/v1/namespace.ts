/**
 * core/v1 Namespace: the scope most objects live in. Cluster-scoped, DNS-1123 label names, a
 * `kubernetes` finalizer the namespace controller removes once the namespace is empty, and the
 * `kubernetes.io/metadata.name` label kept equal to the name so namespace selectors can match by name.
 */
import { FieldPath, invalid, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName, nameIsDNSLabel } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, Time, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';

export interface NamespaceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Namespace extends KObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';
export const FINALIZER_KUBERNETES = 'kubernetes';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export const NamespaceSpec = def('io.k8s.api.core.v1.NamespaceSpec', 'Desired attributes of a namespace.', {
  finalizers: arr(
    str('', { default: '' }),
    'Values that must be cleared before the namespace can be removed from storage.',
    { listType: 'atomic' },
  ),
});

export const NamespaceCondition = def(
  'io.k8s.api.core.v1.NamespaceCondition',
  'One observed aspect of a namespace, e.g. whether its content could be deleted.',
  {
    type: str('Kind of condition, e.g. NamespaceDeletionContentFailure.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastTransitionTime: ref(Time, 'When the condition last changed status.'),
    reason: str('Machine-readable reason for the last transition.'),
    message: str('Human-readable detail about the last transition.'),
  },
  { required: ['type', 'status'] },
);

export const NamespaceStatus = def('io.k8s.api.core.v1.NamespaceStatus', 'Observed state of a namespace.', {
  phase: enumStr('Lifecycle phase of the namespace.', {
    Active: 'the namespace is usable.',
    Terminating: 'the namespace is being emptied and deleted.',
  }),
  conditions: arr(ref(NamespaceCondition, undefined, { default: {} }), 'Latest observations of the namespace state.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
});

export const NamespaceSchema = def(
  'io.k8s.api.core.v1.Namespace',
  'A scope for names: most objects belong to exactly one namespace.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(NamespaceSpec, 'Desired behaviour of the namespace.', { default: {} }),
    status: ref(NamespaceStatus, 'Observed state of the namespace; read-only for clients.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Namespace' }] },
);

/** Keeps `kubernetes.io/metadata.name` equal to the name (SetDefaults_Namespace + Canonicalize). */
function syncNameLabel(ns: Namespace): void {
  const name = ns.metadata.name;
  if (!name) return;
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [LABEL_METADATA_NAME]: name };
}

/**
 * One finalizer name on spec.finalizers: a qualified name, and if it has no domain prefix it must be
 * one of the standard finalizers. Upstream reports these against `spec.finalizers` without an index
 * on create/update and with the index through the finalize subresource (pass the path accordingly).
 */
export function validateNamespaceFinalizerName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !STANDARD_FINALIZERS.has(name))
    return [invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  return [];
}

/** For the namespaces/finalize handler: validates the new spec.finalizers (indexed paths). */
export function validateNamespaceFinalize(ns: Namespace): FieldError[] {
  const path = FieldPath.root('spec').child('finalizers');
  return (ns.spec?.finalizers ?? []).flatMap((f, i) => validateNamespaceFinalizerName(f, path.index(i)));
}

function validateNamespace(ns: Namespace): FieldError[] {
  const path = FieldPath.root('spec').child('finalizers');
  return (ns.spec?.finalizers ?? []).flatMap((f) => validateNamespaceFinalizerName(f, path));
}

function validateNamespaceStatus(ns: Namespace): FieldError[] {
  const phase = ns.status?.phase ?? '';
  const path = FieldPath.root('status').child('Phase');
  if (!ns.metadata.deletionTimestamp) {
    if (phase !== 'Active') return [invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  } else if (phase !== 'Terminating') {
    return [invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
  }
  return [];
}

export const namespaces = defineResource<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  nameRule: nameIsDNSLabel,
  schema: NamespaceSchema,
  subresources: { status: true, finalize: true },
  defaults(ns) {
    syncNameLabel(ns);
    if (ns.status && !ns.status.phase) ns.status.phase = 'Active';
  },
  strategy: {
    prepareForCreate(ns) {
      ns.status = { phase: 'Active' };
      const finalizers = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(FINALIZER_KUBERNETES)) ns.spec = { ...(ns.spec ?? {}), finalizers: [...finalizers, FINALIZER_KUBERNETES] };
      syncNameLabel(ns);
    },
    prepareForUpdate(ns, old) {
      // Finalizers change only through namespaces/finalize; status only through namespaces/status.
      ns.spec = { ...(ns.spec ?? {}) };
      if (old.spec?.finalizers) ns.spec.finalizers = [...old.spec.finalizers];
      else delete ns.spec.finalizers;
      if (old.status) ns.status = old.status;
      else delete ns.status;
      syncNameLabel(ns);
    },
    validate: validateNamespace,
    validateUpdate: (ns) => validateNamespace(ns),
    prepareForStatusUpdate(ns, old) {
      if (old.spec) ns.spec = old.spec;
      else delete ns.spec;
    },
    validateStatusUpdate: (ns) => validateNamespaceStatus(ns),
  },
  fieldSelectors: { 'status.phase': (ns) => ns.status?.phase ?? '' },
  columns: [
    nameColumn<Namespace>(),
    col<Namespace>('Status', (ns) => ns.status?.phase ?? '', { description: 'The status of the namespace' }),
    ageColumn<Namespace>(),
  ],
});
