/**
 * apps/v1 StatefulSet: pods with stable names, network identities and storage.
 */
import { workloadCondition } from './workload-condition.js';
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import type { LabelSelectorObject } from '../../meta/label-selector.js';
import { validateAnnotations, validateLabels } from '../../meta/meta-validation.js';
import { nameIsDNSLabel } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { IntOrString, LabelSelector, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { defaultPodTemplateSpec, PodTemplateSpec } from '../../core/v1/pod-template.js';
import type { PodTemplateSpec as PodTemplateSpecT } from '../../core/v1/pod-types.js';
import { defaultPersistentVolumeClaimSpec, PersistentVolumeClaim, type PersistentVolumeClaimSpecT } from '../../core/v1/persistent-volume-claim.js';
import { scaleAccessFor } from '../../autoscaling/v1/scale.js';
import { alwaysRestartRules, validateWorkloadSelector } from './apps-validation.js';
import {
  goIntOrString,
  goInvalid,
  goLabelSelector,
  intOrPercentValue,
  isNotMoreThan100Percent,
  nonNegative,
  semanticEqual,
  templateColumns,
  templateLabelsMismatch,
  validatePositiveIntOrPercent,
  type IntOrString as IntOrStringT,
} from './workload-helpers.js';

// ----------------------------------------------------------------------------------------------- schema

export const RollingUpdateStatefulSetStrategy = def(
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy',
  'Parameters of a StatefulSet rolling update.',
  {
    partition: int32('Ordinal at which the update is partitioned: pods with a lower ordinal keep the old revision. Defaults to 0.'),
    maxUnavailable: ref(IntOrString, 'Pods (number or percentage) that may be unavailable during the update (alpha, MaxUnavailableStatefulSet).'),
  },
);

export const StatefulSetUpdateStrategy = def(
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy',
  'How the StatefulSet controller rolls out a new revision.',
  {
    type: enumStr('Strategy type. Defaults to RollingUpdate.', {
      OnDelete: 'replaces a pod only after someone deletes it.',
      RollingUpdate: 'replaces pods one by one in reverse ordinal order.',
    }),
    rollingUpdate: ref(RollingUpdateStatefulSetStrategy, 'Parameters when type is RollingUpdate.'),
  },
);

export const StatefulSetPersistentVolumeClaimRetentionPolicy = def(
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy',
  'What happens to the claims created from volumeClaimTemplates.',
  {
    whenDeleted: str('On StatefulSet deletion: "Retain" (default) keeps the claims, "Delete" removes them.'),
    whenScaled: str('On scale-down: "Retain" (default) keeps the claims of removed pods, "Delete" removes them.'),
  },
);

export const StatefulSetOrdinals = def('io.k8s.api.apps.v1.StatefulSetOrdinals', 'How replica ordinals are numbered.', {
  start: int32('Ordinal of the first replica; replicas use [start, start+replicas). Defaults to 0.'),
});

export const StatefulSetSpec = def(
  'io.k8s.api.apps.v1.StatefulSetSpec',
  'Desired state of a StatefulSet.',
  {
    replicas: int32('Desired number of pods. Defaults to 1.'),
    selector: ref(LabelSelector, 'Selects the pods counted against replicas; must match the template labels.'),
    template: ref(PodTemplateSpec, 'Pods to create, each named <statefulset>-<ordinal>. restartPolicy may only be Always.', {
      default: {},
    }),
    volumeClaimTemplates: arr(
      ref(PersistentVolumeClaim, undefined, { default: {} }),
      'Claims each pod gets, matched by name to volume mounts in the template.',
      { listType: 'atomic' },
    ),
    serviceName: str('Service that governs the set and gives pods their DNS names.', { default: '' }),
    podManagementPolicy: enumStr('How pods are created and removed. Defaults to OrderedReady.', {
      OrderedReady: 'creates pods in order, each after the previous is ready, and removes them in reverse.',
      Parallel: 'creates and removes pods all at once.',
    }),
    updateStrategy: ref(StatefulSetUpdateStrategy, 'How a template change is rolled out.', { default: {} }),
    revisionHistoryLimit: int32('Revisions kept in the history. Defaults to 10.'),
    minReadySeconds: int32('Seconds a new pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
    persistentVolumeClaimRetentionPolicy: ref(
      StatefulSetPersistentVolumeClaimRetentionPolicy,
      'Lifecycle of the claims created from volumeClaimTemplates.',
    ),
    ordinals: ref(StatefulSetOrdinals, 'Numbering of replica ordinals.'),
  },
  { required: ['selector', 'template', 'serviceName'] },
);

export const StatefulSetCondition = workloadCondition('StatefulSet');

export const StatefulSetStatus = def(
  'io.k8s.api.apps.v1.StatefulSetStatus',
  'Observed state of a StatefulSet.',
  {
    observedGeneration: int64('Generation last acted on by the controller.'),
    replicas: int32('Pods created by the controller.', { default: 0 }),
    readyReplicas: int32('Pods with a Ready condition.'),
    currentReplicas: int32('Pods at currentRevision.'),
    updatedReplicas: int32('Pods at updateRevision.'),
    currentRevision: str('Revision of the pods in [0, currentReplicas).'),
    updateRevision: str('Revision of the pods in [replicas-updatedReplicas, replicas).'),
    collisionCount: int32('Hash collisions seen when naming the newest ControllerRevision.'),
    conditions: arr(ref(StatefulSetCondition, undefined, { default: {} }), 'Latest observations of the StatefulSet.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
    availableReplicas: int32('Pods ready for at least minReadySeconds.'),
  },
  { required: ['replicas'] },
);

export const StatefulSet = def(
  'io.k8s.api.apps.v1.StatefulSet',
  'Pods with stable identities: names, DNS hostnames and storage.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(StatefulSetSpec, 'Desired identities of the pods.', { default: {} }),
    status: ref(StatefulSetStatus, 'Most recently observed status. Read-only.', { default: {} }),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'StatefulSet' }] },
);

// ------------------------------------------------------------------------------------------------ types

interface ClaimTemplate {
  spec?: PersistentVolumeClaimSpecT;
  status?: { phase?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface StatefulSetObject extends KObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelectorObject;
    template?: PodTemplateSpecT;
    volumeClaimTemplates?: ClaimTemplate[];
    serviceName?: string;
    podManagementPolicy?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: IntOrStringT } };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
    ordinals?: { start?: number };
  };
  status?: { replicas?: number; readyReplicas?: number; [k: string]: unknown };
}

// ---------------------------------------------------------------------------------------------- defaults

/**
 * SetDefaults_StatefulSet (with the StatefulSetAutoDeletePVC gate on and MaxUnavailableStatefulSet off, as
 * in 1.32), the pod defaults of the template, and the claim defaults of each volume claim template.
 */
export function defaultStatefulSet(s: StatefulSetObject): void {
  const spec = (s.spec ??= {});
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us = (spec.updateStrategy ??= {});
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate) us.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec((spec.template ??= {}));
  // Embedded claims get the PVC defaults, including SetDefaults_PersistentVolumeClaim's Pending phase.
  for (const claim of spec.volumeClaimTemplates ?? []) {
    defaultPersistentVolumeClaimSpec((claim.spec ??= {}));
    const st = (claim.status ??= {});
    if (!st.phase) st.phase = 'Pending';
  }
}

// -------------------------------------------------------------------------------------------- validation

function validateUpdateStrategy(us: NonNullable<StatefulSetObject['spec']>['updateStrategy'], path: FieldPath): FieldError[] {
  const s = us ?? {};
  const ruPath = path.child('rollingUpdate');
  const ru = s.rollingUpdate;
  switch (s.type ?? '') {
    case '':
      return [required(path, '')];
    case 'OnDelete':
      if (!ru) return [];
      return [
        goInvalid(
          ruPath,
          `apps.RollingUpdateStatefulSetStrategy{Partition:${ru.partition ?? 0}, MaxUnavailable:(*intstr.IntOrString)(${ru.maxUnavailable === undefined ? 'nil' : '0xc000000000'})}`,
          "only allowed for updateStrategy 'RollingUpdate'",
        ),
      ];
    case 'RollingUpdate': {
      if (!ru) return [];
      const errs = nonNegative(ru.partition ?? 0, ruPath.child('partition'));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        const mp = ruPath.child('maxUnavailable');
        errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, mp));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(goInvalid(mp, goIntOrString(ru.maxUnavailable), 'cannot be 0'));
        errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, mp));
      }
      return errs;
    }
    default:
      return [
        goInvalid(
          path,
          `apps.StatefulSetUpdateStrategy{Type:${JSON.stringify(s.type)}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(${ru ? '0xc000000000' : 'nil'})}`,
          "must be 'RollingUpdate' or 'OnDelete'",
        ),
      ];
  }
}

const RETENTION = ['Retain', 'Delete'];

/** ValidateStatefulSetSpec. Upstream does not validate the template's pod spec here, only its metadata. */
export function validateStatefulSetSpec(s: StatefulSetObject): FieldError[] {
  const spec = s.spec ?? {};
  const path = FieldPath.root('spec');
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy ?? '';
  if (pmp === '') errs.push(required(path.child('podManagementPolicy'), ''));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel')
    errs.push(invalid(path.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec.updateStrategy, path.child('updateStrategy')));
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    const rp = path.child('persistentVolumeClaimRetentionPolicy');
    if (!RETENTION.includes(retention.whenDeleted ?? '')) errs.push(notSupported(rp.child('whenDeleted'), retention.whenDeleted ?? '', RETENTION));
    if (!RETENTION.includes(retention.whenScaled ?? '')) errs.push(notSupported(rp.child('whenScaled'), retention.whenScaled ?? '', RETENTION));
  }
  errs.push(...nonNegative(spec.replicas ?? 0, path.child('replicas')));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start ?? 0, path.child('ordinals.start')));
  const { errs: selErrs, parsed } = validateWorkloadSelector(spec.selector, path.child('selector'), 'statefulset');
  errs.push(...selErrs);
  const tp = path.child('template');
  if (parsed === undefined) {
    errs.push(goInvalid(path.child('selector'), goLabelSelector(spec.selector), ''));
  } else {
    errs.push(...templateLabelsMismatch(parsed, spec.template, tp));
    // Upstream's paths here omit "metadata" (spec.template.labels), a long-standing quirk kept for fidelity.
    errs.push(...validateLabels(spec.template?.metadata?.labels, tp.child('labels')));
    errs.push(...validateAnnotations(spec.template?.metadata?.annotations, tp.child('annotations')));
  }
  errs.push(...alwaysRestartRules(spec.template, tp, 'StatefulSet'));
  return errs;
}

const UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** ValidateStatefulSetUpdate: only the listed spec fields may change. */
export function validateStatefulSetUpdate(s: StatefulSetObject, old: StatefulSetObject): FieldError[] {
  const errs = validateStatefulSetSpec(s);
  const strip = (spec: StatefulSetObject['spec']) => {
    const copy: Record<string, unknown> = { ...(spec ?? {}) };
    for (const k of UPDATABLE) delete copy[k];
    return copy;
  };
  if (!semanticEqual(strip(s.spec), strip(old.spec)))
    errs.push(
      forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  return errs;
}

// ---------------------------------------------------------------------------------------------- resource

export const statefulsets = defineResource<StatefulSetObject>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  nameRule: nameIsDNSLabel,
  subresources: { status: true, scale: scaleAccessFor<StatefulSetObject>({ selector: 'labelSelector' }) },
  schema: StatefulSet,
  defaults: defaultStatefulSet,
  generation: true,
  strategy: {
    validate: validateStatefulSetSpec,
    validateUpdate: validateStatefulSetUpdate,
  },
  columns: [
    nameColumn(),
    col<StatefulSetObject>('Ready', (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 0}`, {
      description: 'Ready pods out of the desired replicas.',
    }),
    ageColumn(),
    ...templateColumns<StatefulSetObject>((s) => s.spec?.template),
  ],
});
