/**
 * apps/v1 Deployment: declarative rollouts of a pod template through ReplicaSets.
 */
import { jsonEqual } from '../../meta/json-equal.js';
import { FieldPath, forbidden, invalid, required, type FieldError } from '../../meta/field-errors.js';
import type { LabelSelectorObject } from '../../meta/label-selector.js';
import type { KObject } from '../../meta/object.js';
import { IntOrString, LabelSelector, Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, bool, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { defaultPodTemplateSpec, PodTemplateSpec } from '../../core/v1/pod-template.js';
import type { PodTemplateSpec as PodTemplateSpecT } from '../../core/v1/pod-types.js';
import { scaleAccessFor } from '../../autoscaling/v1/scale.js';
import { selectorImmutable, validateReplicaSetTemplate, validateWorkloadSelector } from './apps-validation.js';
import {
  dnsLabelNameWarnings,
  goIntOrString,
  goInvalid,
  goLabelSelector,
  goNotSupported,
  intOrPercentValue,
  isNotMoreThan100Percent,
  nonNegative,
  selectorColumn,
  templateColumns,
  validatePositiveIntOrPercent,
  type IntOrString as IntOrStringT,
} from './workload-helpers.js';

// ----------------------------------------------------------------------------------------------- schema

export const RollingUpdateDeployment = def(
  'io.k8s.api.apps.v1.RollingUpdateDeployment',
  'Parameters of a rolling update.',
  {
    maxUnavailable: ref(IntOrString, 'Pods (number or percentage of desired) that may be unavailable during the update. Defaults to 25%.'),
    maxSurge: ref(IntOrString, 'Pods (number or percentage of desired) that may be created above the desired count. Defaults to 25%.'),
  },
);

export const DeploymentStrategy = def('io.k8s.api.apps.v1.DeploymentStrategy', 'How old pods are replaced by new ones.', {
  type: enumStr('Strategy type. Defaults to RollingUpdate.', {
    Recreate: 'removes every old pod before creating new ones.',
    RollingUpdate: 'replaces old pods gradually, scaling the new ReplicaSet up and the old ones down.',
  }),
  rollingUpdate: ref(RollingUpdateDeployment, 'Rolling update parameters; only with type RollingUpdate.'),
});

export const DeploymentSpec = def(
  'io.k8s.api.apps.v1.DeploymentSpec',
  'Desired state of a Deployment.',
  {
    replicas: int32('Desired number of pods. Defaults to 1.'),
    selector: ref(LabelSelector, 'Selects the pods this Deployment manages; must match the template labels. Immutable.'),
    template: ref(PodTemplateSpec, 'Pods to create. Its restartPolicy may only be Always.', { default: {} }),
    strategy: ref(DeploymentStrategy, 'How to replace existing pods with new ones.', {
      default: {},
      'x-kubernetes-patch-strategy': 'retainKeys',
    }),
    minReadySeconds: int32('Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
    revisionHistoryLimit: int32('Old ReplicaSets kept for rollbacks. Defaults to 10.'),
    paused: bool('True pauses rollouts.'),
    progressDeadlineSeconds: int32('Seconds a rollout may go without progress before it is reported as failed. Defaults to 600.'),
  },
  { required: ['selector', 'template'] },
);

export const DeploymentCondition = def(
  'io.k8s.api.apps.v1.DeploymentCondition',
  'One observed aspect of a Deployment.',
  {
    type: str('Condition type: Available, Progressing or ReplicaFailure.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastUpdateTime: ref(Time, 'When the condition was last updated.'),
    lastTransitionTime: ref(Time, 'When the status last changed.'),
    reason: str('Machine-readable reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  },
  { required: ['type', 'status'] },
);

export const DeploymentStatus = def('io.k8s.api.apps.v1.DeploymentStatus', 'Observed state of a Deployment.', {
  observedGeneration: int64('Generation last acted on by the controller.'),
  replicas: int32('Non-terminating pods selected by this Deployment.'),
  updatedReplicas: int32('Non-terminating pods running the current template.'),
  readyReplicas: int32('Non-terminating pods with a Ready condition.'),
  availableReplicas: int32('Non-terminating pods ready for at least minReadySeconds.'),
  unavailableReplicas: int32('Pods still needed to reach full available capacity.'),
  conditions: arr(ref(DeploymentCondition, undefined, { default: {} }), 'Latest observations of the Deployment.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
  collisionCount: int32('Hash collisions seen when naming the newest ReplicaSet.'),
});

export const Deployment = def(
  'io.k8s.api.apps.v1.Deployment',
  'Declarative updates for pods and ReplicaSets.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(DeploymentSpec, 'Desired behaviour of the Deployment.', { default: {} }),
    status: ref(DeploymentStatus, 'Most recently observed status. Read-only.', { default: {} }),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }] },
);

// ------------------------------------------------------------------------------------------------ types

export interface DeploymentObject extends KObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelectorObject;
    template?: PodTemplateSpecT;
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: IntOrStringT; maxSurge?: IntOrStringT } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: {
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    [k: string]: unknown;
  };
}

// ---------------------------------------------------------------------------------------------- defaults

/** SetDefaults_Deployment plus the pod defaults of its template. */
export function defaultDeployment(d: DeploymentObject): void {
  const spec = (d.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec((spec.template ??= {}));
}

// -------------------------------------------------------------------------------------------- validation

function validateRollingUpdate(ru: { maxUnavailable?: IntOrStringT; maxSurge?: IntOrStringT }, path: FieldPath): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, path.child('maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, path.child('maxSurge')),
  ];
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0)
    errs.push(goInvalid(path.child('maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, path.child('maxUnavailable')));
  return errs;
}

function validateStrategy(strategy: NonNullable<DeploymentObject['spec']>['strategy'], path: FieldPath): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate ? [forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate':
      return s.rollingUpdate
        ? validateRollingUpdate(s.rollingUpdate, path.child('rollingUpdate'))
        : [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
    default: {
      const ru = s.rollingUpdate ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
      return [goNotSupported(path, `apps.DeploymentStrategy{Type:${JSON.stringify(s.type ?? '')}, RollingUpdate:${ru}}`, ['Recreate', 'RollingUpdate'])];
    }
  }
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(d: DeploymentObject): FieldError[] {
  const spec = d.spec ?? {};
  const path = FieldPath.root('spec');
  const errs = nonNegative(spec.replicas ?? 0, path.child('replicas'));
  const { errs: selErrs, parsed } = validateWorkloadSelector(spec.selector, path.child('selector'), 'deployment');
  errs.push(...selErrs);
  if (parsed === undefined) errs.push(goInvalid(path.child('selector'), goLabelSelector(spec.selector), 'invalid label selector'));
  else errs.push(...validateReplicaSetTemplate(spec.template, parsed, path.child('template')));
  errs.push(...validateStrategy(spec.strategy, path.child('strategy')));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...nonNegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds !== null) {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, path.child('progressDeadlineSeconds')));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0))
      errs.push(invalid(path.child('progressDeadlineSeconds'), spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

// ---------------------------------------------------------------------------------------------- resource

export const deployments = defineResource<DeploymentObject>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  subresources: { status: true, scale: scaleAccessFor<DeploymentObject>({ selector: 'labelSelector' }) },
  schema: Deployment,
  defaults: defaultDeployment,
  generation: true,
  strategy: {
    // Annotation changes bump generation too: the controller copies them onto ReplicaSets.
    prepareForUpdate: (d, old) => {
      if (!jsonEqual(d.metadata.annotations ?? {}, old.metadata.annotations ?? {}))
        d.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
    // As upstream's deploymentStatusStrategy (which resets only spec and labels): the controller records the
    // deployment.kubernetes.io/revision annotation through the status subresource, without a generation bump.
    prepareForStatusUpdate: (d, _old, incoming) => {
      const annotations = incoming.metadata?.annotations;
      if (annotations && Object.keys(annotations).length) d.metadata.annotations = annotations;
      else delete d.metadata.annotations;
    },
    validate: validateDeploymentSpec,
    validateUpdate: (d, old) => [...validateDeploymentSpec(d), ...selectorImmutable(d.spec?.selector, old.spec?.selector)],
    warnings: (d, old) => (old ? [] : dnsLabelNameWarnings(d.metadata.name)),
  },
  columns: [
    nameColumn(),
    col<DeploymentObject>('Ready', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`, {
      description: 'Ready pods out of the desired replicas.',
    }),
    col<DeploymentObject>('Up-to-date', (d) => d.status?.updatedReplicas ?? 0, {
      type: 'integer',
      description: 'Pods running the current template.',
    }),
    col<DeploymentObject>('Available', (d) => d.status?.availableReplicas ?? 0, {
      type: 'integer',
      description: 'Pods ready for at least minReadySeconds.',
    }),
    ageColumn(),
    ...templateColumns<DeploymentObject>((d) => d.spec?.template),
    selectorColumn<DeploymentObject>((d) => d.spec?.selector, 'Label query over the managed pods.'),
  ],
});
