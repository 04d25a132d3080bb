/**
 * The schema language every resource is declared in.
 *
 * A `Schema` is an OpenAPI v3 (JSON Schema) node exactly as `/openapi/v3` serves it, plus one private
 * field, `ref`, that points at a named `Definition` by JS reference. Keeping references as live pointers
 * (not `$ref` strings) lets validation, defaulting, patching and pruning walk the tree without a global
 * registry; the OpenAPI emitter turns each `ref` into `allOf: [{$ref: '#/components/schemas/<name>'}]`,
 * the shape upstream serves and `kubectl explain` follows.
 */

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export type SchemaType = 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface Schema {
  type?: SchemaType;
  /** int32, int64, double, byte, date-time, int-or-string, ... */
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  /** Only produced for CRD schemas (structural schema keywords kept as given). */
  [extra: `x-${string}`]: unknown;
  'x-kubernetes-patch-merge-key'?: string;
  /** "merge", "replace", "retainKeys" or "merge,retainKeys" — strategic merge patch behaviour. */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  /** Points at a named definition; lazy so recursive and forward references work. Never emitted. */
  ref?: () => Definition;
}

/** A named schema, served as `components.schemas[name]` (e.g. `io.k8s.api.core.v1.Container`). */
export interface Definition {
  name: string;
  schema: Schema;
}

/** Follows `ref` (if any) to the schema that describes the value. */
export function deref(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  for (let hops = 0; s?.ref && hops < 16; hops++) s = s.ref().schema;
  return s;
}

/** The schema of property `name` of an object schema, or of map values when the schema is a map. */
export function propertySchema(schema: Schema | undefined, name: string): Schema | undefined {
  const s = deref(schema);
  if (!s) return undefined;
  const p = s.properties?.[name];
  if (p) return p;
  if (typeof s.additionalProperties === 'object') return s.additionalProperties;
  return undefined;
}

/** The schema of the items of an array schema. */
export function itemSchema(schema: Schema | undefined): Schema | undefined {
  return deref(schema)?.items;
}

/** The Go-ish short type name of a definition (`io.k8s.api.core.v1.PodSpec` → `PodSpec`), for messages. */
export function shortName(def: Definition): string {
  const i = def.name.lastIndexOf('.');
  return i < 0 ? def.name : def.name.slice(i + 1);
}
