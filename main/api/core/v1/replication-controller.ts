/** The ReplicationController resource (core/v1), the original replica manager, with its scale subresource. */
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabels } from '../../meta/meta-validation.js';
import type { KObject } from '../../meta/object.js';
import { Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, int32, int64, ref, str, stringMap } from '../../schema/builder.js';
import { ageColumn, col, formatLabels, nameColumn } from '../../table/columns.js';
import { containerImages, containerNames } from './pod-columns-util.js';
import { PodTemplateSpec, defaultPodTemplateSpec, validatePodTemplateSpec } from './pod-template.js';
import type { PodTemplateSpec as PodTemplateSpecT } from './pod-types.js';
import { nonNegative } from './validation-util.js';

export interface ReplicationController extends KObject {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: Record<string, string>; template?: PodTemplateSpecT };
  status?: {
    replicas?: number;
    fullyLabeledReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
    conditions?: unknown[];
  };
}

const CORE = 'io.k8s.api.core.v1';

export const ReplicationControllerSpec = def(`${CORE}.ReplicationControllerSpec`, 'Desired state of a replication controller.', {
  replicas: int32('Number of pods wanted. Defaults to 1.'),
  minReadySeconds: int32('Seconds a new pod must be ready, without crashing, to count as available. Defaults to 0.'),
  selector: stringMap('Labels of the pods this controller counts; defaults to the template labels.', { 'x-kubernetes-map-type': 'atomic' }),
  template: ref(PodTemplateSpec, 'Blueprint of the pods to create.'),
});

export const ReplicationControllerCondition = def(
  `${CORE}.ReplicationControllerCondition`,
  'One condition of a replication controller.',
  {
    type: str('Condition type, e.g. ReplicaFailure.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastTransitionTime: ref(Time, 'When the status last changed.'),
    reason: str('Reason of the last change.'),
    message: str('Details.'),
  },
  { required: ['type', 'status'] },
);

export const ReplicationControllerStatus = def(
  `${CORE}.ReplicationControllerStatus`,
  'Observed state of a replication controller.',
  {
    replicas: int32('Number of pods currently counted.', { default: 0 }),
    fullyLabeledReplicas: int32('Pods whose labels match the template labels.'),
    readyReplicas: int32('Ready pods.'),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
    observedGeneration: int64('Generation last acted on.'),
    conditions: arr(ref(ReplicationControllerCondition, undefined, { default: {} }), 'Current conditions.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { required: ['replicas'] },
);

export const ReplicationControllerSchema = def(
  `${CORE}.ReplicationController`,
  'Keeps a number of copies of a pod running.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(ReplicationControllerSpec, 'Desired state.', { default: {} }),
    status: ref(ReplicationControllerStatus, 'Observed state; written by the system.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ReplicationController' }] },
);

/** SetDefaults_ReplicationController: selector and labels from the template labels, one replica. */
export function defaultReplicationController(rc: ReplicationController): void {
  rc.spec ??= {};
  const labels = rc.spec.template?.metadata?.labels;
  if (labels && Object.keys(labels).length > 0) {
    if (!rc.spec.selector || Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...labels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  rc.spec.replicas ??= 1;
  defaultPodTemplateSpec(rc.spec.template);
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** ValidateReplicationControllerSpec. */
export function validateReplicationController(rc: ReplicationController): FieldError[] {
  const p = FieldPath.root('spec');
  const spec = rc.spec ?? {};
  const errs: FieldError[] = [];
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required(p.child('selector')));
  else errs.push(...validateLabels(selector, p.child('selector')));
  errs.push(...nonNegative(spec.minReadySeconds, p.child('minReadySeconds')));
  errs.push(...nonNegative(spec.replicas, p.child('replicas')));
  const tp = p.child('template');
  const t = spec.template;
  if (!t) return [...errs, required(tp)];
  if (Object.keys(selector).length > 0 && !matches(selector, t.metadata?.labels))
    errs.push(invalid(tp.child('metadata').child('labels'), t.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  errs.push(...validatePodTemplateSpec(t, tp));
  const restart = t.spec?.restartPolicy;
  if (restart !== 'Always') errs.push(notSupported(tp.child('spec').child('restartPolicy'), restart ?? '', ['Always']));
  if (t.spec?.activeDeadlineSeconds !== undefined)
    errs.push(forbidden(tp.child('spec').child('activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicationController is not Supported'));
  return errs;
}

export const replicationcontrollers = defineResource<ReplicationController>({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  shortNames: ['rc'],
  categories: ['all'],
  namespaced: true,
  subresources: {
    status: true,
    scale: {
      specReplicas: (rc) => rc.spec?.replicas ?? 0,
      setSpecReplicas: (rc, n) => {
        rc.spec ??= {};
        rc.spec.replicas = n;
      },
      statusReplicas: (rc) => rc.status?.replicas ?? 0,
      selector: (rc) => {
        const s = rc.spec?.selector ?? {};
        return Object.keys(s).length ? formatLabels(s) : '';
      },
    },
  },
  schema: ReplicationControllerSchema,
  defaults: defaultReplicationController,
  strategy: {
    prepareForCreate(rc) {
      rc.status = { replicas: 0 };
    },
    validate: validateReplicationController,
    validateUpdate: validateReplicationController,
  },
  generation: true,
  fieldSelectors: { 'status.replicas': (rc) => String(rc.status?.replicas ?? 0) },
  columns: [
    nameColumn(),
    col<ReplicationController>('Desired', (rc) => rc.spec?.replicas ?? 0, {
      type: 'integer',
      description: 'Number of pods wanted.',
    }),
    col<ReplicationController>('Current', (rc) => rc.status?.replicas ?? 0, {
      type: 'integer',
      description: 'Number of pods currently counted.',
    }),
    col<ReplicationController>('Ready', (rc) => rc.status?.readyReplicas ?? 0, {
      type: 'integer',
      description: 'Number of ready pods.',
    }),
    ageColumn(),
    col<ReplicationController>('Containers', (rc) => containerNames(rc.spec?.template?.spec), {
      priority: 1,
      description: 'Names of each container in the template.',
    }),
    col<ReplicationController>('Images', (rc) => containerImages(rc.spec?.template?.spec), {
      priority: 1,
      description: 'Images referenced by each container in the template.',
    }),
    col<ReplicationController>('Selector', (rc) => formatLabels(rc.spec?.selector), {
      priority: 1,
      description: 'Labels of the pods this controller counts.',
    }),
  ],
});
