/**
 * Builds the ResourceDescriptor through which the generic server serves one version of a CRD: names,
 * scope, status/scale subresources, printer columns (Name, then the CRD columns, or Age when there are
 * none), the published schema, defaulting (pruning first) and value validation.
 */
import type { Column, ResourceDescriptor, ScaleAccess, Subresources } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { isObject } from '../../meta/object.js';
import { col, nameColumn } from '../../table/columns.js';
import type { Definition } from '../../schema/schema.js';
import type { CRDVersion, CustomResourceDefinition, PrinterColumn } from './custom-resource-definition.js';
import type { JSONSchemaProps } from './json-schema-props.js';
import { crdSchemaToSchema } from './custom-resource-schema-convert.js';
import { validateCustomResource } from './custom-resource-validation.js';
import { applyCustomResourceDefaults, pruneUnknownFields } from './custom-resource-defaulting.js';
import { evaluateJSONPath, parseJSONPath, printerColumnCells } from './custom-resource-printer.js';

const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created.';

/** Upstream serves an Age column when a version declares no printer columns. */
export function columnsForVersion(v: CRDVersion): PrinterColumn[] {
  const cols = v.additionalPrinterColumns ?? [];
  if (cols.length > 0) return cols;
  return [{ name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' }];
}

/** `stable.example.com` + v1 + CronTab → `com.example.stable.v1.CronTab`. */
export function crdDefinitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function first(obj: unknown, path: string): unknown {
  try {
    return evaluateJSONPath(obj, parseJSONPath(path))[0];
  } catch {
    return undefined;
  }
}

function setPath(obj: KObject, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur: Record<string, unknown> = obj;
  parts.forEach((k, i) => {
    if (i === parts.length - 1) cur[k] = value;
    else {
      if (!isObject(cur[k])) cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    }
  });
}

function scaleAccess(s: NonNullable<NonNullable<CRDVersion['subresources']>['scale']>): ScaleAccess {
  return {
    specReplicas: (o) => Number(first(o, s.specReplicasPath ?? '') ?? 0),
    setSpecReplicas: (o, n) => setPath(o, s.specReplicasPath ?? '.spec.replicas', n),
    statusReplicas: (o) => Number(first(o, s.statusReplicasPath ?? '') ?? 0),
    selector: (o) => {
      const v = s.labelSelectorPath ? first(o, s.labelSelectorPath) : undefined;
      return typeof v === 'string' ? v : '';
    },
  };
}

function toColumn(c: PrinterColumn): Column {
  const description = c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath ?? ''}`;
  return col<KObject>(c.name ?? '', (o, now) => printerColumnCells(o, [c], now)[0] ?? null, {
    type: (c.type ?? 'string') as Column['type'],
    priority: c.priority ?? 0,
    description,
    format: c.format ?? '',
  });
}

/** The descriptor serving `crd` at `version` (which must be one of its versions). */
export function crdDescriptorFor(crd: CustomResourceDefinition, version: string): ResourceDescriptor {
  const spec = crd.spec ?? {};
  const group = spec.group ?? '';
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  const v = (spec.versions ?? []).find((x) => x.name === version);
  if (!v) throw new Error(`version ${version} is not defined by ${crd.metadata.name ?? ''}`);
  const storageVersion = (spec.versions ?? []).find((x) => x.storage)?.name ?? version;
  const props: JSONSchemaProps = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const schema: Definition = {
    name: crdDefinitionName(group, version, kind),
    schema: { ...crdSchemaToSchema(props), 'x-kubernetes-group-version-kind': [{ group, version, kind }] },
  };
  const subresources: Subresources = {};
  if (v.subresources?.status) subresources.status = true;
  if (v.subresources?.scale) subresources.scale = scaleAccess(v.subresources.scale);
  const fieldSelectors: Record<string, (o: KObject) => string> = {};
  for (const f of v.selectableFields ?? []) {
    const path = f.jsonPath ?? '';
    if (!path) continue;
    fieldSelectors[path.replace(/^\./, '')] = (o) => {
      const got = first(o, path);
      return got === undefined || got === null ? '' : String(got);
    };
  }
  const d: ResourceDescriptor = {
    group,
    version,
    kind,
    plural: names.plural ?? '',
    singular: names.singular ?? kind.toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    subresources,
    schema,
    generation: true,
    defaults: (o) => {
      pruneUnknownFields(o, props);
      applyCustomResourceDefaults(o, props);
    },
    strategy: {
      validate: (o) => validateCustomResource(o, props),
      validateUpdate: (o) => validateCustomResource(o, props),
      validateStatusUpdate: (o) => validateCustomResource(o, props),
    },
    fieldSelectors,
    columns: [nameColumn(), ...columnsForVersion(v).map(toColumn)],
  };
  if (names.shortNames?.length) d.shortNames = [...names.shortNames];
  if (names.categories?.length) d.categories = [...names.categories];
  if (v.deprecated) d.deprecationWarning = v.deprecationWarning ?? `${group}/${version} ${kind} is deprecated`;
  if (storageVersion !== version) {
    d.storage = {
      resource: `${group}/${names.plural ?? ''}`,
      toStorage: (o) => ({ ...o, apiVersion: `${group}/${storageVersion}` }),
      fromStorage: (o) => ({ ...o, apiVersion: `${group}/${version}` }),
    };
  }
  return d;
}
