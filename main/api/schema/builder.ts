/**
 * Small constructors for `Schema` nodes, so resource schemas read like the upstream types they mirror.
 *
 *   export const ContainerPort = def('io.k8s.api.core.v1.ContainerPort', 'A network port in a container.', {
 *     containerPort: int32('Port number to expose on the pod IP.'),
 *     protocol: str('TCP, UDP or SCTP. Defaults to "TCP".'),
 *   }, { required: ['containerPort'] });
 *
 *   ports: arr(ref(ContainerPort), 'Ports to expose.', { mergeKey: 'containerPort', strategy: 'merge',
 *                                                        listType: 'map', mapKeys: ['containerPort', 'protocol'] })
 */
import type { Definition, GroupVersionKind, Schema } from './schema.js';

type Extra = Partial<Schema>;

export function def(
  name: string,
  description: string,
  properties: Record<string, Schema>,
  opts: { required?: string[]; gvk?: GroupVersionKind[]; extra?: Extra } = {},
): Definition {
  const schema: Schema = { description, type: 'object', properties, ...opts.extra };
  if (opts.required?.length) schema.required = opts.required;
  if (opts.gvk) schema['x-kubernetes-group-version-kind'] = opts.gvk;
  return { name, schema };
}

/** A named definition that is not an object (Quantity, IntOrString, Time, ...). */
export function defScalar(name: string, schema: Schema): Definition {
  return { name, schema };
}

/** Reference to a definition; `target` may be a thunk for recursive or forward references. */
export function ref(target: Definition | (() => Definition), description?: string, extra: Extra = {}): Schema {
  const thunk = typeof target === 'function' ? target : () => target;
  const s: Schema = { ref: thunk, ...extra };
  if (description !== undefined) s.description = description;
  return s;
}

export const str = (description: string, extra: Extra = {}): Schema => ({ type: 'string', description, ...extra });
export const int32 = (description: string, extra: Extra = {}): Schema => ({ type: 'integer', format: 'int32', description, ...extra });
export const int64 = (description: string, extra: Extra = {}): Schema => ({ type: 'integer', format: 'int64', description, ...extra });
export const num = (description: string, extra: Extra = {}): Schema => ({ type: 'number', format: 'double', description, ...extra });
export const bool = (description: string, extra: Extra = {}): Schema => ({ type: 'boolean', description, ...extra });
/** base64-encoded bytes (Secret.data values). */
export const bytes = (description: string, extra: Extra = {}): Schema => ({ type: 'string', format: 'byte', description, ...extra });

/** A string with a closed set of values; the values are listed in the description as upstream does. */
export function enumStr(description: string, values: Record<string, string>, extra: Extra = {}): Schema {
  const lines = Object.entries(values).map(([v, what]) => ` - \`"${v}"\` ${what}`);
  return {
    type: 'string',
    description: `${description}\n\nPossible enum values:\n${lines.join('\n')}`,
    enum: Object.keys(values),
    ...extra,
  };
}

export interface ListOptions {
  /** Strategic-merge key (x-kubernetes-patch-merge-key). */
  mergeKey?: string;
  /** Strategic-merge strategy: 'merge', 'retainKeys', 'merge,retainKeys', 'replace'. */
  strategy?: string;
  /** Server-side-apply list type. */
  listType?: 'atomic' | 'set' | 'map';
  mapKeys?: string[];
}

export function arr(items: Schema, description: string, opts: ListOptions = {}, extra: Extra = {}): Schema {
  const s: Schema = { type: 'array', description, items, ...extra };
  if (opts.mergeKey) s['x-kubernetes-patch-merge-key'] = opts.mergeKey;
  if (opts.strategy) s['x-kubernetes-patch-strategy'] = opts.strategy;
  if (opts.listType) s['x-kubernetes-list-type'] = opts.listType;
  if (opts.mapKeys) s['x-kubernetes-list-map-keys'] = opts.mapKeys;
  return s;
}

/** A string-keyed map (`map[string]V` in Go). */
export const map = (values: Schema, description: string, extra: Extra = {}): Schema => ({
  type: 'object',
  description,
  additionalProperties: values,
  ...extra,
});

/** `map[string]string`, the shape of labels, annotations, selectors and ConfigMap data. */
export const stringMap = (description: string, extra: Extra = {}): Schema => map({ type: 'string', default: '' }, description, extra);

/** An anonymous object (rare: most objects are named definitions). */
export function obj(description: string, properties: Record<string, Schema>, required: string[] = []): Schema {
  const s: Schema = { type: 'object', description, properties };
  if (required.length) s.required = required;
  return s;
}

/** Free-form JSON (RawExtension, CRD fields with x-kubernetes-preserve-unknown-fields). */
export const anything = (description: string): Schema => ({
  type: 'object',
  description,
  'x-kubernetes-preserve-unknown-fields': true,
});
