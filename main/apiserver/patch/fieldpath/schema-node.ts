/**
 * How structured-merge-diff sees a value at a schema node: a scalar, a map (struct or string-keyed map,
 * granular or atomic) or a list (atomic, set, or associative "map" list with key fields).
 *
 * Rules mirror kube-openapi's OpenAPI → SMD conversion:
 *  - `x-kubernetes-list-type` decides list semantics; without it, patch strategy "merge" with a merge key
 *    means an associative list keyed by that key, "merge" alone a set, anything else atomic;
 *  - `x-kubernetes-map-type: atomic` makes a map a single leaf;
 *  - no schema, or an open object (`x-kubernetes-preserve-unknown-fields`, bare `type: object`), is
 *    "deduced": maps are granular with undeclared keys, lists atomic, the rest scalars;
 *  - a value whose JSON kind contradicts the schema is treated as a scalar leaf.
 */
import { deref, type Schema } from '../../../api/schema/schema.js';
import { isObject } from '../../../api/meta/object.js';

export interface FieldInfo {
  schema: Schema | undefined;
  /** A named property of a struct (as opposed to a key of a string-keyed or open map). */
  declared: boolean;
}

export type SchemaNode =
  | { t: 'scalar' }
  | { t: 'map'; atomic: boolean; struct: boolean; field: (name: string) => FieldInfo }
  | { t: 'list'; rel: 'atomic' | 'set' | 'map'; keys: string[]; item: Schema | undefined };

const UNTYPED: FieldInfo = { schema: undefined, declared: false };
const SCALAR: SchemaNode = { t: 'scalar' };
const DEDUCED_MAP: SchemaNode = { t: 'map', atomic: false, struct: false, field: () => UNTYPED };
const DEDUCED_LIST: SchemaNode = { t: 'list', rel: 'atomic', keys: [], item: undefined };

function deduced(v: unknown): SchemaNode {
  if (isObject(v)) return DEDUCED_MAP;
  if (Array.isArray(v)) return DEDUCED_LIST;
  return SCALAR;
}

/**
 * What a schema says independent of the value: a list or map node (used when the value has the right JSON kind,
 * or is absent), an open map (deduced), "deduce from the value", or a scalar.
 */
type Classified =
  | { kind: 'list' | 'map'; node: SchemaNode }
  | { kind: 'open-map' | 'deduced' | 'scalar' };

/**
 * Classification per schema object. Schemas are immutable once built, and field-path walks classify every node
 * of every written object (managed fields on each write), so this is computed once per schema.
 */
const classified = new WeakMap<Schema, Classified>();

function classify(schema: Schema): Classified {
  const s = deref(schema);
  if (!s) return { kind: 'deduced' };
  const ext = <T>(name: `x-${string}`): T | undefined => (schema[name] ?? s[name]) as T | undefined;

  if (s.type === 'array' || s.items) {
    let rel = ext<string>('x-kubernetes-list-type');
    let keys = ext<string[]>('x-kubernetes-list-map-keys') ?? [];
    if (!rel) {
      const strategy = ext<string>('x-kubernetes-patch-strategy') ?? '';
      const mergeKey = ext<string>('x-kubernetes-patch-merge-key');
      if (strategy.split(',').includes('merge')) {
        rel = mergeKey ? 'map' : 'set';
        keys = mergeKey ? [mergeKey] : [];
      } else rel = 'atomic';
    }
    if (rel === 'map' && keys.length === 0) rel = 'atomic';
    return { kind: 'list', node: { t: 'list', rel: rel as 'atomic' | 'set' | 'map', keys, item: s.items } };
  }

  const hasProps = !!s.properties && Object.keys(s.properties).length > 0;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (s.type === 'object' || hasProps || additional) {
    if (!hasProps && !additional) return { kind: 'open-map' };
    const props = s.properties ?? {};
    const fields = new Map<string, FieldInfo>();
    for (const name of Object.keys(props)) fields.set(name, { schema: props[name], declared: true });
    const other: FieldInfo = additional ? { schema: additional, declared: false } : UNTYPED;
    return {
      kind: 'map',
      node: { t: 'map', atomic: ext<string>('x-kubernetes-map-type') === 'atomic', struct: hasProps, field: (name) => fields.get(name) ?? other },
    };
  }
  if (s['x-kubernetes-preserve-unknown-fields']) return { kind: 'deduced' };
  return { kind: 'scalar' };
}

/** Classifies `v` (the value found at this node; may be undefined/null) against `schema`. */
export function schemaNode(schema: Schema | undefined, v: unknown): SchemaNode {
  if (!schema) return deduced(v);
  let c = classified.get(schema);
  if (!c) classified.set(schema, (c = classify(schema)));
  const present = v !== undefined && v !== null;
  switch (c.kind) {
    case 'list':
      return present && !Array.isArray(v) ? SCALAR : c.node;
    case 'map':
      return present && !isObject(v) ? SCALAR : c.node;
    case 'open-map':
      return present && !isObject(v) ? SCALAR : DEDUCED_MAP;
    case 'deduced':
      return deduced(v);
    case 'scalar':
      return SCALAR;
  }
}
