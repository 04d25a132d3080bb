/**
 * Job spec validation (pkg/apis/batch/validation), shared by Job and by CronJob's jobTemplate.
 */
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabelSelector, type LabelSelectorObject } from '../../meta/label-selector.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-template.js';
import type { PodTemplateSpec } from '../../core/v1/pod-types.js';
import { goInvalid, goMap, nonNegative, toSelector } from '../../apps/v1/workload-helpers.js';
import { matchesLabels } from '../../meta/label-selector.js';

export interface PodFailurePolicyRuleObject {
  action?: string;
  onExitCodes?: { containerName?: string; operator?: string; values?: number[] };
  onPodConditions?: { type?: string; status?: string }[];
}

export interface JobSpecObject {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  podFailurePolicy?: { rules?: PodFailurePolicyRuleObject[] };
  successPolicy?: { rules?: { succeededIndexes?: string; succeededCount?: number }[] };
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  selector?: LabelSelectorObject;
  manualSelector?: boolean;
  template?: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: string;
  suspend?: boolean;
  podReplacementPolicy?: string;
  managedBy?: string;
}

const MAX_PARALLELISM_INDEXED = 100_000;
const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

function validatePodFailurePolicy(spec: JobSpecObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (spec.podFailurePolicy?.rules ?? []).forEach((rule, i) => {
    const rp = path.child('rules').index(i);
    const ap = rp.child('action');
    if (!rule.action) errs.push(required(ap, `valid values: [${ACTIONS.map((a) => JSON.stringify(a)).join(' ')}]`));
    else if (rule.action === 'FailIndex') {
      if (spec.backoffLimitPerIndex === undefined) errs.push(invalid(ap, rule.action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!ACTIONS.includes(rule.action)) errs.push(notSupported(ap, rule.action, ACTIONS));
    if (rule.onExitCodes) {
      const ep = rp.child('onExitCodes');
      const op = rule.onExitCodes.operator ?? '';
      if (op !== 'In' && op !== 'NotIn') errs.push(notSupported(ep.child('operator'), op, ['In', 'NotIn']));
      if (!rule.onExitCodes.values?.length) errs.push(required(ep.child('values'), 'at least one value is required'));
    }
    const conds = rule.onPodConditions ?? [];
    conds.forEach((c, j) => {
      if (!c.type) errs.push(required(rp.child('onPodConditions').index(j).child('type'), ''));
    });
    const omitted = (detail: string): FieldError => ({ type: 'FieldValueInvalid', field: rp.toString(), hasBadValue: false, detail });
    if (rule.onExitCodes && conds.length > 0) errs.push(omitted('specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!rule.onExitCodes && conds.length === 0) errs.push(omitted('specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

/** validateJobSpec: everything but the selector (CronJob job templates have none). */
export function validateJobSpecBody(spec: JobSpecObject, path: FieldPath): FieldError[] {
  const errs = [
    ...nonNegative(spec.parallelism, path.child('parallelism')),
    ...nonNegative(spec.completions, path.child('completions')),
    ...nonNegative(spec.activeDeadlineSeconds, path.child('activeDeadlineSeconds')),
    ...nonNegative(spec.backoffLimit, path.child('backoffLimit')),
    ...nonNegative(spec.ttlSecondsAfterFinished, path.child('ttlSecondsAfterFinished')),
  ];
  const indexed = spec.completionMode === 'Indexed';
  if (spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null) {
    errs.push(...nonNegative(spec.backoffLimitPerIndex, path.child('backoffLimitPerIndex')));
    if (!indexed) errs.push(forbidden(path.child('backoffLimitPerIndex'), 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes !== null) {
    errs.push(...nonNegative(spec.maxFailedIndexes, path.child('maxFailedIndexes')));
    if (spec.backoffLimitPerIndex === undefined || spec.backoffLimitPerIndex === null)
      errs.push(required(path.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
    if (spec.completions !== undefined && spec.maxFailedIndexes > spec.completions)
      errs.push(invalid(path.child('maxFailedIndexes'), spec.maxFailedIndexes, 'must be less than or equal to completions'));
  }
  if (spec.completionMode !== undefined && spec.completionMode !== null) {
    if (spec.completionMode !== 'NonIndexed' && spec.completionMode !== 'Indexed')
      errs.push(notSupported(path.child('completionMode'), spec.completionMode, ['NonIndexed', 'Indexed']));
    if (indexed) {
      if (spec.completions === undefined || spec.completions === null)
        errs.push(required(path.child('completions'), 'when completion mode is Indexed'));
      if ((spec.parallelism ?? 0) > MAX_PARALLELISM_INDEXED)
        errs.push(invalid(path.child('parallelism'), spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
    }
  }
  if (spec.podFailurePolicy) errs.push(...validatePodFailurePolicy(spec, path.child('podFailurePolicy')));
  if (spec.successPolicy && !indexed)
    errs.push(invalid(path.child('successPolicy'), 'NonIndexed', 'requires indexed completion mode'));
  if (spec.podReplacementPolicy !== undefined && spec.podReplacementPolicy !== null) {
    const rp = path.child('podReplacementPolicy');
    if (spec.podFailurePolicy) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(notSupported(rp, spec.podReplacementPolicy, ['Failed']));
    } else if (spec.podReplacementPolicy !== 'TerminatingOrFailed' && spec.podReplacementPolicy !== 'Failed') {
      errs.push(notSupported(rp, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, path.child('template')));
  const rpPath = path.child('template').child('spec').child('restartPolicy');
  const policy = spec.template?.spec?.restartPolicy ?? '';
  if (policy === 'Always' || policy === '') errs.push(required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (policy !== 'OnFailure' && policy !== 'Never') errs.push(notSupported(rpPath, policy, ['OnFailure', 'Never']));
  else if (spec.podFailurePolicy && policy !== 'Never') errs.push(invalid(rpPath, policy, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** ValidateJobSpec: the body rules plus a required, valid selector that matches the template labels. */
export function validateJobSpec(spec: JobSpecObject, path: FieldPath): FieldError[] {
  const errs = validateJobSpecBody(spec, path);
  if (!spec.selector) errs.push(required(path.child('selector'), ''));
  else errs.push(...validateLabelSelector(spec.selector, path.child('selector')));
  const sel = toSelector(spec.selector);
  const labels = spec.template?.metadata?.labels;
  if (sel !== undefined && !matchesLabels(sel, labels ?? {}))
    errs.push(goInvalid(path.child('template').child('metadata').child('labels'), goMap(labels), '`selector` does not match template `labels`'));
  return errs;
}
