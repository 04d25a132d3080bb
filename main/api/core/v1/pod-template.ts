/**
 * PodTemplateSpec — the pod blueprint embedded in workloads — and the PodTemplate kind itself.
 * Other groups (apps, batch) import `PodTemplateSpec`, `defaultPodTemplateSpec` and `validatePodTemplateSpec`
 * from here so that every template is defaulted and validated exactly like a pod's spec.
 */
import { FieldPath, forbidden, type FieldError } from '../../meta/field-errors.js';
import { validateLabels, validateAnnotations } from '../../meta/meta-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { def, ref } from '../../schema/builder.js';
import { col, formatLabels, nameColumn } from '../../table/columns.js';
import { defaultPodSpec } from './pod-defaults.js';
import { PodSpec } from './pod-spec.js';
import type { PodTemplate, PodTemplateSpec as PodTemplateSpecT } from './pod-types.js';
import { validatePodSpec } from './pod-validation.js';
import { containerImages, containerNames } from './pod-columns-util.js';

export type { PodLike, PodTemplateOwner, PodTemplateSpec as PodTemplateSpecObject } from './pod-types.js';

export const PodTemplateSpec = def(
  'io.k8s.api.core.v1.PodTemplateSpec',
  'Blueprint of the pods a workload creates: their metadata and spec.',
  {
    metadata: objectMeta(),
    spec: ref(PodSpec, 'Desired behaviour of the pods created from this template.', { default: {} }),
  },
);

/** Applies the pod-spec defaults inside a template (workload SetDefaults_* do this for spec.template). */
export function defaultPodTemplateSpec(t: PodTemplateSpecT | undefined): void {
  if (!t) return;
  t.spec ??= { containers: [] };
  defaultPodSpec(t.spec, { template: true });
}

/**
 * ValidatePodTemplateSpec: template labels and annotations, then the pod spec. `path` points at the
 * template (e.g. `spec.template`).
 */
export function validatePodTemplateSpec(t: PodTemplateSpecT | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const meta = t?.metadata ?? {};
  errs.push(...validateLabels(meta.labels, path.child('metadata').child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('metadata').child('annotations')));
  errs.push(...validatePodSpec(t?.spec, path.child('spec')));
  if ((t?.spec?.ephemeralContainers ?? []).length > 0)
    errs.push(forbidden(path.child('spec').child('ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return errs;
}

export const PodTemplateSchema = def(
  'io.k8s.api.core.v1.PodTemplate',
  'A stored pod template that controllers and people can copy pods from.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    template: ref(PodTemplateSpec, 'The pod blueprint.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'PodTemplate' }] },
);

export const podtemplates = defineResource<PodTemplate>({
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,
  schema: PodTemplateSchema,
  defaults(o) {
    defaultPodTemplateSpec(o.template);
  },
  strategy: {
    validate: (o) => validatePodTemplateSpec(o.template, FieldPath.root('template')),
    validateUpdate: (o) => validatePodTemplateSpec(o.template, FieldPath.root('template')),
  },
  generation: true,
  columns: [
    nameColumn(),
    col<PodTemplate>('Containers', (o) => containerNames(o.template?.spec), {
      description: 'Names of each container in the template.',
    }),
    col<PodTemplate>('Images', (o) => containerImages(o.template?.spec), {
      description: 'Images referenced by each container in the template.',
    }),
    col<PodTemplate>('Pod Labels', (o) => formatLabels(o.template?.metadata?.labels), {
      description: 'The labels for the pod template.',
    }),
  ],
});
