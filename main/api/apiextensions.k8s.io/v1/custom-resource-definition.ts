/** apiextensions.k8s.io/v1 CustomResourceDefinition: declares a new resource served by this API server. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, bool, bytes, def, int32, ref, str } from '../../schema/builder.js';
import { JSONSchemaProps, type JSONSchemaProps as Props } from './json-schema-props.js';
import { validateCRD, validateCRDUpdate } from './crd-validation.js';

const G = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const strList = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });

export const CustomResourceDefinitionNames = def(`${G}.CustomResourceDefinitionNames`, 'The names a custom resource is served under.', {
  plural: str('Lower-case plural used in URLs; the CRD must be named <plural>.<group>.', { default: '' }),
  singular: str('Lower-case singular name; defaults to the lower-cased kind.'),
  shortNames: strList('Short aliases for the CLI, e.g. "ct".'),
  kind: str('CamelCase kind of the objects.', { default: '' }),
  listKind: str('Kind of lists of the objects; defaults to <kind>List.'),
  categories: strList('Groupings the resource belongs to, e.g. "all".'),
}, { required: ['plural', 'kind'] });

export const ServiceReference = def(`${G}.ServiceReference`, 'A Service that hosts a webhook.', {
  namespace: str('Namespace of the Service.', { default: '' }),
  name: str('Name of the Service.', { default: '' }),
  path: str('URL path requests are sent to.'),
  port: int32('Port of the Service; defaults to 443.'),
}, { required: ['namespace', 'name'] });

export const WebhookClientConfig = def(`${G}.WebhookClientConfig`, 'How to reach a webhook over TLS.', {
  url: str('Fixed https URL of the webhook; exclusive with service.'),
  service: ref(ServiceReference, 'In-cluster Service of the webhook; exclusive with url.'),
  caBundle: bytes('PEM CA bundle used to verify the webhook serving certificate.'),
});

export const WebhookConversion = def(`${G}.WebhookConversion`, 'Conversion through a webhook.', {
  clientConfig: ref(WebhookClientConfig, 'How to call the webhook.'),
  conversionReviewVersions: strList('ConversionReview versions the webhook understands, in preference order.'),
}, { required: ['conversionReviewVersions'] });

export const CustomResourceConversion = def(`${G}.CustomResourceConversion`, 'How objects are converted between versions.', {
  strategy: str('"None" (only apiVersion changes) or "Webhook".', { default: '' }),
  webhook: ref(WebhookConversion, 'Webhook settings; required for strategy Webhook.'),
}, { required: ['strategy'] });

export const CustomResourceValidation = def(`${G}.CustomResourceValidation`, 'Schema of a version.', {
  openAPIV3Schema: ref(JSONSchemaProps, 'OpenAPI v3 schema used for validation, pruning and defaulting.'),
});

export const CustomResourceSubresourceStatus = def(`${G}.CustomResourceSubresourceStatus`, 'Enables the /status subresource (empty object).', {});

export const CustomResourceSubresourceScale = def(`${G}.CustomResourceSubresourceScale`, 'Enables the /scale subresource.', {
  specReplicasPath: str('JSON path of the desired replicas, under .spec.', { default: '' }),
  statusReplicasPath: str('JSON path of the observed replicas, under .status.', { default: '' }),
  labelSelectorPath: str('JSON path of the string label selector, under .status or .spec.'),
}, { required: ['specReplicasPath', 'statusReplicasPath'] });

export const CustomResourceSubresources = def(`${G}.CustomResourceSubresources`, 'Subresources of a version.', {
  status: ref(CustomResourceSubresourceStatus, 'Enables /status.'),
  scale: ref(CustomResourceSubresourceScale, 'Enables /scale.'),
});

export const CustomResourceColumnDefinition = def(`${G}.CustomResourceColumnDefinition`, 'An extra column of table output.', {
  name: str('Column heading.', { default: '' }),
  type: str('integer, number, string, boolean or date.', { default: '' }),
  format: str('Optional format hint, e.g. "name".'),
  description: str('Description of the column.'),
  priority: int32('0 shows the column always, higher values only in wide output.'),
  jsonPath: str('Simple JSON path evaluated against each object.', { default: '' }),
}, { required: ['name', 'type', 'jsonPath'] });

export const SelectableField = def(`${G}.SelectableField`, 'A field usable in field selectors.', {
  jsonPath: str('Simple JSON path to a string, integer or boolean field.', { default: '' }),
}, { required: ['jsonPath'] });

export const CustomResourceDefinitionVersion = def(`${G}.CustomResourceDefinitionVersion`, 'One served version of the resource.', {
  name: str('Version name, e.g. "v1", served at /apis/<group>/<version>.', { default: '' }),
  served: bool('Whether the version is served.', { default: false }),
  storage: bool('Whether objects are stored in this version; exactly one version must be.', { default: false }),
  deprecated: bool('Send a deprecation warning on requests to this version.'),
  deprecationWarning: str('Overrides the default deprecation warning.'),
  schema: ref(CustomResourceValidation, 'Schema of this version.'),
  subresources: ref(CustomResourceSubresources, 'Subresources of this version.'),
  additionalPrinterColumns: arr(ref(CustomResourceColumnDefinition, undefined, { default: {} }), 'Extra table columns.', { listType: 'atomic' }),
  selectableFields: arr(ref(SelectableField, undefined, { default: {} }), 'Fields usable in field selectors.', { listType: 'atomic' }),
}, { required: ['name', 'served', 'storage'] });

export const CustomResourceDefinitionSpec = def(`${G}.CustomResourceDefinitionSpec`, 'Desired shape of the custom resource.', {
  group: str('API group of the resource; must contain a dot.', { default: '' }),
  names: ref(CustomResourceDefinitionNames, 'Names of the resource.', { default: {} }),
  scope: str('"Namespaced" or "Cluster".', { default: '' }),
  versions: arr(ref(CustomResourceDefinitionVersion, undefined, { default: {} }), 'Versions served; exactly one is the storage version.', {
    listType: 'atomic',
  }),
  conversion: ref(CustomResourceConversion, 'How objects convert between versions.'),
  preserveUnknownFields: bool('Deprecated: must be false in v1; use x-kubernetes-preserve-unknown-fields.'),
}, { required: ['group', 'names', 'scope', 'versions'] });

export const CustomResourceDefinitionCondition = def(`${G}.CustomResourceDefinitionCondition`, 'One condition of a CRD.', {
  type: str('Established, NamesAccepted, NonStructuralSchema, Terminating or KubernetesAPIApprovalPolicyConformant.', { default: '' }),
  status: str('"True", "False" or "Unknown".', { default: '' }),
  lastTransitionTime: ref(Time, 'When the status last changed.'),
  reason: str('CamelCase reason for the last transition.'),
  message: str('Human-readable details.'),
}, { required: ['type', 'status'] });

export const CustomResourceDefinitionStatus = def(`${G}.CustomResourceDefinitionStatus`, 'Observed state of a CRD.', {
  conditions: arr(ref(CustomResourceDefinitionCondition, undefined, { default: {} }), 'Current conditions.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
  acceptedNames: ref(CustomResourceDefinitionNames, 'Names actually served (may differ from spec on conflicts).', { default: {} }),
  storedVersions: strList('Versions objects have ever been stored in.'),
});

export const CustomResourceDefinitionSchema = def(
  `${G}.CustomResourceDefinition`,
  'Declares a custom resource; its name must be <spec.names.plural>.<spec.group>.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(CustomResourceDefinitionSpec, 'The resource to serve.', { default: {} }),
    status: ref(CustomResourceDefinitionStatus, 'Observed state.', { default: {} }),
  },
  { required: ['spec'], gvk: [{ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }] },
);

// ---- TypeScript view ----

export interface CRDNames {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}
export interface PrinterColumn { name?: string; type?: string; format?: string; description?: string; priority?: number; jsonPath?: string }
export interface CRDVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Props };
  subresources?: { status?: Record<string, never>; scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: { jsonPath?: string }[];
}
export interface CRDCondition { type?: string; status?: string; lastTransitionTime?: string; reason?: string; message?: string }
export interface CustomResourceDefinition extends KObject {
  spec?: {
    group?: string;
    names?: CRDNames;
    scope?: string;
    versions?: CRDVersion[];
    conversion?: {
      strategy?: string;
      webhook?: { clientConfig?: { url?: string; service?: { namespace?: string; name?: string; path?: string; port?: number }; caBundle?: string }; conversionReviewVersions?: string[] };
    };
    preserveUnknownFields?: boolean;
  };
  status?: { conditions?: CRDCondition[]; acceptedNames?: CRDNames; storedVersions?: string[] };
}

/** SetDefaults_CustomResourceDefinition(Spec) and SetDefaults_ServiceReference. */
export function defaultCRD(crd: CustomResourceDefinition): void {
  crd.spec ??= {};
  const spec = crd.spec;
  spec.names ??= {};
  const n = spec.names;
  if (!n.singular && n.kind) n.singular = n.kind.toLowerCase();
  if (!n.listKind && n.kind) n.listKind = `${n.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  const svc = spec.conversion.webhook?.clientConfig?.service;
  if (spec.conversion.strategy === 'Webhook' && svc) svc.port ??= 443;
}

/** The storage version is recorded in status.storedVersions when first used (strategy PrepareForCreate/Update). */
export function recordStoredVersion(crd: CustomResourceDefinition): void {
  const storage = (crd.spec?.versions ?? []).find((v) => v.storage);
  if (!storage?.name) return;
  crd.status ??= {};
  const stored = (crd.status.storedVersions ??= []);
  if (!stored.includes(storage.name)) stored.push(storage.name);
}

export const customResourceDefinitions = defineResource<CustomResourceDefinition>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  subresources: { status: true },
  schema: CustomResourceDefinitionSchema,
  generation: true,
  defaults: defaultCRD,
  strategy: {
    prepareForCreate: (crd) => {
      crd.status = {};
      recordStoredVersion(crd);
    },
    prepareForUpdate: (crd, old) => {
      crd.status = JSON.parse(JSON.stringify(old.status ?? {})) as CustomResourceDefinition['status'];
      recordStoredVersion(crd);
    },
    validate: validateCRD,
    validateUpdate: validateCRDUpdate,
  },
});
