/**
 * apps/v1 ReplicaSet: keeps a number of identical pods running.
 */
import { workloadCondition } from './workload-condition.js';
import { FieldPath, type FieldError } from '../../meta/field-errors.js';
import type { LabelSelectorObject } from '../../meta/label-selector.js';
import type { KObject } from '../../meta/object.js';
import { LabelSelector, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, int32, int64, ref } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { defaultPodTemplateSpec, PodTemplateSpec } from '../../core/v1/pod-template.js';
import type { PodTemplateSpec as PodTemplateSpecT } from '../../core/v1/pod-types.js';
import { scaleAccessFor } from '../../autoscaling/v1/scale.js';
import { selectorImmutable, validateReplicaSetTemplate, validateWorkloadSelector } from './apps-validation.js';
import {
  dnsLabelNameWarnings,
  goInvalid,
  goLabelSelector,
  nonNegative,
  selectorColumn,
  templateColumns,
} from './workload-helpers.js';

export const ReplicaSetSpec = def(
  'io.k8s.api.apps.v1.ReplicaSetSpec',
  'Desired state of a ReplicaSet.',
  {
    replicas: int32('Desired number of pods. Defaults to 1.'),
    minReadySeconds: int32('Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
    selector: ref(LabelSelector, 'Selects the pods counted against replicas; must match the template labels.'),
    template: ref(PodTemplateSpec, 'Pods to create when too few exist.', { default: {} }),
  },
  { required: ['selector'] },
);

export const ReplicaSetCondition = workloadCondition('ReplicaSet', 'Condition type, e.g. ReplicaFailure.');

export const ReplicaSetStatus = def(
  'io.k8s.api.apps.v1.ReplicaSetStatus',
  'Observed state of a ReplicaSet.',
  {
    replicas: int32('Non-terminating pods last observed.', { default: 0 }),
    fullyLabeledReplicas: int32('Non-terminating pods carrying all the template labels.'),
    readyReplicas: int32('Non-terminating pods with a Ready condition.'),
    availableReplicas: int32('Non-terminating pods ready for at least minReadySeconds.'),
    observedGeneration: int64('Generation last acted on by the controller.'),
    conditions: arr(ref(ReplicaSetCondition, undefined, { default: {} }), 'Latest observations of the ReplicaSet.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { required: ['replicas'] },
);

export const ReplicaSet = def(
  'io.k8s.api.apps.v1.ReplicaSet',
  'Keeps a given number of pod replicas running.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(ReplicaSetSpec, 'Desired behaviour of the ReplicaSet.', { default: {} }),
    status: ref(ReplicaSetStatus, 'Most recently observed status. Read-only.', { default: {} }),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'ReplicaSet' }] },
);

export interface ReplicaSetObject extends KObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: LabelSelectorObject; template?: PodTemplateSpecT };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; [k: string]: unknown };
}

/** SetDefaults_ReplicaSet plus the pod defaults of its template. */
export function defaultReplicaSet(rs: ReplicaSetObject): void {
  const spec = (rs.spec ??= {});
  spec.replicas ??= 1;
  defaultPodTemplateSpec((spec.template ??= {}));
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSetSpec(rs: ReplicaSetObject): FieldError[] {
  const spec = rs.spec ?? {};
  const path = FieldPath.root('spec');
  const errs = [...nonNegative(spec.replicas ?? 0, path.child('replicas')), ...nonNegative(spec.minReadySeconds, path.child('minReadySeconds'))];
  // Upstream reuses the Deployment wording for the empty-selector error here.
  const { errs: selErrs, parsed } = validateWorkloadSelector(spec.selector, path.child('selector'), 'deployment');
  errs.push(...selErrs);
  if (parsed === undefined) errs.push(goInvalid(path.child('selector'), goLabelSelector(spec.selector), 'invalid label selector'));
  else errs.push(...validateReplicaSetTemplate(spec.template, parsed, path.child('template')));
  return errs;
}

export const replicasets = defineResource<ReplicaSetObject>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  subresources: { status: true, scale: scaleAccessFor<ReplicaSetObject>({ selector: 'labelSelector' }) },
  schema: ReplicaSet,
  defaults: defaultReplicaSet,
  generation: true,
  strategy: {
    validate: validateReplicaSetSpec,
    validateUpdate: (rs, old) => [...validateReplicaSetSpec(rs), ...selectorImmutable(rs.spec?.selector, old.spec?.selector)],
    warnings: (rs, old) => (old ? [] : dnsLabelNameWarnings(rs.metadata.name)),
  },
  fieldSelectors: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
  columns: [
    nameColumn(),
    col<ReplicaSetObject>('Desired', (rs) => rs.spec?.replicas ?? 0, { type: 'integer', description: 'Desired number of pods.' }),
    col<ReplicaSetObject>('Current', (rs) => rs.status?.replicas ?? 0, { type: 'integer', description: 'Pods currently observed.' }),
    col<ReplicaSetObject>('Ready', (rs) => rs.status?.readyReplicas ?? 0, { type: 'integer', description: 'Pods with a Ready condition.' }),
    ageColumn(),
    ...templateColumns<ReplicaSetObject>((rs) => rs.spec?.template),
    selectorColumn<ReplicaSetObject>((rs) => rs.spec?.selector, 'Label query over the managed pods.'),
  ],
});
