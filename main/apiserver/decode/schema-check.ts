/**
 * Checks a decoded body against the resource schema the way Go's JSON decoding into the typed struct would:
 * wrong JSON types are errors (always), unknown fields are collected (for fieldValidation) and pruned, and
 * explicit nulls are dropped (Go leaves such fields unset).
 */
import { Quantity } from '../../api/meta/schemas.js';
import { canonicalQuantity, quantityError } from '../../api/meta/quantity.js';
import { deref, shortName, type Schema } from '../../api/schema/schema.js';
import { isCustomResourceSchemaNode } from '../../api/apiextensions.k8s.io/v1/custom-resource-schema-convert.js';

export interface SchemaCheckResult {
  /** Paths of unknown fields, e.g. `spec.containers[0].foo`. */
  unknown: string[];
  /** Go-decoder-style messages for type mismatches. */
  typeErrors: string[];
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

function goType(s: Schema, defName: string | undefined): string {
  if (s['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  switch (s.type) {
    case 'integer':
      return s.format === 'int32' ? 'int32' : 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return '[]' + (s.items ? goType(deref(s.items) ?? {}, s.items.ref ? shortName(s.items.ref()) : undefined) : 'interface {}');
    case 'object':
      if (defName) return `v1.${defName}`;
      if (typeof s.additionalProperties === 'object') return `map[string]${goType(deref(s.additionalProperties) ?? {}, undefined)}`;
      return 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

function typeMatches(s: Schema, v: unknown): boolean {
  if (s['x-kubernetes-int-or-string']) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
  switch (s.type) {
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return false;
      // An int32 field cannot hold a larger value (Go: "cannot unmarshal number 3000000000 into ... of type int32").
      return s.format !== 'int32' || (v >= -2147483648 && v <= 2147483647);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return true;
  }
}

/**
 * Walks `value` (mutating it: unknown fields and nulls are removed) against `schema`.
 * `rootStruct` names the top-level Go struct (the Kind) for messages.
 */
export function checkAgainstSchema(value: Record<string, unknown>, schema: Schema, rootStruct: string): SchemaCheckResult {
  const result: SchemaCheckResult = { unknown: [], typeErrors: [] };
  walkObject(value, schema, '', '', rootStruct, result);
  return result;
}

function walkObject(
  obj: Record<string, unknown>, schemaIn: Schema, path: string, goPath: string, struct: string, out: SchemaCheckResult,
): void {
  const schema = deref(schemaIn) ?? {};
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return;
  const props = schema.properties;
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    const childPath = path ? `${path}.${key}` : key;
    const childGoPath = goPath ? `${goPath}.${key}` : key;
    if (v === null) {
      delete obj[key];
      continue;
    }
    const child = props?.[key] ?? extra;
    if (!child) {
      if (schema['x-kubernetes-preserve-unknown-fields'] || (!props && !extra)) continue;
      out.unknown.push(childPath);
      delete obj[key];
      continue;
    }
    walkValue(obj, key, v, child, childPath, childGoPath, struct, out);
  }
}

function walkValue(
  parent: Record<string, unknown> | unknown[], key: string | number, v: unknown, schemaIn: Schema,
  path: string, goPath: string, struct: string, out: SchemaCheckResult,
): void {
  const schema = deref(schemaIn) ?? {};
  const target = schemaIn.ref?.();
  const defName = target ? shortName(target) : undefined;
  if (target === Quantity && (typeof v === 'string' || typeof v === 'number')) {
    // Quantities are parsed on decode and served in canonical form ("1000m" → "1"), as Go's decoder does.
    const err = quantityError(v);
    if (err) out.typeErrors.push(err);
    else (parent as Record<string | number, unknown>)[key] = canonicalQuantity(v)!;
    return;
  }
  // Custom resource fields are unstructured: type mismatches are left for schema validation to report.
  if (isCustomResourceSchemaNode(schemaIn) && !typeMatches(schema, v)) return;
  if (!typeMatches(schema, v)) {
    const t = jsonType(v);
    // Go names the literal only when a number does not fit an integer field ("number 1.5"); a number in any
    // other field is just "number" ("cannot unmarshal number into Go struct field ... of type string").
    const intTarget = schema.type === 'integer' || !!schema['x-kubernetes-int-or-string'];
    const shown = t === 'number' && intTarget ? `number ${String(v)}` : t;
    out.typeErrors.push(`json: cannot unmarshal ${shown} into Go struct field ${struct}.${goPath} of type ${goType(schema, defName)}`);
    if (Array.isArray(parent)) parent.splice(Number(key), 1, undefined);
    else delete (parent as Record<string, unknown>)[key as string];
    return;
  }
  if (schema.type === 'array' && Array.isArray(v)) {
    const items = schema.items;
    if (!items) return;
    v.forEach((item, i) => {
      if (item === null) return;
      walkValue(v, i, item, items, `${path}[${i}]`, goPath, struct, out);
    });
    return;
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && (schema.properties || schema.additionalProperties || schema['x-kubernetes-preserve-unknown-fields'] !== undefined)) {
    walkObject(v as Record<string, unknown>, schema, path, goPath, defName ?? struct, out);
  }
}
