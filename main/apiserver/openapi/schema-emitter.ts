/**
 * Turns in-memory Schema trees into OpenAPI v3 JSON: each `ref` becomes `allOf: [{$ref}]` (the shape upstream
 * serves and kubectl explain follows) and every referenced Definition is collected into components.schemas.
 */
import type { Definition, Schema } from '../../api/schema/schema.js';

export class SchemaEmitter {
  readonly components = new Map<string, unknown>();
  private readonly pending = new Set<string>();

  /** Emits a definition (and everything it references) into components; returns its $ref. */
  define(def: Definition): string {
    const ref = `#/components/schemas/${def.name}`;
    if (this.components.has(def.name) || this.pending.has(def.name)) return ref;
    this.pending.add(def.name);
    this.components.set(def.name, this.emit(def.schema));
    this.pending.delete(def.name);
    return ref;
  }

  emit(schema: Schema): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (schema.ref) {
      const def = schema.ref();
      out.allOf = [{ $ref: this.define(def) }];
    }
    for (const [k, v] of Object.entries(schema)) {
      if (k === 'ref' || v === undefined) continue;
      if (k === 'properties') {
        const props: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(v as Record<string, Schema>)) props[name] = this.emit(child);
        out.properties = props;
      } else if (k === 'items' || (k === 'additionalProperties' && typeof v === 'object')) {
        out[k] = this.emit(v as Schema);
      } else {
        out[k] = v;
      }
    }
    return out;
  }

  sortedComponents(): Record<string, unknown> {
    return Object.fromEntries([...this.components.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
