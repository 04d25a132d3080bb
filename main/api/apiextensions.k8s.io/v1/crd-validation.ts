/** CustomResourceDefinition validation (apiextensions validation.ValidateCustomResourceDefinition*, v1 rules). */
import { FieldPath, forbidden, immutable, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../meta/name-validation.js';
import type { CRDNames, CRDVersion, CustomResourceDefinition, PrinterColumn } from './custom-resource-definition.js';
import { validateStructuralSchema } from './crd-structural.js';

const SCOPES = ['Cluster', 'Namespaced'];
const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const CONVERSION_STRATEGIES = ['None', 'Webhook'];

function validateNames(n: CRDNames, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const join = (m: string[]) => m.join(',');
  if (n.plural) { const m = isDNS1035Label(n.plural); if (m.length) errs.push(invalid(p.child('plural'), n.plural, join(m))); }
  if (n.singular) { const m = isDNS1035Label(n.singular); if (m.length) errs.push(invalid(p.child('singular'), n.singular, join(m))); }
  if (n.kind) {
    const m = isDNS1035Label(n.kind.toLowerCase());
    if (m.length) errs.push(invalid(p.child('kind'), n.kind, `may have mixed case, but should otherwise match: ${join(m)}`));
  }
  if (n.listKind) {
    const m = isDNS1035Label(n.listKind.toLowerCase());
    if (m.length) errs.push(invalid(p.child('listKind'), n.listKind, `may have mixed case, but should otherwise match: ${join(m)}`));
  }
  (n.shortNames ?? []).forEach((s, i) => {
    const m = isDNS1035Label(s);
    if (m.length) errs.push(invalid(p.child('shortNames').index(i), s, join(m)));
  });
  if (n.kind && n.kind === n.listKind) errs.push(invalid(p.child('listKind'), n.listKind, 'kind and listKind may not be the same'));
  (n.categories ?? []).forEach((c, i) => {
    const m = isDNS1035Label(c);
    if (m.length) errs.push(invalid(p.child('categories').index(i), c, join(m)));
  });
  return errs;
}

function simpleJSONPath(s: string, p: FieldPath): FieldError[] {
  if (s.length === 0) return [invalid(p, s, 'must not be empty')];
  if (!s.startsWith('.')) return [invalid(p, s, 'must be a simple json path starting with .')];
  return [];
}

function validateColumn(c: PrinterColumn, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(p.child('name'), ''));
  if (!c.type) errs.push(required(p.child('type'), `must be one of ${PRINTER_TYPES.join(',')}`));
  else if (!PRINTER_TYPES.includes(c.type)) errs.push(invalid(p.child('type'), c.type, `must be one of ${PRINTER_TYPES.join(',')}`));
  if (c.format && !PRINTER_FORMATS.includes(c.format))
    errs.push(invalid(p.child('format'), c.format, `must be one of ${PRINTER_FORMATS.join(',')}`));
  if (!c.jsonPath) errs.push(required(p.child('jsonPath'), ''));
  else errs.push(...simpleJSONPath(c.jsonPath, p.child('jsonPath')));
  return errs;
}

function validateScale(scale: NonNullable<NonNullable<CRDVersion['subresources']>['scale']>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const spec = scale.specReplicasPath ?? '';
  const sp = p.child('specReplicasPath');
  if (!spec) errs.push(required(sp, ''));
  else {
    const e = simpleJSONPath(spec, sp);
    if (e.length) errs.push(...e);
    else if (!spec.startsWith('.spec.')) errs.push(invalid(sp, spec, 'should be a json path under .spec'));
  }
  const status = scale.statusReplicasPath ?? '';
  const stp = p.child('statusReplicasPath');
  if (!status) errs.push(required(stp, ''));
  else {
    const e = simpleJSONPath(status, stp);
    if (e.length) errs.push(...e);
    else if (!status.startsWith('.status.')) errs.push(invalid(stp, status, 'should be a json path under .status'));
  }
  const sel = scale.labelSelectorPath ?? '';
  if (sel) {
    const lp = p.child('labelSelectorPath');
    const e = simpleJSONPath(sel, lp);
    if (e.length) errs.push(...e);
    else if (!sel.startsWith('.spec.') && !sel.startsWith('.status.'))
      errs.push(invalid(lp, sel, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

function validateVersion(v: CRDVersion, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (v.deprecationWarning !== undefined && !v.deprecated)
    errs.push(invalid(p.child('deprecationWarning'), v.deprecationWarning, 'can only be set for deprecated versions'));
  else if ((v.deprecationWarning ?? '').length > 256)
    errs.push(invalid(p.child('deprecationWarning'), v.deprecationWarning, 'must be <= 256 characters long'));
  const schemaPath = p.child('schema').child('openAPIV3Schema');
  if (!v.schema?.openAPIV3Schema) errs.push(required(schemaPath, 'schemas are required'));
  else errs.push(...validateStructuralSchema(v.schema.openAPIV3Schema, schemaPath));
  if (v.subresources?.scale) errs.push(...validateScale(v.subresources.scale, p.child('subresources').child('scale')));
  (v.additionalPrinterColumns ?? []).forEach((c, i) => errs.push(...validateColumn(c, p.child('additionalPrinterColumns').index(i))));
  (v.selectableFields ?? []).forEach((f, i) => {
    const fp = p.child('selectableFields').index(i).child('jsonPath');
    if (!f.jsonPath) errs.push(required(fp, ''));
    else errs.push(...simpleJSONPath(f.jsonPath, fp));
  });
  return errs;
}

function validateSpec(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? {};
  const p = FieldPath.root('spec');
  const group = spec.group ?? '';
  if (!group) errs.push(required(p.child('group'), ''));
  else {
    const m = isDNS1123Subdomain(group);
    if (m.length) errs.push(invalid(p.child('group'), group, m.join(',')));
    else if (group.split('.').length < 2) errs.push(invalid(p.child('group'), group, 'should be a domain with at least one dot'));
  }
  const scope = spec.scope ?? '';
  if (!scope) errs.push(required(p.child('scope'), ''));
  else if (!SCOPES.includes(scope)) errs.push(notSupported(p.child('scope'), scope, SCOPES));
  const versions = spec.versions ?? [];
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((v, i) => {
    const vp = p.child('versions').index(i);
    if (v.storage) storage++;
    const name = v.name ?? '';
    if (seen.has(name)) unique = false;
    seen.add(name);
    const m = isDNS1035Label(name);
    if (m.length) errs.push(invalid(vp.child('name'), name, m.join(',')));
    errs.push(...validateVersion(v, vp));
  });
  if (!unique) errs.push(invalid(p.child('versions'), versions, 'must contain unique version names'));
  if (storage !== 1) errs.push(invalid(p.child('versions'), versions, 'must have exactly one version marked as storage version'));
  const names = spec.names ?? {};
  const np = p.child('names');
  if (!names.plural) errs.push(required(np.child('plural'), ''));
  if (!names.singular) errs.push(required(np.child('singular'), ''));
  if (!names.kind) errs.push(required(np.child('kind'), ''));
  if (!names.listKind) errs.push(required(np.child('listKind'), ''));
  errs.push(...validateNames(names, np));
  const conv = spec.conversion;
  if (conv) {
    const cp = p.child('conversion');
    const strat = conv.strategy ?? '';
    if (!CONVERSION_STRATEGIES.includes(strat)) errs.push(notSupported(cp.child('strategy'), strat, CONVERSION_STRATEGIES));
    if (strat === 'Webhook') {
      if (!conv.webhook) errs.push(required(cp.child('webhook'), 'required when strategy is set to Webhook'));
      else {
        const cc = conv.webhook.clientConfig;
        if (!cc) errs.push(required(cp.child('webhook').child('clientConfig'), 'required when strategy is set to Webhook'));
        else if (!cc.url === !cc.service)
          errs.push(required(cp.child('webhook').child('clientConfig'), 'exactly one of url or service is required'));
        if (!(conv.webhook.conversionReviewVersions ?? []).length)
          errs.push(required(cp.child('webhook').child('conversionReviewVersions'), 'must specify at least one version'));
      }
    } else if (strat === 'None' && conv.webhook) {
      errs.push(forbidden(cp.child('webhook'), 'should not be set when strategy is not set to Webhook'));
    }
  }
  if (spec.preserveUnknownFields)
    errs.push(invalid(p.child('preserveUnknownFields'), true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  return errs;
}

export function validateCRD(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const want = `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;
  if (crd.metadata.name && crd.metadata.name !== want)
    errs.push(invalid(FieldPath.root('metadata').child('name'), crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  errs.push(...validateSpec(crd));
  if (crd.status?.acceptedNames) errs.push(...validateNames(crd.status.acceptedNames, FieldPath.root('status').child('acceptedNames')));
  return errs;
}

export function isEstablished(crd: CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

export function validateCRDUpdate(crd: CustomResourceDefinition, old: CustomResourceDefinition): FieldError[] {
  const errs = validateCRD(crd);
  const p = FieldPath.root('spec');
  if (isEstablished(old)) {
    if (crd.spec?.scope !== old.spec?.scope) errs.push(immutable(p.child('scope'), crd.spec?.scope));
    if (crd.spec?.names?.kind !== old.spec?.names?.kind) errs.push(immutable(p.child('names').child('kind'), crd.spec?.names?.kind));
  }
  if (crd.spec?.group !== old.spec?.group) errs.push(immutable(p.child('group'), crd.spec?.group));
  if (crd.spec?.names?.plural !== old.spec?.names?.plural) errs.push(immutable(p.child('names').child('plural'), crd.spec?.names?.plural));
  const names = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  (crd.status?.storedVersions ?? []).forEach((v, i) => {
    if (!names.has(v)) errs.push(invalid(FieldPath.root('status').child('storedVersions').index(i), v, 'must appear in spec.versions'));
  });
  return errs;
}
