/**
 * apps/v1 ControllerRevision: an immutable snapshot of state (a DaemonSet or StatefulSet template patch)
 * that controllers keep for rollbacks and `kubectl rollout history`.
 */
import { FieldPath, invalid, required, type FieldError } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { RawExtension, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { def, int64, ref } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { nonNegative, semanticEqual } from './workload-helpers.js';

export const ControllerRevision = def(
  'io.k8s.api.apps.v1.ControllerRevision',
  'An immutable snapshot of internal state kept by a controller, used for rollbacks.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    data: ref(RawExtension, 'The serialized state (for workloads, a patch of the pod template).'),
    revision: int64('Revision number this snapshot represents.', { default: 0 }),
  },
  { required: ['revision'], gvk: [{ group: 'apps', version: 'v1', kind: 'ControllerRevision' }] },
);

export interface ControllerRevisionObject extends KObject {
  data?: unknown;
  revision?: number;
}

/** ValidateControllerRevision (without metadata, which the server checks). */
export function validateControllerRevision(cr: ControllerRevisionObject): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative(cr.revision ?? 0, 'revision'));
  return errs;
}

/** `<kind>.<group>/<name>` of the controlling owner, as upstream formats it; `<none>` without one. */
export function controllerCell(o: KObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerrevisions = defineResource<ControllerRevisionObject>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  schema: ControllerRevision,
  strategy: {
    validate: validateControllerRevision,
    validateUpdate(cr, old) {
      const errs = validateControllerRevision(cr);
      if (!semanticEqual(cr.data, old.data)) errs.push(invalid(FieldPath.root('data'), cr.data, 'field is immutable'));
      return errs;
    },
  },
  columns: [
    nameColumn(),
    col<ControllerRevisionObject>('Controller', controllerCell, { description: 'Controller of the object.' }),
    col<ControllerRevisionObject>('Revision', (cr) => cr.revision ?? 0, {
      type: 'integer',
      description: 'Revision number this snapshot represents.',
    }),
    ageColumn(),
  ],
});
