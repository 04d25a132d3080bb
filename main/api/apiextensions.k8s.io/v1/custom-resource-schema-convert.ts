/**
 * CRD JSONSchemaProps → our Schema nodes, used to publish CRD schemas in OpenAPI and to let the generic
 * server detect unknown fields. Value validations are carried over as-is; apiVersion, kind and metadata
 * are made explicit at the root and in embedded resources (metadata as ObjectMeta), as upstream publishes.
 */
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import type { Schema, SchemaType } from '../../schema/schema.js';
import type { JSONSchemaProps } from './json-schema-props.js';

const TYPES = new Set(['object', 'string', 'integer', 'number', 'boolean', 'array']);
const COPIED = [
  'format', 'description', 'title', 'default', 'nullable', 'enum', 'required', 'maximum', 'exclusiveMaximum',
  'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems',
  'multipleOf', 'maxProperties', 'minProperties', 'example', 'externalDocs',
  'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations',
] as const;

/**
 * Nodes converted from a CRD schema. Custom resources are decoded as unstructured JSON upstream, so a wrong
 * JSON type there is not a Go decode error but a schema validation error (`... in body must be of type ...`).
 */
const customResourceNodes = new WeakSet<Schema>();

/** True for schema nodes that came from a CRD's openAPIV3Schema (not the ObjectMeta/TypeMeta built-ins). */
export function isCustomResourceSchemaNode(s: Schema): boolean {
  return customResourceNodes.has(s);
}

function convert(p: JSONSchemaProps, root: boolean): Schema {
  const out: Record<string, unknown> = {};
  customResourceNodes.add(out as Schema);
  if (p.type && TYPES.has(p.type)) out.type = p.type as SchemaType;
  for (const k of COPIED) if (p[k] !== undefined) out[k] = JSON.parse(JSON.stringify(p[k]));
  const s = out as Schema;
  if (p.properties) {
    s.properties = {};
    for (const [k, v] of Object.entries(p.properties)) s.properties[k] = convert(v, false);
  }
  if (p.items && !Array.isArray(p.items)) s.items = convert(p.items, false);
  if (p.additionalProperties !== undefined)
    s.additionalProperties = typeof p.additionalProperties === 'boolean' ? p.additionalProperties : convert(p.additionalProperties, false);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = p[k];
    if (list) out[k] = list.map((x) => convert(x, false));
  }
  if (p.not) out.not = convert(p.not, false);
  if (root || p['x-kubernetes-embedded-resource']) {
    s.type ??= 'object';
    s.properties = { ...typeMeta(), metadata: objectMeta(), ...stripMeta(s.properties ?? {}) };
  }
  return s;
}

function stripMeta(props: Record<string, Schema>): Record<string, Schema> {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = props;
  return rest;
}

/** Converts a version's openAPIV3Schema (the root of a custom resource) into a Schema. */
export function crdSchemaToSchema(openAPIV3Schema: JSONSchemaProps): Schema {
  return convert(openAPIV3Schema, true);
}
