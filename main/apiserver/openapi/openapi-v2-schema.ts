/**
 * Turns in-memory Schema trees into Swagger 2.0 definitions (`#/definitions/<name>`), shaped so that
 * kube-openapi's proto models (pkg/util/proto, what kubectl builds from `/openapi/v2` for client-side
 * validation) parse every definition. One bad node fails the whole document for kubectl, so the emitter
 * enforces those parse rules instead of copying v3 verbatim:
 *   - a reference is `{$ref, description?, default?}` only (a `$ref` with a type or properties is rejected);
 *   - keywords kubectl's models ignore or v2 lacks (nullable, allOf, anyOf, oneOf, not) are dropped;
 *   - as in upstream's v2 conversion of CRD schemas (apiextensions ToStructuralOpenAPIV2), nullable and
 *     `x-kubernetes-preserve-unknown-fields` nodes become arbitrary values (no type, properties or items):
 *     kubectl would otherwise reject a null, or report the fields it is told to keep as unknown;
 *   - an array without items, or an unknown type name, loses its `type` (arbitrary value).
 */
import type { Definition, Schema } from '../../api/schema/schema.js';

const TYPES: ReadonlySet<string> = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/** Keywords Swagger 2.0 / gnostic's Schema message can carry (besides `x-` extensions). */
const V2_KEYWORDS: ReadonlySet<string> = new Set([
  'format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
  'required', 'enum', 'type', 'discriminator', 'readOnly', 'example',
]);

export const definitionRef = (name: string): string => `#/definitions/${name}`;

export class SwaggerSchemaEmitter {
  readonly definitions = new Map<string, Record<string, unknown>>();
  private readonly pending = new Set<string>();

  /** Emits a definition (and everything it references); returns its `$ref`. */
  define(def: Definition): string {
    const ref = definitionRef(def.name);
    if (this.definitions.has(def.name) || this.pending.has(def.name)) return ref;
    this.pending.add(def.name);
    this.definitions.set(def.name, this.emit(def.schema));
    this.pending.delete(def.name);
    return ref;
  }

  emit(schema: Schema): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (schema.ref) {
      out.$ref = this.define(schema.ref());
      if (schema.description !== undefined) out.description = schema.description;
      if (schema.default !== undefined) out.default = schema.default;
      for (const [k, v] of Object.entries(schema)) if (k.startsWith('x-') && v !== undefined) out[k] = v;
      return out;
    }
    const arbitrary = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.nullable === true;
    for (const [k, v] of Object.entries(schema)) {
      if (v === undefined) continue;
      if (k.startsWith('x-')) out[k] = v;
      else if (arbitrary) {
        if (k === 'description' || k === 'default' || k === 'format') out[k] = v;
      } else if (k === 'properties' && v && typeof v === 'object') {
        const props: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(v as Record<string, Schema>)) props[name] = this.emit(child);
        out.properties = props;
      } else if (k === 'items' && v && typeof v === 'object' && !Array.isArray(v)) {
        out.items = this.emit(v as Schema);
      } else if (k === 'additionalProperties') {
        out.additionalProperties = typeof v === 'object' ? this.emit(v as Schema) : v === true;
      } else if (V2_KEYWORDS.has(k)) {
        out[k] = v;
      }
    }
    const type = out.type;
    if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type) || (type === 'array' && !out.items)))
      delete out.type;
    if (out.type === undefined && out.items !== undefined && out.properties === undefined) delete out.items;
    return out;
  }

  sortedDefinitions(): Record<string, unknown> {
    return Object.fromEntries([...this.definitions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
