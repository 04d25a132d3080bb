/**
 * ObjectMeta validation (apimachinery's ValidateObjectMeta / ValidateObjectMetaUpdate): names,
 * namespaces, labels, annotations, owner references, finalizers, immutable identity fields.
 */
import { FieldPath, forbidden, immutable, invalid, required, tooLong, type FieldError } from './field-errors.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, type NameRule } from './name-validation.js';
import type { KObject, ObjectMeta } from './object.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path, k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalid(path, v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += k.length + v.length;
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(meta: ObjectMeta, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let controllers = 0;
  (meta.ownerReferences ?? []).forEach((r, i) => {
    const p = path.index(i);
    if (!r.apiVersion) errs.push(invalid(p.child('apiVersion'), r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(p.child('kind'), r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(p.child('name'), r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(p.child('uid'), r.uid ?? '', 'uid must not be empty'));
    if (r.controller) controllers++;
  });
  if (controllers > 1)
    errs.push(invalid(path, meta.ownerReferences, 'Only one reference can have Controller set to true'));
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (finalizers ?? []).forEach((f, i) => {
    for (const m of isQualifiedName(f)) errs.push(invalid(path.index(i), f, m));
    if (seen.has(f)) errs.push(invalid(path.index(i), f, 'duplicate finalizer'));
    seen.add(f);
  });
  if ((finalizers ?? []).includes('orphan') && (finalizers ?? []).includes('foregroundDeletion'))
    errs.push(invalid(path, finalizers, "finalizer foregroundDeletion and orphan cannot be both set"));
  return errs;
}

/** Create-time metadata rules. `nameRule` is the kind's name format (most use DNS-1123 subdomains). */
export function validateObjectMeta(obj: KObject, namespaced: boolean, nameRule: NameRule): FieldError[] {
  const meta = obj.metadata ?? {};
  const path = FieldPath.root('metadata');
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of nameRule(meta.generateName.replace(/-$/, 'a') || 'a').filter(() => !meta.name))
      errs.push(invalid(path.child('generateName'), meta.generateName, m));
  }
  if (!meta.name) errs.push(required(path.child('name'), 'name or generateName is required'));
  else for (const m of nameRule(meta.name)) errs.push(invalid(path.child('name'), meta.name, m));
  if (namespaced) {
    if (!meta.namespace) errs.push(required(path.child('namespace'), ''));
    else for (const m of isDNS1123Label(meta.namespace)) errs.push(invalid(path.child('namespace'), meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  if (meta.generation !== undefined && meta.generation < 0)
    errs.push(invalid(path.child('generation'), meta.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  return errs;
}

/** Update-time rules: identity is immutable; the rest is validated as on create. */
export function validateObjectMetaUpdate(obj: KObject, old: KObject, namespaced: boolean, nameRule: NameRule): FieldError[] {
  const m = obj.metadata;
  const o = old.metadata;
  const path = FieldPath.root('metadata');
  const errs = validateObjectMeta(obj, namespaced, nameRule).filter((e) => e.field !== 'metadata.generateName');
  if (m.name !== o.name) errs.push(immutable(path.child('name'), m.name));
  if ((m.namespace ?? '') !== (o.namespace ?? '')) errs.push(immutable(path.child('namespace'), m.namespace));
  if (m.uid !== o.uid) errs.push(immutable(path.child('uid'), m.uid));
  if (m.creationTimestamp !== o.creationTimestamp)
    errs.push(immutable(path.child('creationTimestamp'), m.creationTimestamp));
  return errs;
}
