/**
 * Helpers shared by the workload kinds (apps, batch, policy): int-or-percent rules, selector/template
 * matching, the wide Containers/Images/Selector columns, and Go-syntax renderings of bad values.
 *
 * Why Go syntax: kube-apiserver prints a struct or map bad value with `%#v`, so kubectl users see e.g.
 * `spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: ...`. FieldError's own
 * renderer JSON-encodes values, so those errors are built with `goInvalid`, which carries the Go rendering.
 */
import { FieldPath, invalid, type FieldError } from '../../meta/field-errors.js';
import {
  formatLabelSelector,
  matchesLabels,
  selectorFromObject,
  type LabelSelectorObject,
  type Selector,
} from '../../meta/label-selector.js';
import { isDNS1123Label } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import type { Column } from '../../resource.js';
import { col } from '../../table/columns.js';
import { containerImages, containerNames } from '../../core/v1/pod-columns-util.js';
import type { PodTemplateSpec } from '../../core/v1/pod-types.js';

export type IntOrString = number | string;

// ---------------------------------------------------------------------------------------------- Go values

const goStr = (s: string): string => JSON.stringify(s);

/** `map[string]string{"a":"1", "b":"2"}` (keys sorted, as fmt prints maps), or the nil form. */
export function goMap(m: Record<string, string> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goStr(k)}:${goStr(m[k]!)}`).join(', ')}}`;
}

/** `intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}`. */
export function goIntOrString(v: IntOrString | undefined): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goStr(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}

function goStrings(values: string[] | undefined): string {
  if (!values) return '[]string(nil)';
  return `[]string{${values.map(goStr).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:..., MatchExpressions:...}`; "null" for a missing selector. */
export function goLabelSelector(sel: LabelSelectorObject | undefined | null): string {
  if (!sel) return 'null';
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map(
          (e) =>
            `v1.LabelSelectorRequirement{Key:${goStr(e.key ?? '')}, Operator:${goStr(e.operator ?? '')}, Values:${goStrings(e.values)}}`,
        )
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** An "Invalid value" error whose bad value is already rendered (Go syntax), e.g. a map or struct. */
export function goInvalid(path: FieldPath | string, rendered: string, detail: string): FieldError {
  return {
    type: 'FieldValueInvalid',
    field: path.toString(),
    badValue: rendered,
    hasBadValue: false,
    detail: detail ? `${rendered}: ${detail}` : rendered,
  };
}

// ------------------------------------------------------------------------------------------ number rules

/** ValidateNonnegativeField; nothing when the value is absent. */
export function nonNegative(value: number | undefined | null, path: FieldPath | string): FieldError[] {
  if (value === undefined || value === null || value >= 0) return [];
  return [invalid(path, value, 'must be greater than or equal to 0')];
}

const PERCENT_RE = /^[0-9]+%$/;
const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%', regex used for validation is '[0-9]+%')";

/** ValidatePositiveIntOrPercent: a non-negative integer or an "N%" string. */
export function validatePositiveIntOrPercent(v: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return PERCENT_RE.test(v) ? [] : [goInvalid(path, goIntOrString(v), PERCENT_MSG)];
  return nonNegative(v, path);
}

function percentValue(v: IntOrString | undefined): number | undefined {
  if (typeof v !== 'string' || !PERCENT_RE.test(v)) return undefined;
  return Number.parseInt(v.slice(0, -1), 10);
}

/** getIntOrPercentValue: the percentage number, the integer, or 0 for a malformed string. */
export function intOrPercentValue(v: IntOrString | undefined): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number.parseInt(v, 10);
  return 0;
}

/** IsNotMoreThan100Percent. */
export function isNotMoreThan100Percent(v: IntOrString | undefined, path: FieldPath): FieldError[] {
  const p = percentValue(v);
  if (p === undefined || p <= 100) return [];
  return [goInvalid(path, goIntOrString(v), 'must not be greater than 100%')];
}

// ------------------------------------------------------------------------------------ selector matching

/** LabelSelectorAsSelector, or undefined when the selector cannot be converted (invalid operator, ...). */
export function toSelector(sel: LabelSelectorObject | undefined | null): Selector | undefined {
  try {
    return selectorFromObject(sel);
  } catch (e) {
    if (e instanceof Error && /pending/.test(e.message)) throw e;
    return undefined;
  }
}

/** True when a parsed selector selects everything (labels.Selector.Empty()). A nil selector is not empty. */
export const selectorIsEmpty = (s: Selector): boolean => Array.isArray(s) && s.length === 0;

/**
 * The "`selector` does not match template `labels`" rule as the replica-set-like kinds apply it: a
 * non-empty selector (including a missing one, which selects nothing) must match the template labels.
 */
export function templateLabelsMismatch(
  sel: Selector,
  template: PodTemplateSpec | undefined,
  templatePath: FieldPath,
): FieldError[] {
  const labels = template?.metadata?.labels;
  if (selectorIsEmpty(sel) || matchesLabels(sel, labels ?? {})) return [];
  return [goInvalid(templatePath.child('metadata').child('labels'), goMap(labels), '`selector` does not match template `labels`')];
}

/** True when a LabelSelector object has neither matchLabels nor matchExpressions entries. */
export function labelSelectorHasNoTerms(sel: LabelSelectorObject): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

// --------------------------------------------------------------------------------------------- warnings

/** The create-time warning upstream gives for workloads whose names are not DNS labels. */
export function dnsLabelNameWarnings(name: string | undefined): string[] {
  const msgs = isDNS1123Label(name ?? '');
  if (!name || msgs.length === 0) return [];
  return [
    `metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
  ];
}

// ---------------------------------------------------------------------------------------------- columns

/** The wide Containers and Images columns of a kind with a pod template. */
export function templateColumns<T extends KObject>(templateOf: (o: T) => PodTemplateSpec | undefined): Column<T>[] {
  return [
    col<T>('Containers', (o) => containerNames(templateOf(o)?.spec), {
      priority: 1,
      description: 'Names of each container in the template.',
    }),
    col<T>('Images', (o) => containerImages(templateOf(o)?.spec), {
      priority: 1,
      description: 'Images referenced by each container in the template.',
    }),
  ];
}

/** The wide Selector column (metav1.FormatLabelSelector). */
export function selectorColumn<T extends KObject>(
  selectorOf: (o: T) => LabelSelectorObject | undefined,
  description: string,
): Column<T> {
  return col<T>('Selector', (o) => formatLabelSelector(selectorOf(o)), { priority: 1, description });
}

/** `spec` of an object, typed loosely for cells and rules that only read a few fields. */
export function specOf<S>(o: { spec?: S }): Partial<S> {
  return o.spec ?? {};
}

/** A "Unsupported value" error whose bad value is already rendered in Go syntax (a struct). */
export function goNotSupported(path: FieldPath | string, rendered: string, valid: string[]): FieldError {
  const supported = `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`;
  return {
    type: 'FieldValueNotSupported',
    field: path.toString(),
    badValue: rendered,
    hasBadValue: false,
    detail: `${rendered}: ${supported}`,
  };
}

function isEmptyish(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/**
 * apimachinery's Semantic.DeepEqual over JSON values: deep equality where a missing (nil) map or list equals
 * an empty one. (Missing vs. `{}` is treated as equal too, which matches the non-pointer structs that make up
 * most specs.)
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => semanticEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) if (!semanticEqual(ao[k], bo[k])) return false;
  return true;
}
