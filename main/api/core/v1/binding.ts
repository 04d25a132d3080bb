/**
 * core/v1 Binding: assigns a pod to a node. Served as POST /api/v1/namespaces/<ns>/bindings (named
 * after the pod) and as pods/<name>/binding; only create exists and nothing is stored as a Binding:
 * the API server sets the pod's spec.nodeName (and PodScheduled condition) instead.
 */
import { FieldPath, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { def, ref } from '../../schema/builder.js';
import { ObjectReference } from './object-reference.js';

export interface Binding extends KObject {
  target: ObjectReference;
}

export const BindingSchema = def(
  'io.k8s.api.core.v1.Binding',
  'Ties one object to another, e.g. a pod to the node that will run it.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    target: ref(ObjectReference, 'The object to bind to (a Node).', { default: {} }),
  },
  { required: ['target'], gvk: [{ group: '', version: 'v1', kind: 'Binding' }] },
);

/** ValidatePodBinding: the target is a Node (kind may be empty) with a name. */
export function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind && kind !== 'Node') errs.push(notSupported(FieldPath.root('target').child('kind'), kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(required(FieldPath.root('target').child('name'), ''));
  return errs;
}

export const bindings = defineResource<Binding>({
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  namespaced: true,
  verbs: ['create'],
  virtual: true,
  schema: BindingSchema,
  strategy: { validate: validateBinding },
});
