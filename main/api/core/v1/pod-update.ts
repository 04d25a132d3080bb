/**
 * Pod update rules (upstream ValidatePodUpdate): a running pod's spec is fixed except for container images,
 * activeDeadlineSeconds (only shortened), added tolerations, removed scheduling gates and a negative
 * terminationGracePeriodSeconds raised to 1.
 */
import { FieldPath, forbidden, invalid, required, type FieldError } from '../../meta/field-errors.js';
import { cloneJson } from '../../meta/object.js';
import type { Container, Pod, PodSpec, Toleration } from './pod-types.js';
import { validateTolerations } from './scheduling-validation.js';
import { INT32_MAX, inclusiveRange } from './validation-util.js';

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Stable JSON (sorted keys) so equal specs compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  const strip = (t: Toleration) => canonical({ ...t, tolerationSeconds: undefined });
  return strip(a) === strip(b);
}

/** Old tolerations must all still be there (tolerationSeconds of NoExecute ones may change). */
function tolerationErrors(oldT: Toleration[], newT: Toleration[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const o of oldT) {
    const n = newT.find((t) => sameToleration(t, o));
    if (!n) {
      errs.push(forbidden(p, 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
    if (o.tolerationSeconds !== undefined && o.effect !== 'NoExecute' && n.tolerationSeconds !== o.tolerationSeconds)
      errs.push(forbidden(p, 'existing toleration can not be modified except its tolerationSeconds'));
  }
  return errs;
}

/** A short, readable account of what changed, appended to the Forbidden message as upstream appends a diff. */
function describeDiff(oldSpec: PodSpec, newSpec: PodSpec): string {
  const keys = new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)]);
  const lines: string[] = [];
  for (const k of [...keys].sort()) {
    const a = canonical(oldSpec[k]);
    const b = canonical(newSpec[k]);
    if (a === b) continue;
    if (oldSpec[k] !== undefined) lines.push(`- \t${k}: ${a}`);
    if (newSpec[k] !== undefined) lines.push(`+ \t${k}: ${b}`);
  }
  return `\n  core.PodSpec{\n${lines.map((l) => `  ${l}`).join('\n')}\n  }\n`;
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const p = FieldPath.root('spec');
  const errs: FieldError[] = [];
  const spec = pod.spec ?? { containers: [] };
  const oldSpec = old.spec ?? { containers: [] };

  for (const [field, list] of [['containers', spec.containers], ['initContainers', spec.initContainers]] as const)
    (list ?? []).forEach((c: Container, i: number) => {
      if (!c.image) errs.push(required(p.child(field).index(i).child('image')));
    });

  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined) {
    if (ads < 0 || ads > INT32_MAX) return [...errs, invalid(p.child('activeDeadlineSeconds'), ads, inclusiveRange(0, INT32_MAX))];
    if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds < ads)
      return [...errs, invalid(p.child('activeDeadlineSeconds'), ads, 'must be less than or equal to previous value')];
  } else if (oldSpec.activeDeadlineSeconds !== undefined) {
    errs.push(invalid(p.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }

  // Build the spec as it would be if only the mutable fields had changed, then compare with the old one.
  const munged = cloneJson(spec);
  const imagesFrom = (list: Container[] | undefined, oldList: Container[] | undefined) =>
    (list ?? []).forEach((c, i) => {
      const o = oldList?.[i];
      if (o) c.image = o.image;
    });
  imagesFrom(munged.containers, oldSpec.containers);
  imagesFrom(munged.initContainers, oldSpec.initContainers);
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  const oldTol = oldSpec.tolerations ?? [];
  errs.push(...tolerationErrors(oldTol, spec.tolerations ?? [], p.child('tolerations')));
  errs.push(...validateTolerations(spec.tolerations, p.child('tolerations')));
  munged.tolerations = oldSpec.tolerations;
  const newGates = spec.schedulingGates ?? [];
  const oldGates = oldSpec.schedulingGates ?? [];
  const added = newGates.find((g) => !oldGates.some((o) => o.name === g.name));
  if (added) errs.push(forbidden(p.child('schedulingGates'), `only deletion is allowed, but found new scheduling gate '${added.name}'`));
  munged.schedulingGates = oldSpec.schedulingGates;
  if ((oldSpec.terminationGracePeriodSeconds ?? 0) < 0 && spec.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;

  if (canonical(munged) !== canonical(oldSpec))
    errs.push(forbidden(p, POD_UPDATE_FORBIDDEN + describeDiff(oldSpec, munged)));
  return errs;
}
