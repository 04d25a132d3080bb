/**
 * Decodes a request object for a resource: checks apiVersion/kind, JSON types and unknown fields against the
 * schema, and applies the `fieldValidation` directive (Strict → 400, Warn → Warning headers, Ignore).
 */
import { isObject, type KObject } from '../../api/meta/object.js';
import { apiVersionOf, type ResourceDescriptor } from '../../api/resource.js';
import { badRequest } from '../http/api-error.js';
import { checkAgainstSchema } from './schema-check.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
}

/** Header texts for unknown fields (as upstream's Warn mode sends them). */
export function unknownFieldWarnings(paths: string[]): string[] {
  return paths.map((p) => `unknown field "${p}"`);
}

/**
 * `duplicates` are paths of repeated keys found in the raw JSON text (see duplicate-fields.ts); they are reported
 * together with unknown fields under the same fieldValidation directive.
 */
export function decodeObject(
  d: ResourceDescriptor, value: unknown, validation: FieldValidation, warnings: string[], duplicates: string[] = [],
): KObject {
  const kind = d.kind;
  const version = d.version;
  const cannot = (why: string) => badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${why}`);
  if (!isObject(value)) throw cannot(`json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct`);
  const obj = value as Record<string, unknown>;
  const expected = apiVersionOf(d);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected && !d.storage)
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== kind)
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${kind})`);
  const result = checkAgainstSchema(obj, d.schema.schema, kind);
  if (result.typeErrors.length > 0) throw cannot(result.typeErrors[0]!);
  const problems = [...duplicates.map((p) => `duplicate field "${p}"`), ...unknownFieldWarnings(result.unknown)];
  if (problems.length > 0) {
    if (validation === 'Strict') throw cannot(`strict decoding error: ${problems.join(', ')}`);
    if (validation === 'Warn') warnings.push(...problems);
  }
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj as KObject;
}
