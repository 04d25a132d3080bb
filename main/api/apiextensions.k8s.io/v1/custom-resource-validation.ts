/**
 * OpenAPI v3 value validation of custom resources, worded like kube-openapi's validator as converted to
 * field errors by apiextensions-apiserver (e.g. `spec.replicas: Invalid value: "string": spec.replicas in
 * body must be of type integer: "string"`), plus x-kubernetes-list-type set/map uniqueness.
 *
 * Not implemented: x-kubernetes-validations (CEL). Rules are accepted on the CRD and ignored here, so
 * objects they would reject are admitted; this is a known, documented gap.
 */
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isObject } from '../../meta/object.js';
import { isCIDR, isIPv4, isIPv6 } from '../../networking.k8s.io/v1/validation-helpers.js';
import { isDNS1123Subdomain } from '../../meta/name-validation.js';
import { itemsOf, type JSONSchemaProps } from './json-schema-props.js';

/** JSON type name of a value as the validator reports it. */
export function jsonTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function typeMatches(type: string, v: unknown): boolean {
  const t = jsonTypeOf(v);
  if (type === 'number') return t === 'number' || t === 'integer';
  return t === type;
}

const typeError = (p: FieldPath, expected: string, actual: string): FieldError => ({
  type: 'FieldValueTypeInvalid',
  field: p.toString(),
  badValue: actual,
  hasBadValue: true,
  detail: `${p.toString()} in body must be of type ${expected}: ${JSON.stringify(actual)}`,
});

const tooManyError = (p: FieldPath, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany', field: p.toString(), badValue: actual, hasBadValue: true, detail: `must have at most ${max} items`,
});

const tooLongError = (p: FieldPath, value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong', field: p.toString(), badValue: value, hasBadValue: false,
  detail: `may not be more than ${max} ${max === 1 ? 'byte' : 'bytes'}`,
});

const duplicateError = (p: FieldPath, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate', field: p.toString(), badValue: value, hasBadValue: true, detail: '',
});

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAC_RE = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;

/** Format checkers for the formats Kubernetes validates; unknown formats are accepted as upstream does. */
const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => DATE_TIME_RE.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  datetime: (s) => DATE_TIME_RE.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => DATE_RE.test(s) && !Number.isNaN(Date.parse(s)),
  byte: (s) => BASE64_RE.test(s),
  uuid: (s) => UUID_RE.test(s),
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCIDR,
  mac: (s) => MAC_RE.test(s),
  hostname: (s) => isDNS1123Subdomain(s.toLowerCase()).length === 0,
  email: (s) => EMAIL_RE.test(s),
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function compileRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

function validateNumber(v: number, s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.toString();
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)
      errs.push(invalid(p, v, `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`));
  }
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)
      errs.push(invalid(p, v, `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`));
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0) {
    const q = v / s.multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) errs.push(invalid(p, v, `${name} in body should be a multiple of ${s.multipleOf}`));
  }
  return errs;
}

function validateString(v: string, s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.toString();
  const len = [...v].length;
  if (s.maxLength !== undefined && len > s.maxLength) errs.push(tooLongError(p, v, s.maxLength));
  if (s.minLength !== undefined && len < s.minLength) errs.push(invalid(p, v, `${name} in body should be at least ${s.minLength} chars long`));
  if (s.pattern !== undefined) {
    const re = compileRegExp(s.pattern);
    if (re && !re.test(v)) errs.push(invalid(p, v, `${name} in body should match '${s.pattern}'`));
  }
  if (s.format) {
    const check = FORMATS[s.format];
    if (check && !check(v)) errs.push(typeError(p, s.format, v));
  }
  return errs;
}

function listKey(item: unknown, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (isObject(item) && item[k] !== undefined) out[k] = item[k];
  return out;
}

function validateArray(v: unknown[], s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.toString();
  if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(tooManyError(p, v.length, s.maxItems));
  if (s.minItems !== undefined && v.length < s.minItems) errs.push(invalid(p, v, `${name} in body should have at least ${s.minItems} items`));
  if (s.uniqueItems) {
    const dup = v.some((x, i) => v.findIndex((y) => deepEqual(x, y)) !== i);
    if (dup) errs.push(invalid(p, v, `${name} in body shouldn't contain duplicates`));
  }
  const lt = s['x-kubernetes-list-type'];
  if (lt === 'set') {
    v.forEach((x, i) => {
      if (v.findIndex((y) => deepEqual(x, y)) !== i) errs.push(duplicateError(p.index(i), x));
    });
  } else if (lt === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen: Record<string, unknown>[] = [];
    v.forEach((x, i) => {
      const k = listKey(x, keys);
      if (seen.some((y) => deepEqual(y, k))) errs.push(duplicateError(p.index(i), k));
      seen.push(k);
    });
  }
  const items = itemsOf(s);
  if (items) v.forEach((x, i) => errs.push(...validateValue(x, items, p.index(i), false)));
  return errs;
}

function validateObject(v: Record<string, unknown>, s: JSONSchemaProps, p: FieldPath, root: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.toString();
  const count = Object.keys(v).length;
  if (s.maxProperties !== undefined && count > s.maxProperties) errs.push(tooManyError(p, count, s.maxProperties));
  if (s.minProperties !== undefined && count < s.minProperties)
    errs.push(invalid(p, v, `${name} in body should have at least ${s.minProperties} properties`));
  for (const r of s.required ?? []) {
    if (root && (r === 'metadata' || r === 'apiVersion' || r === 'kind')) continue;
    if (!(r in v) || v[r] === undefined) errs.push(required(p.child(r), ''));
  }
  const embedded = s['x-kubernetes-embedded-resource'] ?? false;
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    if ((root || embedded) && (k === 'metadata' || k === 'apiVersion' || k === 'kind')) {
      if (k !== 'metadata' && s.properties?.[k]) errs.push(...validateValue(val, s.properties[k]!, p.child(k), false));
      continue;
    }
    const ps = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (ps) errs.push(...validateValue(val, ps, p.child(k), false));
  }
  return errs;
}

function validateJunctors(v: unknown, s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.toString();
  for (const b of s.allOf ?? []) errs.push(...validateValue(v, b, p, false, true));
  if (s.anyOf?.length && !(s['x-kubernetes-int-or-string'] && s.anyOf.length === 2)) {
    if (!s.anyOf.some((b) => validateValue(v, b, p, false, true).length === 0))
      errs.push(invalid(p, v, `${name} in body must validate at least one schema (anyOf)`));
  }
  if (s.oneOf?.length) {
    const ok = s.oneOf.filter((b) => validateValue(v, b, p, false, true).length === 0).length;
    if (ok !== 1) errs.push(invalid(p, v, `${name} in body must validate one and only one schema (oneOf)`));
  }
  if (s.not && validateValue(v, s.not, p, false, true).length === 0)
    errs.push(invalid(p, v, `${name} in body must not validate the schema (not)`));
  return errs;
}

function validateValue(v: unknown, s: JSONSchemaProps, p: FieldPath, root: boolean, nested = false): FieldError[] {
  if (v === null) {
    if (s.nullable || nested) return [];
    if (!s.type && (s['x-kubernetes-preserve-unknown-fields'] || !s['x-kubernetes-int-or-string'])) return [];
    return [typeError(p, s.type ?? 'integer,string', 'null')];
  }
  if (s.type && !typeMatches(s.type, v)) return [typeError(p, s.type, jsonTypeOf(v))];
  if (!s.type && s['x-kubernetes-int-or-string'] && !typeMatches('integer', v) && typeof v !== 'string')
    return [typeError(p, 'integer,string', jsonTypeOf(v))];
  const errs: FieldError[] = [];
  if (s.enum && s.enum.length && !s.enum.some((e) => deepEqual(e, v)))
    errs.push(notSupported(p, v, s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))));
  if (typeof v === 'number') errs.push(...validateNumber(v, s, p));
  else if (typeof v === 'string') errs.push(...validateString(v, s, p));
  else if (Array.isArray(v)) errs.push(...validateArray(v, s, p));
  else if (isObject(v)) errs.push(...validateObject(v, s, p, root));
  errs.push(...validateJunctors(v, s, p));
  return errs;
}

/**
 * Validates a whole custom resource (or, with `path`, a value at that path) against a CRD version schema.
 * At the root, apiVersion/kind/metadata are left to the generic object validation.
 */
export function validateCustomResource(obj: unknown, schema: JSONSchemaProps, path = ''): FieldError[] {
  return validateValue(obj, schema, FieldPath.root(path), path === '');
}
