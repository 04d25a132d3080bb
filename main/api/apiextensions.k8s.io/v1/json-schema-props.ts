/**
 * apiextensions.k8s.io/v1 JSONSchemaProps: the (recursive) OpenAPI v3 schema language CRDs are written in.
 * The "or" helper types (JSON, JSONSchemaPropsOrArray, ...) have no fixed type upstream; they are declared
 * open here so nested schemas of any shape are accepted and kept.
 */
import { arr, bool, def, defScalar, int64, map, num, ref, str } from '../../schema/builder.js';
import type { Definition } from '../../schema/schema.js';

const G = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

const open = (name: string, description: string): Definition =>
  defScalar(`${G}.${name}`, { description, 'x-kubernetes-preserve-unknown-fields': true });

export const JSONValue = open('JSON', 'Any JSON value (used for default, enum and example).');
export const JSONSchemaPropsOrArray = open('JSONSchemaPropsOrArray', 'A schema, or an array of schemas.');
export const JSONSchemaPropsOrBool = open('JSONSchemaPropsOrBool', 'A schema, or a boolean (true allows anything, false nothing).');
export const JSONSchemaPropsOrStringArray = open('JSONSchemaPropsOrStringArray', 'A schema, or a list of property names.');

export const ExternalDocumentation = def(`${G}.ExternalDocumentation`, 'A link to further documentation.', {
  description: str('What the link documents.'),
  url: str('Where the documentation lives.'),
});

export const ValidationRule = def(`${G}.ValidationRule`, 'A CEL expression a value must satisfy (x-kubernetes-validations).', {
  rule: str('The CEL expression; `self` is the value, `oldSelf` its previous value on update.', { default: '' }),
  message: str('Message shown when the rule fails.'),
  messageExpression: str('CEL expression producing the failure message.'),
  reason: str('Machine-readable reason reported on failure: FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.'),
  fieldPath: str('Field path reported on failure, relative to the value.'),
  optionalOldSelf: bool('Evaluate transition rules even when there is no old value.'),
}, { required: ['rule'] });

const lazy = () => JSONSchemaProps;
const schemaList = (d: string) => arr(ref(lazy, undefined, { default: {} }), d, { listType: 'atomic' });

export const JSONSchemaProps: Definition = def(`${G}.JSONSchemaProps`, 'A JSON-Schema (OpenAPI v3) node.', {
  id: str('Unsupported in CRDs.'),
  $schema: str('Unsupported in CRDs.'),
  $ref: str('Unsupported in CRDs.'),
  description: str('Human-readable description.'),
  type: str('object, array, string, integer, number or boolean.'),
  format: str('Format of the value, e.g. int32, date-time, byte, uuid, ipv4, cidr.'),
  title: str('Title of the value.'),
  default: ref(JSONValue, 'Value filled in when the field is absent (structural schemas only).'),
  maximum: num('Largest allowed number.'),
  exclusiveMaximum: bool('Make maximum exclusive.'),
  minimum: num('Smallest allowed number.'),
  exclusiveMinimum: bool('Make minimum exclusive.'),
  maxLength: int64('Longest allowed string, in characters.'),
  minLength: int64('Shortest allowed string, in characters.'),
  pattern: str('Regular expression strings must match.'),
  maxItems: int64('Most items allowed in an array.'),
  minItems: int64('Fewest items allowed in an array.'),
  uniqueItems: bool('Unsupported in CRDs (must be false).'),
  multipleOf: num('Numbers must be a multiple of this.'),
  enum: arr(ref(JSONValue), 'Allowed values.', { listType: 'atomic' }),
  maxProperties: int64('Most properties allowed in an object.'),
  minProperties: int64('Fewest properties allowed in an object.'),
  required: arr(str('', { default: '' }), 'Properties that must be present.', { listType: 'atomic' }),
  items: ref(JSONSchemaPropsOrArray, 'Schema of array items.'),
  allOf: schemaList('Schemas the value must all satisfy.'),
  oneOf: schemaList('Schemas of which the value must satisfy exactly one.'),
  anyOf: schemaList('Schemas of which the value must satisfy at least one.'),
  not: ref(lazy, 'Schema the value must not satisfy.'),
  properties: map(ref(lazy, undefined, { default: {} }), 'Schemas of the known properties of an object.'),
  additionalProperties: ref(JSONSchemaPropsOrBool, 'Schema of map values (exclusive with properties).'),
  patternProperties: map(ref(lazy, undefined, { default: {} }), 'Unsupported in CRDs.'),
  dependencies: map(ref(JSONSchemaPropsOrStringArray), 'Unsupported in CRDs.'),
  additionalItems: ref(JSONSchemaPropsOrBool, 'Unsupported in CRDs.'),
  definitions: map(ref(lazy, undefined, { default: {} }), 'Unsupported in CRDs.'),
  externalDocs: ref(ExternalDocumentation, 'Further documentation.'),
  example: ref(JSONValue, 'An example value.'),
  nullable: bool('Allow null as a value.'),
  'x-kubernetes-preserve-unknown-fields': bool('Keep fields the schema does not list instead of pruning them.'),
  'x-kubernetes-embedded-resource': bool('The value is a whole Kubernetes object (apiVersion, kind, metadata).'),
  'x-kubernetes-int-or-string': bool('The value may be an integer or a string.'),
  'x-kubernetes-list-map-keys': arr(str('', { default: '' }), 'Keys identifying items of a map list.', { listType: 'atomic' }),
  'x-kubernetes-list-type': str('atomic, set or map: how the list merges and which duplicates are forbidden.'),
  'x-kubernetes-map-type': str('granular or atomic: how the object merges.'),
  'x-kubernetes-validations': arr(ref(ValidationRule, undefined, { default: {} }), 'CEL validation rules.', {
    mergeKey: 'rule',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['rule'],
  }),
});

/** The TypeScript view of a CRD schema node. */
export interface JSONSchemaProps {
  id?: string;
  $schema?: string;
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  title?: string;
  default?: unknown;
  maximum?: number;
  exclusiveMaximum?: boolean;
  minimum?: number;
  exclusiveMinimum?: boolean;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  multipleOf?: number;
  enum?: unknown[];
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  items?: JSONSchemaProps | JSONSchemaProps[];
  allOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  not?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  patternProperties?: Record<string, JSONSchemaProps>;
  dependencies?: Record<string, JSONSchemaProps | string[]>;
  additionalItems?: JSONSchemaProps | boolean;
  definitions?: Record<string, JSONSchemaProps>;
  externalDocs?: { description?: string; url?: string };
  example?: unknown;
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-validations'?: { rule: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string; optionalOldSelf?: boolean }[];
}

/** Array items as a single schema (the only form CRDs accept). */
export function itemsOf(s: JSONSchemaProps): JSONSchemaProps | undefined {
  return Array.isArray(s.items) ? undefined : s.items;
}
