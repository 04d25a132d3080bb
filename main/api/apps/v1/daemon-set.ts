/**
 * apps/v1 DaemonSet: one pod per (matching) node.
 */
import { workloadCondition } from './workload-condition.js';
import { FieldPath, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabelSelector, type LabelSelectorObject } from '../../meta/label-selector.js';
import type { KObject } from '../../meta/object.js';
import { IntOrString, LabelSelector, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, int32, int64, ref } from '../../schema/builder.js';
import { ageColumn, col, formatLabels, nameColumn } from '../../table/columns.js';
import { defaultPodTemplateSpec, PodTemplateSpec, validatePodTemplateSpec } from '../../core/v1/pod-template.js';
import type { PodTemplateSpec as PodTemplateSpecT } from '../../core/v1/pod-types.js';
import { alwaysRestartRules, selectorImmutable } from './apps-validation.js';
import {
  goIntOrString,
  goInvalid,
  goLabelSelector,
  goMap,
  goNotSupported,
  intOrPercentValue,
  isNotMoreThan100Percent,
  labelSelectorHasNoTerms,
  nonNegative,
  selectorColumn,
  semanticEqual,
  templateColumns,
  toSelector,
  validatePositiveIntOrPercent,
  type IntOrString as IntOrStringT,
} from './workload-helpers.js';
import { matchesLabels } from '../../meta/label-selector.js';

/** Annotation through which apps/v1 carries the internal spec.templateGeneration counter. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

// ----------------------------------------------------------------------------------------------- schema

export const RollingUpdateDaemonSet = def('io.k8s.api.apps.v1.RollingUpdateDaemonSet', 'Parameters of a DaemonSet rolling update.', {
  maxUnavailable: ref(IntOrString, 'Daemon pods (number or percentage of desired) that may be down during the update. Defaults to 1.'),
  maxSurge: ref(IntOrString, 'Nodes (number or percentage) that may run an updated pod next to the old one. Defaults to 0.'),
});

export const DaemonSetUpdateStrategy = def('io.k8s.api.apps.v1.DaemonSetUpdateStrategy', 'How daemon pods are replaced.', {
  type: enumStr('Strategy type. Defaults to RollingUpdate.', {
    OnDelete: 'replaces a daemon pod only after someone deletes it.',
    RollingUpdate: 'replaces daemon pods node by node.',
  }),
  rollingUpdate: ref(RollingUpdateDaemonSet, 'Parameters when type is RollingUpdate.'),
});

export const DaemonSetSpec = def(
  'io.k8s.api.apps.v1.DaemonSetSpec',
  'Desired state of a DaemonSet.',
  {
    selector: ref(LabelSelector, 'Selects the daemon pods; must match the template labels. Immutable.'),
    template: ref(PodTemplateSpec, 'Pod to run on every matching node. restartPolicy may only be Always.', { default: {} }),
    updateStrategy: ref(DaemonSetUpdateStrategy, 'How a template change is rolled out.', { default: {} }),
    minReadySeconds: int32('Seconds a new daemon pod must be ready, without crashing, before it counts as available. Defaults to 0.'),
    revisionHistoryLimit: int32('Old revisions kept for rollbacks. Defaults to 10.'),
  },
  { required: ['selector', 'template'] },
);

export const DaemonSetCondition = workloadCondition('DaemonSet');

export const DaemonSetStatus = def(
  'io.k8s.api.apps.v1.DaemonSetStatus',
  'Observed state of a DaemonSet.',
  {
    currentNumberScheduled: int32('Nodes that should and do run a daemon pod.', { default: 0 }),
    numberMisscheduled: int32('Nodes that run a daemon pod but should not.', { default: 0 }),
    desiredNumberScheduled: int32('Nodes that should run a daemon pod.', { default: 0 }),
    numberReady: int32('Nodes whose daemon pod is Ready.', { default: 0 }),
    observedGeneration: int64('Generation last acted on by the controller.'),
    updatedNumberScheduled: int32('Nodes running the current template.'),
    numberAvailable: int32('Nodes whose daemon pod has been ready for at least minReadySeconds.'),
    numberUnavailable: int32('Nodes that should run a daemon pod but have none available.'),
    collisionCount: int32('Hash collisions seen when naming the newest ControllerRevision.'),
    conditions: arr(ref(DaemonSetCondition, undefined, { default: {} }), 'Latest observations of the DaemonSet.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] },
);

export const DaemonSet = def(
  'io.k8s.api.apps.v1.DaemonSet',
  'Runs a copy of a pod on every matching node.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(DaemonSetSpec, 'Desired behaviour of the DaemonSet.', { default: {} }),
    status: ref(DaemonSetStatus, 'Most recently observed status. Read-only.', { default: {} }),
  },
  { gvk: [{ group: 'apps', version: 'v1', kind: 'DaemonSet' }] },
);

// ------------------------------------------------------------------------------------------------ types

export interface DaemonSetObject extends KObject {
  spec?: {
    selector?: LabelSelectorObject;
    template?: PodTemplateSpecT;
    updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: IntOrStringT; maxSurge?: IntOrStringT } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
  };
  status?: {
    currentNumberScheduled?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    [k: string]: unknown;
  };
}

// ---------------------------------------------------------------------------------------------- defaults

/** SetDefaults_DaemonSet plus the pod defaults of its template. */
export function defaultDaemonSet(ds: DaemonSetObject): void {
  const spec = (ds.spec ??= {});
  const us = (spec.updateStrategy ??= {});
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec((spec.template ??= {}));
}

// -------------------------------------------------------------------------------------------- validation

function validateRollingUpdate(ru: { maxUnavailable?: IntOrStringT; maxSurge?: IntOrStringT }, path: FieldPath): FieldError[] {
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, path.child('maxUnavailable')),
    ...validatePositiveIntOrPercent(ru.maxSurge, path.child('maxSurge')),
    ...isNotMoreThan100Percent(ru.maxUnavailable, path.child('maxUnavailable')),
    ...isNotMoreThan100Percent(ru.maxSurge, path.child('maxSurge')),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge)
    errs.push(goInvalid(path.child('maxSurge'), goIntOrString(ru.maxSurge), 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(required(path.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSetSpec. */
export function validateDaemonSetSpec(ds: DaemonSetObject): FieldError[] {
  const spec = ds.spec ?? {};
  const path = FieldPath.root('spec');
  const errs = validateLabelSelector(spec.selector, path.child('selector'));
  const parsed = toSelector(spec.selector);
  const labels = spec.template?.metadata?.labels;
  if (parsed !== undefined && !matchesLabels(parsed, labels ?? {}))
    errs.push(goInvalid(path.child('template').child('metadata').child('labels'), goMap(labels), '`selector` does not match template `labels`'));
  if (spec.selector && labelSelectorHasNoTerms(spec.selector))
    errs.push(goInvalid(path.child('selector'), goLabelSelector(spec.selector), 'empty selector is invalid for daemonset'));
  errs.push(...validatePodTemplateSpec(spec.template, path.child('template')));
  errs.push(...alwaysRestartRules(spec.template, path.child('template'), 'DaemonSet'));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  const us = spec.updateStrategy ?? {};
  const usPath = path.child('updateStrategy');
  if (us.type === 'RollingUpdate') {
    if (!us.rollingUpdate) errs.push(required(usPath.child('rollingUpdate'), ''));
    else errs.push(...validateRollingUpdate(us.rollingUpdate, usPath.child('rollingUpdate')));
  } else if (us.type !== 'OnDelete') {
    const ru = us.rollingUpdate ? '0xc000000000' : 'nil';
    errs.push(
      goNotSupported(usPath, `apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(us.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(${ru})}`, [
        'RollingUpdate',
        'OnDelete',
      ]),
    );
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  return errs;
}

function templateGeneration(ds: DaemonSetObject): number {
  const n = Number.parseInt(ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

function setTemplateGeneration(ds: DaemonSetObject, n: number): void {
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(n) };
}

// ---------------------------------------------------------------------------------------------- resource

export const daemonsets = defineResource<DaemonSetObject>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  subresources: { status: true },
  schema: DaemonSet,
  defaults: defaultDaemonSet,
  generation: true,
  strategy: {
    // The internal templateGeneration starts at 1 and is surfaced through an annotation in apps/v1.
    prepareForCreate(ds) {
      if (templateGeneration(ds) < 1) setTemplateGeneration(ds, 1);
    },
    prepareForUpdate(ds, old) {
      const oldGen = templateGeneration(old);
      if (!semanticEqual(ds.spec?.template, old.spec?.template)) setTemplateGeneration(ds, oldGen + 1);
      else if (templateGeneration(ds) !== oldGen && oldGen > 0) setTemplateGeneration(ds, oldGen);
    },
    validate: validateDaemonSetSpec,
    validateUpdate: (ds, old) => [...validateDaemonSetSpec(ds), ...selectorImmutable(ds.spec?.selector, old.spec?.selector)],
  },
  columns: [
    nameColumn(),
    col<DaemonSetObject>('Desired', (d) => d.status?.desiredNumberScheduled ?? 0, { type: 'integer', description: 'Nodes that should run the daemon pod.' }),
    col<DaemonSetObject>('Current', (d) => d.status?.currentNumberScheduled ?? 0, { type: 'integer', description: 'Nodes running at least one daemon pod.' }),
    col<DaemonSetObject>('Ready', (d) => d.status?.numberReady ?? 0, { type: 'integer', description: 'Nodes whose daemon pod is Ready.' }),
    col<DaemonSetObject>('Up-to-date', (d) => d.status?.updatedNumberScheduled ?? 0, { type: 'integer', description: 'Nodes running the updated daemon pod.' }),
    col<DaemonSetObject>('Available', (d) => d.status?.numberAvailable ?? 0, { type: 'integer', description: 'Nodes whose daemon pod is available.' }),
    col<DaemonSetObject>('Node Selector', (d) => formatLabels(d.spec?.template?.spec?.nodeSelector), {
      description: 'Node labels the daemon pods are restricted to.',
    }),
    ageColumn(),
    ...templateColumns<DaemonSetObject>((d) => d.spec?.template),
    selectorColumn<DaemonSetObject>((d) => d.spec?.selector, 'Label query over the daemon pods.'),
  ],
});
