/**
 * Field selectors (`metadata.name=web,status.phase!=Failed`): apimachinery's fields package.
 *
 * Terms are separated by unescaped commas and sorted as text; each term splits at the first operator found
 * (`!=`, then `==`, then `=` at each position), so the field name itself cannot contain one. In values a
 * backslash escapes `\`, `,` and `=`; any other escape, a dangling backslash, or a bare `,`/`=` in a value is
 * rejected with upstream's wording (these messages become 400 BadRequest bodies).
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

/** Thrown for an unparseable selector; `message` is upstream's wording (→ 400 BadRequest). */
export class FieldSelectorParseError extends Error {}

const OPERATORS = ['!=', '==', '='] as const;

/** Splits at commas not preceded by a backslash escape; escapes stay in the terms. */
function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

function splitTerm(term: string): [string, FieldRequirement['operator'], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

/** fields.EscapeValue: backslash-escapes `\`, `,` and `=`. */
export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.UnescapeValue; throws FieldSelectorParseError with upstream's message. */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=')
        throw new FieldSelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, i.e. as its code point number.
      throw new FieldSelectorParseError(
        `invalid field selector: unescapedRune character in value: ${c.codePointAt(0)}`,
      );
    } else {
      out += c;
    }
  }
  if (escaped) throw new FieldSelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** fields.ParseSelector: requirements in sorted term order; "" → [] (everything). */
export function parseFieldSelector(s: string): FieldRequirement[] {
  const parts = splitTerms(s).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw new FieldSelectorParseError(`invalid selector: '${s}'; can't understand '${part}'`);
    const [field, operator, raw] = split;
    reqs.push({ field, operator, value: unescapeFieldValue(raw) });
  }
  return reqs;
}

/** True when every requirement holds; `get(field)` returns the object's value for a field label. */
export function matchesFields(reqs: FieldRequirement[], get: (field: string) => string): boolean {
  return reqs.every((r) => (r.operator === '!=' ? get(r.field) !== r.value : get(r.field) === r.value));
}

/** Selector.String(): `field=value` / `field!=value` joined by commas, values escaped (`==` prints as `=`). */
export function fieldSelectorToString(reqs: FieldRequirement[]): string {
  return reqs.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
}

/** RequiresExactMatch: the value an `=`/`==` requirement on `field` demands, if any. */
export function fieldRequiresExactMatch(reqs: FieldRequirement[], field: string): string | undefined {
  return reqs.find((r) => r.field === field && r.operator !== '!=')?.value;
}

/**
 * The error the API server returns (400) for a field label the kind does not support. Kinds that register
 * their own field-label conversion (pods, events, nodes, ...) say `field label not supported: <label>`; the
 * others fall back to the metadata-only default, which words it differently.
 */
export function unsupportedFieldLabelMessage(label: string, kindHasCustomLabels: boolean): string {
  return kindHasCustomLabels
    ? `field label not supported: ${label}`
    : `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}
