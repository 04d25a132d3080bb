/**
 * What OpenAPI v2 and v3 documents share: the REST parameters (only their encoding differs — v3 nests the type in
 * `schema`, v2 puts it on the parameter) and the generated `<Kind>List` definitions.
 */
import type { ResourceDescriptor } from '../../api/resource.js';
import { ListMeta } from '../../api/meta/schemas.js';
import type { Definition } from '../../api/schema/schema.js';

interface ParameterSpec {
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'integer' | 'boolean';
}

const PARAMETERS = {
  dryRun: { in: 'query', description: 'When present, the request is validated and admitted but not persisted. Valid value: All.', type: 'string' },
  fieldManager: { in: 'query', description: 'Name of the actor making the change, recorded in managedFields.', type: 'string' },
  fieldValidation: { in: 'query', description: 'How to treat unknown or duplicate fields: Ignore, Warn (default) or Strict.', type: 'string' },
  force: { in: 'query', description: 'Apply requests only: take ownership of fields owned by other managers.', type: 'boolean' },
  pretty: { in: 'query', description: 'Pretty-print the output.', type: 'string' },
  labelSelector: { in: 'query', description: 'Only objects whose labels match this selector.', type: 'string' },
  fieldSelector: { in: 'query', description: 'Only objects whose fields match this selector.', type: 'string' },
  limit: { in: 'query', description: 'Maximum number of items to return.', type: 'integer' },
  continue: { in: 'query', description: 'Token from a previous page to fetch the next one.', type: 'string' },
  resourceVersion: { in: 'query', description: 'Read or watch from this resource version.', type: 'string' },
  watch: { in: 'query', description: 'Stream changes instead of returning a list.', type: 'boolean' },
  name: { in: 'path', description: 'name of the object', type: 'string' },
  namespace: { in: 'path', description: 'object name and auth scope, such as for teams and projects', type: 'string' },
} satisfies Record<string, ParameterSpec>;

export type ParameterName = keyof typeof PARAMETERS;

/** The parameter table encoded for one OpenAPI version. */
export function parameters<T>(encode: (name: string, p: ParameterSpec) => T): Record<ParameterName, T> {
  return Object.fromEntries(Object.entries(PARAMETERS).map(([name, p]) => [name, encode(name, p as ParameterSpec)])) as Record<ParameterName, T>;
}

/** `<group>.<version>.<Kind>List` for a resource; `withDefaults` adds the `default: {}` markers v3 carries. */
export function listDefinition(d: ResourceDescriptor, withDefaults: boolean): Definition {
  const base = d.schema.name.slice(0, d.schema.name.lastIndexOf('.'));
  const dflt = withDefaults ? { default: {} } : {};
  return {
    name: `${base}.${d.kind}List`,
    schema: {
      description: `A list of ${d.kind} objects.`,
      type: 'object',
      required: ['items'],
      properties: {
        apiVersion: { type: 'string', description: 'Versioned schema of this representation.' },
        items: { type: 'array', description: `The ${d.plural}.`, items: { ref: () => d.schema, ...dflt } },
        kind: { type: 'string', description: 'The kind of object this is.' },
        metadata: { ref: () => ListMeta, description: 'Standard list metadata.', ...dflt },
      },
      'x-kubernetes-group-version-kind': [{ group: d.group, version: d.version, kind: `${d.kind}List` }],
    },
  };
}
