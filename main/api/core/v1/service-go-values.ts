/**
 * A few upstream validation errors print their bad value with Go's %#v (e.g. `[]string{"10.0.0.1"}`),
 * which a JSON rendering cannot reproduce. These helpers build such errors with the value already
 * rendered, so `errorLine()` prints exactly what kube-apiserver prints.
 */
import type { FieldError, FieldErrorType } from '../../meta/field-errors.js';

/** Error whose value is pre-rendered Go text; detail (if any) follows it after ": ". */
export function goValued(type: FieldErrorType, field: string, goValue: string, detail: string): FieldError {
  return { type, field, hasBadValue: false, badValue: goValue, detail: detail ? `${goValue}: ${detail}` : goValue };
}

/** `[]string{"a", "b"}` (Go's %#v of a string slice); `typeName` e.g. "core.ResourceQuotaScope". */
export function goStringSlice(values: readonly string[] | undefined, typeName = 'string'): string {
  if (values === undefined) return `[]${typeName}(nil)`;
  return `[]${typeName}{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}
