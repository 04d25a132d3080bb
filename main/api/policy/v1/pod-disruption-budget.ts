/**
 * policy/v1 PodDisruptionBudget: a floor on how many selected pods voluntary disruptions may take down.
 */
import { FieldPath, notSupported, type FieldError } from '../../meta/field-errors.js';
import { validateLabelSelector, type LabelSelectorObject } from '../../meta/label-selector.js';
import type { KObject } from '../../meta/object.js';
import { Condition, IntOrString, LabelSelector, Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, int32, int64, map, ref } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import {
  goInvalid,
  isNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  type IntOrString as IntOrStringT,
} from '../../apps/v1/workload-helpers.js';

export const PodDisruptionBudgetSpec = def('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'Desired protection of a PodDisruptionBudget.', {
  minAvailable: ref(IntOrString, 'Pods (number or percentage) that must stay available after an eviction.'),
  selector: ref(LabelSelector, 'Pods this budget covers; an empty selector covers every pod of the namespace.', {
    'x-kubernetes-patch-strategy': 'replace',
  }),
  maxUnavailable: ref(IntOrString, 'Pods (number or percentage) that may be unavailable after an eviction; excludes minAvailable.'),
  unhealthyPodEvictionPolicy: enumStr('When pods that are running but not Ready may be evicted.', {
    AlwaysAllow: 'always allows evicting such pods.',
    IfHealthyBudget: 'allows it only while the application is not disrupted (the default behaviour).',
  }),
});

export const PodDisruptionBudgetStatus = def(
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus',
  'Observed state of a PodDisruptionBudget.',
  {
    observedGeneration: int64('Generation last acted on by the disruption controller.'),
    disruptedPods: map(ref(Time), 'Pods whose eviction was allowed but not yet observed, with the time of the decision.'),
    disruptionsAllowed: int32('Pod disruptions currently allowed.', { default: 0 }),
    currentHealthy: int32('Healthy pods now.', { default: 0 }),
    desiredHealthy: int32('Minimum healthy pods wanted.', { default: 0 }),
    expectedPods: int32('Pods counted by the budget.', { default: 0 }),
    conditions: arr(ref(Condition, undefined, { default: {} }), 'Latest observations, e.g. DisruptionAllowed.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] },
);

export const PodDisruptionBudget = def(
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'Limits how many pods of a set voluntary disruptions may take down at once.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(PodDisruptionBudgetSpec, 'Desired protection.', { default: {} }),
    status: ref(PodDisruptionBudgetStatus, 'Most recently observed status.', { default: {} }),
  },
  { gvk: [{ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' }] },
);

export interface PodDisruptionBudgetObject extends KObject {
  spec?: {
    minAvailable?: IntOrStringT;
    selector?: LabelSelectorObject;
    maxUnavailable?: IntOrStringT;
    unhealthyPodEvictionPolicy?: string;
  };
  status?: { disruptionsAllowed?: number; [k: string]: unknown };
}

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

const goPtr = (v: IntOrStringT | undefined) => (v === undefined ? '(*intstr.IntOrString)(nil)' : '(*intstr.IntOrString)(0xc000000000)');

/** ValidatePodDisruptionBudgetSpec. */
export function validatePodDisruptionBudget(pdb: PodDisruptionBudgetObject): FieldError[] {
  const spec = pdb.spec ?? {};
  const path = FieldPath.root('spec');
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    const rendered =
      `policy.PodDisruptionBudgetSpec{MinAvailable:${goPtr(spec.minAvailable)}, Selector:(*v1.LabelSelector)(${spec.selector ? '0xc000000000' : 'nil'}), ` +
      `MaxUnavailable:${goPtr(spec.maxUnavailable)}, UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(${spec.unhealthyPodEvictionPolicy === undefined ? 'nil' : '0xc000000000'})}`;
    errs.push(goInvalid(path, rendered, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const k of ['minAvailable', 'maxUnavailable'] as const) {
    if (spec[k] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(spec[k], path.child(k)));
    errs.push(...isNotMoreThan100Percent(spec[k], path.child(k)));
  }
  errs.push(...validateLabelSelector(spec.selector, path.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy))
    errs.push(notSupported(path.child('unhealthyPodEvictionPolicy'), policy, EVICTION_POLICIES));
  return errs;
}

/** IntOrString.String(): the number or the string as given; "N/A" when unset. */
const intOrStringCell = (v: IntOrStringT | undefined): string => (v === undefined ? 'N/A' : String(v));

export const poddisruptionbudgets = defineResource<PodDisruptionBudgetObject>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  namespaced: true,
  subresources: { status: true },
  schema: PodDisruptionBudget,
  generation: true,
  strategy: { validate: validatePodDisruptionBudget, validateUpdate: (p) => validatePodDisruptionBudget(p) },
  columns: [
    nameColumn(),
    col<PodDisruptionBudgetObject>('Min Available', (p) => intOrStringCell(p.spec?.minAvailable), {
      description: 'Pods that must stay available after an eviction.',
    }),
    col<PodDisruptionBudgetObject>('Max Unavailable', (p) => intOrStringCell(p.spec?.maxUnavailable), {
      description: 'Pods that may be unavailable after an eviction.',
    }),
    col<PodDisruptionBudgetObject>('Allowed Disruptions', (p) => p.status?.disruptionsAllowed ?? 0, {
      type: 'integer',
      description: 'Pod disruptions currently allowed.',
    }),
    ageColumn(),
  ],
});

