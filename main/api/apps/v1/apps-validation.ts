/**
 * Validation rules shared by the apps/v1 kinds (pkg/apis/apps/validation): the workload selector, the pod
 * template of replica-set-like kinds, and selector immutability on update.
 */
import { FieldPath, forbidden, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabelSelector, type LabelSelectorObject, type Selector } from '../../meta/label-selector.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-template.js';
import type { PodTemplateSpec } from '../../core/v1/pod-types.js';
import {
  goInvalid,
  goLabelSelector,
  labelSelectorHasNoTerms,
  semanticEqual,
  templateLabelsMismatch,
  toSelector,
} from './workload-helpers.js';

/**
 * The selector rules of Deployment/ReplicaSet/StatefulSet: required, valid, not empty. Returns the errors
 * and the parsed selector ('nothing' for a missing one, undefined when it cannot be parsed).
 * `kindWord` is the word upstream puts in "empty selector is invalid for <kind>".
 */
export function validateWorkloadSelector(
  sel: LabelSelectorObject | undefined,
  path: FieldPath,
  kindWord: string,
): { errs: FieldError[]; parsed: Selector | undefined } {
  const errs: FieldError[] = [];
  if (!sel) {
    errs.push(required(path, ''));
  } else {
    errs.push(...validateLabelSelector(sel, path));
    if (labelSelectorHasNoTerms(sel)) errs.push(goInvalid(path, goLabelSelector(sel), `empty selector is invalid for ${kindWord}`));
  }
  return { errs, parsed: toSelector(sel) };
}

/**
 * ValidatePodTemplateSpecForReplicaSet: template labels must match the selector, the pod template must be
 * valid, restartPolicy must be Always and activeDeadlineSeconds is not allowed. `kind` names the kind in
 * the activeDeadlineSeconds message (upstream says "ReplicaSet" for Deployments too).
 */
export function validateReplicaSetTemplate(
  template: PodTemplateSpec | undefined,
  sel: Selector,
  path: FieldPath,
  kind = 'ReplicaSet',
): FieldError[] {
  if (!template) return [required(path, '')];
  const errs = templateLabelsMismatch(sel, template, path);
  errs.push(...validatePodTemplateSpec(template, path));
  errs.push(...alwaysRestartRules(template, path, kind));
  return errs;
}

/** restartPolicy must be Always; activeDeadlineSeconds is forbidden (ReplicaSet, DaemonSet, StatefulSet). */
export function alwaysRestartRules(template: PodTemplateSpec | undefined, path: FieldPath, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = template?.spec;
  const policy = spec?.restartPolicy ?? '';
  if (policy !== 'Always') errs.push(notSupported(path.child('spec').child('restartPolicy'), policy, ['Always']));
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null)
    errs.push(forbidden(path.child('spec').child('activeDeadlineSeconds'), `activeDeadlineSeconds in ${kind} is not Supported`));
  return errs;
}

/** apps/v1 forbids changing spec.selector after creation. */
export function selectorImmutable(
  sel: LabelSelectorObject | undefined,
  oldSel: LabelSelectorObject | undefined,
): FieldError[] {
  if (semanticEqual(sel, oldSel)) return [];
  return [goInvalid(FieldPath.root('spec').child('selector'), goLabelSelector(sel), 'field is immutable')];
}
