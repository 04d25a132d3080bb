/**
 * Label selectors: the query-string grammar (`app=web,tier notin (db),!canary`), the LabelSelector object
 * (matchLabels/matchExpressions), matching and formatting — apimachinery's labels package.
 * (Contract written first; bodies are being implemented.)
 */
import type { FieldError, FieldPath } from './field-errors.js';

export type Operator =
  | 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** An AND of requirements; [] selects everything. `nothing` selects nothing (a nil selector). */
export type Selector = Requirement[] | 'nothing';

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Thrown for an unparseable selector; `message` is upstream's wording (→ 400 BadRequest). */
export class SelectorParseError extends Error {}

export function parseLabelSelector(_s: string): Selector {
  throw new Error('parseLabelSelector: pending');
}
/** metav1.LabelSelectorAsSelector: undefined → 'nothing', {} → everything. Throws SelectorParseError. */
export function selectorFromObject(_ls: LabelSelectorObject | undefined | null): Selector {
  throw new Error('selectorFromObject: pending');
}
export function matchesLabels(_sel: Selector, _labels: Record<string, string> | undefined): boolean {
  throw new Error('matchesLabels: pending');
}
/** metav1.FormatLabelSelector: "app=web,tier in (a,b)"; "<none>" for an empty selector; "<error>" if invalid. */
export function formatLabelSelector(_ls: LabelSelectorObject | undefined | null): string {
  throw new Error('formatLabelSelector: pending');
}
/** Selector.String(): canonical text of a parsed selector (sorted by key). */
export function selectorToString(_sel: Selector): string {
  throw new Error('selectorToString: pending');
}
/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(_ls: LabelSelectorObject | undefined, _path: FieldPath): FieldError[] {
  throw new Error('validateLabelSelector: pending');
}
