/** networking.k8s.io/v1 IngressClass: names the controller that implements a class of Ingresses. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, immutable, invalid, notSupported, required, tooLong, type FieldError } from '../../meta/field-errors.js';
import { isDNS1123Subdomain } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { domainPrefixedPathErrors } from './validation-helpers.js';

const G = 'io.k8s.api.networking.v1';

export const IngressClassParametersReference = def(
  `${G}.IngressClassParametersReference`,
  'Points at an object holding controller-specific configuration for the class.',
  {
    apiGroup: str('API group of the referenced object; empty for the core group.'),
    kind: str('Kind of the referenced object.', { default: '' }),
    name: str('Name of the referenced object.', { default: '' }),
    scope: str('"Cluster" (default) or "Namespace": whether the referenced object is namespaced.'),
    namespace: str('Namespace of the referenced object; required when scope is "Namespace".'),
  },
  { required: ['kind', 'name'] },
);

export const IngressClassSpec = def(`${G}.IngressClassSpec`, 'Desired state of an IngressClass.', {
  controller: str('Name of the controller handling this class, a domain-prefixed path such as "example.com/ingress-controller". Immutable.'),
  parameters: ref(IngressClassParametersReference, 'Extra controller configuration.'),
});

export const IngressClassSchema = def(`${G}.IngressClass`, 'A class of Ingresses and the controller that implements it.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(IngressClassSpec, 'Desired state.', { default: {} }),
}, { gvk: [{ group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass' }] });

interface Params { apiGroup?: string; kind?: string; name?: string; scope?: string; namespace?: string }
export interface IngressClass extends KObject {
  spec?: { controller?: string; parameters?: Params };
}

const MAX_CONTROLLER_LEN = 250;
const SCOPES = ['Cluster', 'Namespace'];

function validateParameters(p: Params, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (p.apiGroup) for (const m of isDNS1123Subdomain(p.apiGroup)) errs.push(invalid(path.child('apiGroup'), p.apiGroup, m));
  if (!p.kind) errs.push(required(path.child('kind'), 'kind is required'));
  else if (/[/%]/.test(p.kind)) errs.push(invalid(path.child('kind'), p.kind, "may not contain '/' or '%'"));
  if (!p.name) errs.push(required(path.child('name'), 'name is required'));
  const scope = p.scope;
  if (scope === undefined) errs.push(required(path.child('scope'), ''));
  else if (!SCOPES.includes(scope)) errs.push(notSupported(path.child('scope'), scope, SCOPES));
  if (scope === 'Namespace' && !p.namespace)
    errs.push(required(path.child('namespace'), '`parameters.scope` is set to "Namespace"'));
  if (scope === 'Cluster' && p.namespace)
    errs.push({ type: 'FieldValueForbidden', field: path.child('namespace').toString(), hasBadValue: false, detail: '`parameters.scope` is set to "Cluster"' });
  return errs;
}

export function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs: FieldError[] = [];
  const sp = FieldPath.root('spec');
  const controller = ic.spec?.controller ?? '';
  if (controller.length > MAX_CONTROLLER_LEN) errs.push(tooLong(sp.child('controller'), controller, MAX_CONTROLLER_LEN));
  if (!controller) errs.push(required(sp.child('controller'), ''));
  else for (const m of domainPrefixedPathErrors(controller)) errs.push(invalid(sp.child('controller'), controller, m));
  if (ic.spec?.parameters) errs.push(...validateParameters(ic.spec.parameters, sp.child('parameters')));
  return errs;
}

/** SetDefaults_IngressClass: parameters without a scope refer to a cluster-scoped object. */
export function defaultIngressClass(ic: IngressClass): void {
  if (ic.spec?.parameters && ic.spec.parameters.scope === undefined) ic.spec.parameters.scope = 'Cluster';
}

export function formatIngressClassParameters(p: Params | undefined): string {
  if (!p) return '<none>';
  let s = p.kind ?? '';
  if (p.apiGroup) s += `.${p.apiGroup}`;
  return `${s}/${p.name ?? ''}`;
}

export const ingressClasses = defineResource<IngressClass>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  schema: IngressClassSchema,
  generation: true,
  defaults: defaultIngressClass,
  strategy: {
    validate: validateIngressClass,
    validateUpdate: (obj, old) => {
      const errs = validateIngressClass(obj);
      if ((obj.spec?.controller ?? '') !== (old.spec?.controller ?? ''))
        errs.push(immutable(FieldPath.root('spec').child('controller'), obj.spec?.controller ?? ''));
      return errs;
    },
  },
  columns: [
    nameColumn(),
    col<IngressClass>('Controller', (o) => o.spec?.controller ?? '', { description: 'Controller that is responsible for handling this class' }),
    col<IngressClass>('Parameters', (o) => formatIngressClassParameters(o.spec?.parameters), { description: 'A reference to a resource with additional parameters' }),
    ageColumn(),
  ],
});
