/**
 * Renders JSON values the way Go's fmt `%v` prints decoded `interface{}` values, because upstream error
 * messages embed them (e.g. `map: map[image:nginx] does not contain declared merge key: name`).
 * Maps print with sorted keys, slices space-separated, nil as `<nil>`.
 */

export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const parts = Object.keys(o)
      .sort()
      .map((k) => `${k}:${goValue(o[k])}`);
    return `map[${parts.join(' ')}]`;
  }
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** Go prints int64 plainly and float64 with %g-like shortest form (1e+06 for large exponents). */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mant, e] = n.toExponential().split('e');
    const sign = e!.startsWith('-') ? '-' : '+';
    const digits = e!.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  return String(n);
}

/** The Go dynamic type name of a decoded JSON value (reflect.TypeOf(v).String()). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** JSON kind names Go's encoding/json uses in "cannot unmarshal X into ..." errors. */
export function jsonKindName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

export { jsonEqual } from '../../api/meta/json-equal.js';
