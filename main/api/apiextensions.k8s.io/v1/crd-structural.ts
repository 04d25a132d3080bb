/**
 * Static checks of a CRD version schema: the OpenAPI v3 subset CRDs accept, and the structural-schema
 * invariants apiextensions-apiserver enforces (a type at every specified level, items for arrays, no
 * additionalProperties next to properties, metadata restricted to name/generateName at the root, ...).
 */
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import type { JSONSchemaProps } from './json-schema-props.js';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LIST_TYPES = ['atomic', 'map', 'set'];
const MAP_TYPES = ['atomic', 'granular'];

type Level = 'root' | 'item' | 'field';

/** Keywords the OpenAPI v3 subset of CRDs forbids anywhere. */
function standardChecks(s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (s.id) errs.push(forbidden(p.child('id'), 'id is not supported'));
  if (s.additionalItems !== undefined) errs.push(forbidden(p.child('additionalItems'), 'additionalItems is not supported'));
  if (s.patternProperties && Object.keys(s.patternProperties).length) errs.push(forbidden(p.child('patternProperties'), 'patternProperties is not supported'));
  if (s.definitions && Object.keys(s.definitions).length) errs.push(forbidden(p.child('definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined) errs.push(forbidden(p.child('dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined) errs.push(forbidden(p.child('$ref'), '$ref is not supported'));
  if ((s.type as string) === 'null') errs.push(forbidden(p.child('type'), 'type cannot be set to null'));
  else if (s.type && !TYPES.includes(s.type)) errs.push(notSupported(p.child('type'), s.type, TYPES));
  if (Array.isArray(s.items)) errs.push(forbidden(p.child('items'), 'items must be a schema object and not an array'));
  if (s.uniqueItems) errs.push(forbidden(p.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined && s.properties && Object.keys(s.properties).length) {
    if (s.additionalProperties === false || typeof s.additionalProperties === 'object')
      errs.push(forbidden(p.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch (e) {
      errs.push(invalid(p.child('pattern'), s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  const lt = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  if (lt !== undefined) {
    if (!LIST_TYPES.includes(lt)) errs.push(notSupported(p.child('x-kubernetes-list-type'), lt, LIST_TYPES));
    else if (s.type !== 'array') errs.push(invalid(p.child('x-kubernetes-list-type'), lt, 'must only be used if type is array'));
  }
  if (lt === 'map' && keys.length === 0)
    errs.push(required(p.child('x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
  if (lt !== 'map' && keys.length > 0)
    errs.push(forbidden(p.child('x-kubernetes-list-map-keys'), 'must be empty if x-kubernetes-list-type is not map'));
  if (lt === 'map' && !Array.isArray(s.items) && s.items) {
    for (const k of keys) {
      if (!s.items.properties?.[k]) errs.push(invalid(p.child('x-kubernetes-list-map-keys'), keys, `entries must all be names of item properties`));
    }
  }
  const mt = s['x-kubernetes-map-type'];
  if (mt !== undefined && !MAP_TYPES.includes(mt)) errs.push(notSupported(p.child('x-kubernetes-map-type'), mt, MAP_TYPES));
  return errs;
}

/** Junctor (allOf/anyOf/oneOf/not) branches may only carry value validations. */
function nestedValueValidation(s: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type) errs.push(forbidden(p.child('type'), 'must be empty to be structural'));
  if (s.additionalProperties !== undefined) errs.push(forbidden(p.child('additionalProperties'), 'must be undefined to be structural'));
  if (s.default !== undefined) errs.push(forbidden(p.child('default'), 'must be undefined to be structural'));
  if (s.title) errs.push(forbidden(p.child('title'), 'must be empty to be structural'));
  if (s.description) errs.push(forbidden(p.child('description'), 'must be empty to be structural'));
  if (s.nullable) errs.push(forbidden(p.child('nullable'), 'must be false to be structural'));
  if (s['x-kubernetes-preserve-unknown-fields']) errs.push(forbidden(p.child('x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (s['x-kubernetes-embedded-resource']) errs.push(forbidden(p.child('x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (s['x-kubernetes-int-or-string']) errs.push(forbidden(p.child('x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (s['x-kubernetes-list-map-keys']?.length) errs.push(forbidden(p.child('x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (s['x-kubernetes-list-type'] !== undefined) errs.push(forbidden(p.child('x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (s['x-kubernetes-map-type'] !== undefined) errs.push(forbidden(p.child('x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (s['x-kubernetes-validations']?.length) errs.push(forbidden(p.child('x-kubernetes-validations'), 'must be empty to be structural'));
  if (s.properties?.metadata) errs.push(forbidden(p.child('properties').key('metadata'), 'must not be specified in a nested context'));
  for (const [k, v] of Object.entries(s.properties ?? {})) errs.push(...nestedValueValidation(v, p.child('properties').key(k)));
  if (s.items && !Array.isArray(s.items)) errs.push(...nestedValueValidation(s.items, p.child('items')));
  errs.push(...junctors(s, p, true));
  return errs;
}

function isIntOrStringAnyOf(list: JSONSchemaProps[] | undefined): boolean {
  return (
    list?.length === 2 &&
    list[0]!.type === 'integer' && Object.keys(list[0]!).length === 1 &&
    list[1]!.type === 'string' && Object.keys(list[1]!).length === 1
  );
}

function junctors(s: JSONSchemaProps, p: FieldPath, nested: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const skipAnyOf = !nested && s['x-kubernetes-int-or-string'] && isIntOrStringAnyOf(s.anyOf);
  if (!skipAnyOf) (s.anyOf ?? []).forEach((b, i) => errs.push(...nestedValueValidation(b, p.child('anyOf').index(i))));
  (s.allOf ?? []).forEach((b, i) => {
    if (i === 0 && !nested && s['x-kubernetes-int-or-string'] && isIntOrStringAnyOf(b.anyOf)) {
      const { anyOf: _skip, ...rest } = b;
      errs.push(...nestedValueValidation(rest, p.child('allOf').index(i)));
    } else errs.push(...nestedValueValidation(b, p.child('allOf').index(i)));
  });
  (s.oneOf ?? []).forEach((b, i) => errs.push(...nestedValueValidation(b, p.child('oneOf').index(i))));
  if (s.not) errs.push(...nestedValueValidation(s.not, p.child('not')));
  return errs;
}

function metadataAtRoot(m: JSONSchemaProps, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (m.type !== undefined && m.type !== 'object') errs.push(invalid(p.child('type'), m.type, 'must be object'));
  const extraProps = Object.keys(m.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
  const extraKeys = Object.keys(m).filter((k) => k !== 'type' && k !== 'default' && k !== 'properties');
  if (extraProps.length > 0 || extraKeys.length > 0)
    errs.push(forbidden(p, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  return errs;
}

function invariants(s: JSONSchemaProps, level: Level, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [...standardChecks(s, p)];
  const items = Array.isArray(s.items) ? undefined : s.items;
  if (s.type === 'array' && !items) errs.push(required(p.child('items'), 'must be specified'));
  if (items) errs.push(...invariants(items, 'item', p.child('items')));
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    if (level === 'root' && k === 'metadata') continue;
    errs.push(...invariants(v, 'field', p.child('properties').key(k)));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (level === 'root') errs.push(forbidden(p.child('additionalProperties'), 'must not be used at the root'));
    if (typeof s.additionalProperties === 'object') errs.push(...invariants(s.additionalProperties, 'field', p.child('additionalProperties')));
  }
  const ios = s['x-kubernetes-int-or-string'] ?? false;
  const puf = s['x-kubernetes-preserve-unknown-fields'] ?? false;
  const emb = s['x-kubernetes-embedded-resource'] ?? false;
  if (ios && puf) errs.push(invalid(p.child('x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (ios && emb) errs.push(invalid(p.child('x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  errs.push(...junctors(s, p, false));
  if (emb && s.type !== 'object') {
    if (!s.type) errs.push(required(p.child('type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(p.child('type'), s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !ios && !puf) {
    const detail =
      level === 'root' ? 'must not be empty at the root'
      : level === 'item' ? 'must not be empty for specified array items'
      : 'must not be empty for specified object fields';
    errs.push(required(p.child('type'), detail));
  }
  if (emb && s.additionalProperties !== undefined)
    errs.push(forbidden(p.child('additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  if (level === 'root' && s.type && s.type !== 'object') errs.push(invalid(p.child('type'), s.type, 'must be object at the root'));
  const checkMeta = level === 'root' || emb;
  for (const k of ['kind', 'apiVersion'] as const) {
    const f = s.properties?.[k];
    if (f && checkMeta && f.type !== 'string') errs.push(invalid(p.child('properties').key(k).child('type'), f.type ?? '', 'must be string'));
  }
  const meta = s.properties?.metadata;
  if (meta) {
    if (level === 'root') errs.push(...metadataAtRoot(meta, p.child('properties').key('metadata')));
    else {
      if (checkMeta && meta.type !== 'object') errs.push(invalid(p.child('properties').key('metadata').child('type'), meta.type ?? '', 'must be object'));
      errs.push(...invariants(meta, 'field', p.child('properties').key('metadata')));
    }
  }
  if (emb && !puf && Object.keys(s.properties ?? {}).length === 0)
    errs.push(required(p.child('properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  return errs;
}

/** All static problems of a version's openAPIV3Schema, reported under `path` (…schema.openAPIV3Schema). */
export function validateStructuralSchema(schema: JSONSchemaProps, path: FieldPath): FieldError[] {
  return invariants(schema, 'root', path);
}
