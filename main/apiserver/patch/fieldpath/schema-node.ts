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

function deduced(v: unknown): SchemaNode {
  if (isObject(v)) return { t: 'map', atomic: false, struct: false, field: () => UNTYPED };
  if (Array.isArray(v)) return { t: 'list', rel: 'atomic', keys: [], item: undefined };
  return { t: 'scalar' };
}

/** Classifies `v` (the value found at this node; may be undefined/null) against `schema`. */
export function schemaNode(schema: Schema | undefined, v: unknown): SchemaNode {
  const s = deref(schema);
  if (!s) return deduced(v);
  const ext = <T>(name: `x-${string}`): T | undefined => (schema?.[name] ?? s[name]) as T | undefined;
  const present = v !== undefined && v !== null;

  if (s.type === 'array' || s.items) {
    if (present && !Array.isArray(v)) return { t: 'scalar' };
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
    return { t: 'list', rel: rel as 'atomic' | 'set' | 'map', keys, item: s.items };
  }

  const hasProps = !!s.properties && Object.keys(s.properties).length > 0;
  const additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  if (s.type === 'object' || hasProps || additional) {
    if (present && !isObject(v)) return { t: 'scalar' };
    if (!hasProps && !additional) return deduced(v ?? {});
    const atomic = ext<string>('x-kubernetes-map-type') === 'atomic';
    const props = s.properties ?? {};
    return {
      t: 'map',
      atomic,
      struct: hasProps,
      field: (name) => {
        const p = Object.prototype.hasOwnProperty.call(props, name) ? props[name] : undefined;
        if (p) return { schema: p, declared: true };
        return additional ? { schema: additional, declared: false } : UNTYPED;
      },
    };
  }
  if (s['x-kubernetes-preserve-unknown-fields']) return deduced(v);
  return { t: 'scalar' };
}
