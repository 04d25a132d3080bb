/**
 * Reference types of core/v1 that many kinds embed: ObjectReference (Events, Bindings, Endpoints,
 * ServiceAccount secrets), LocalObjectReference (imagePullSecrets, secretRef), and the typed variants
 * used by PVC data sources. Names and list/map markers follow upstream's OpenAPI.
 */
import { def, str } from '../../schema/builder.js';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface LocalObjectReference {
  name?: string;
}

export const ObjectReference = def(
  'io.k8s.api.core.v1.ObjectReference',
  'Points at any object, with enough information to find and inspect it.',
  {
    kind: str('Kind of the referent, e.g. "Pod".'),
    namespace: str('Namespace of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    apiVersion: str('API version of the referent.'),
    resourceVersion: str('The resourceVersion the reference was made against, if any.'),
    fieldPath: str(
      'For a reference to part of an object, the path of that part, e.g. "spec.containers{name}" for one container.',
    ),
  },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const LocalObjectReference = def(
  'io.k8s.api.core.v1.LocalObjectReference',
  'Names an object in the same namespace.',
  {
    name: str('Name of the referent; must not be empty in practice.', { default: '' }),
  },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const TypedLocalObjectReference = def(
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'Names an object of a given kind (and API group) in the same namespace.',
  {
    apiGroup: str('API group of the referent; empty means the core group.'),
    kind: str('Kind of the referent.', { default: '' }),
    name: str('Name of the referent.', { default: '' }),
  },
  { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const TypedObjectReference = def(
  'io.k8s.api.core.v1.TypedObjectReference',
  'Names an object of a given kind (and API group), optionally in another namespace.',
  {
    apiGroup: str('API group of the referent; empty means the core group.'),
    kind: str('Kind of the referent.', { default: '' }),
    name: str('Name of the referent.', { default: '' }),
    namespace: str('Namespace of the referent; cross-namespace references need a ReferenceGrant.'),
  },
  { required: ['kind', 'name'] },
);

/** Field selectors `<prefix>.kind`, `.namespace`, `.name`, `.uid`, `.apiVersion`, `.resourceVersion`, `.fieldPath`. */
export function referenceFieldSelectors<T>(prefix: string, get: (o: T) => ObjectReference | undefined): Record<string, (o: T) => string> {
  const fields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'] as const;
  return Object.fromEntries(fields.map((f) => [`${prefix}.${f}`, (o: T) => get(o)?.[f] ?? '']));
}
