/**
 * Structural defaulting and pruning of custom resources (apiextensions-apiserver's defaulting and pruning
 * algorithms): defaults fill absent fields top-down (and nulls of non-nullable fields that have a default);
 * pruning drops every field the schema does not specify, except under x-kubernetes-preserve-unknown-fields.
 * apiVersion, kind and metadata are always kept at the root and in embedded resources.
 */
import { FieldPath } from '../../meta/field-errors.js';
import { cloneJson, isObject } from '../../meta/object.js';
import { itemsOf, type JSONSchemaProps } from './json-schema-props.js';

function defaultValue(v: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (Array.isArray(v)) {
    const items = itemsOf(s);
    if (items) for (const x of v) defaultValue(x, items);
    return;
  }
  if (!isObject(v)) return;
  for (const [k, ps] of Object.entries(s.properties ?? {})) {
    if (ps.default === undefined) continue;
    if (!(k in v) || v[k] === undefined || (v[k] === null && !ps.nullable)) v[k] = cloneJson(ps.default);
  }
  for (const [k, x] of Object.entries(v)) {
    const ps = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (ps) defaultValue(x, ps);
  }
}

/** Applies `default`s of the schema to `obj` in place and returns it. Root metadata is never defaulted. */
export function applyCustomResourceDefaults<T>(obj: T, schema: JSONSchemaProps): T {
  if (!isObject(obj)) return obj;
  const { metadata: _m, ...props } = schema.properties ?? {};
  defaultValue(obj, { ...schema, properties: props });
  return obj;
}

const KEEP = new Set(['apiVersion', 'kind', 'metadata']);

function pruneValue(v: unknown, s: JSONSchemaProps | undefined, p: FieldPath, keepMeta: boolean, out: string[]): void {
  if (!s) return;
  if (Array.isArray(v)) {
    const items = itemsOf(s);
    if (items) v.forEach((x, i) => pruneValue(x, items, p.index(i), false, out));
    return;
  }
  if (!isObject(v)) return;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] ?? false;
  const embedded = s['x-kubernetes-embedded-resource'] ?? false;
  for (const k of Object.keys(v)) {
    if ((keepMeta || embedded) && KEEP.has(k)) {
      if (k !== 'metadata' && s.properties?.[k]) pruneValue(v[k], s.properties[k], p.child(k), false, out);
      continue;
    }
    const ps = s.properties?.[k];
    if (ps) {
      pruneValue(v[k], ps, p.child(k), false, out);
    } else if (typeof s.additionalProperties === 'object') {
      pruneValue(v[k], s.additionalProperties, p.child(k), false, out);
    } else if (s.additionalProperties === true || preserve) {
      continue;
    } else {
      out.push(p.child(k).toString());
      delete v[k];
    }
  }
}

/** Removes unknown fields from `obj` in place; returns the removed paths (e.g. "spec.foo", "spec.items[0].bar"). */
export function pruneUnknownFields(obj: unknown, schema: JSONSchemaProps): string[] {
  const out: string[] = [];
  pruneValue(obj, schema, FieldPath.root(), true, out);
  return out;
}
