/**
 * Field selectors (`metadata.name=web,status.phase!=Failed`): apimachinery's fields package.
 * (Contract written first; bodies are being implemented.)
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

/** Thrown for an unparseable selector; `message` is upstream's wording (→ 400 BadRequest). */
export class FieldSelectorParseError extends Error {}

export function parseFieldSelector(_s: string): FieldRequirement[] {
  throw new Error('parseFieldSelector: pending');
}
/** True when every requirement holds; `get(field)` returns the object's value for a field label. */
export function matchesFields(_reqs: FieldRequirement[], _get: (field: string) => string): boolean {
  throw new Error('matchesFields: pending');
}
