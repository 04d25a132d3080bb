/**
 * Everything the server needs to serve custom resources, in one import:
 *  - crdSchemaToSchema: CRD schema → Schema (OpenAPI publication, unknown-field detection)
 *  - validateCustomResource: OpenAPI v3 value validation with upstream wording (CEL rules not evaluated)
 *  - applyCustomResourceDefaults / pruneUnknownFields: structural defaulting and pruning
 *  - printerColumnCells: additionalPrinterColumns cells
 *  - crdDescriptorFor: a ResourceDescriptor for one served version of a CRD
 */
export { crdSchemaToSchema } from './custom-resource-schema-convert.js';
export { validateCustomResource, jsonTypeOf } from './custom-resource-validation.js';
export { applyCustomResourceDefaults, pruneUnknownFields } from './custom-resource-defaulting.js';
export { printerColumnCells, formatPrinterCell, parseJSONPath, evaluateJSONPath, JSONPathError } from './custom-resource-printer.js';
export { crdDescriptorFor, crdDefinitionName, columnsForVersion } from './custom-resource-descriptor.js';
export type { JSONSchemaProps } from './json-schema-props.js';
