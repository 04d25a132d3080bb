/**
 * Field errors, the unit of validation output, worded as apimachinery's field.Error so that kubectl prints
 * exactly what it prints against a real cluster:
 *   `spec.containers[0].image: Required value`
 *   `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of ...`
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices, e.g. `spec.containers[0].image`. */
  field: string;
  /** The offending value, when the message shows it. */
  badValue?: unknown;
  hasBadValue: boolean;
  detail: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Renders a bad value the way Go's %#v / %q does for the common cases. */
function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The part after `field: ` — used as the Status cause message. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  if (e.hasBadValue) s += `: ${showValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** The full line, `field: body`. */
export function errorLine(e: FieldError): string {
  return e.field ? `${e.field}: ${errorBody(e)}` : errorBody(e);
}

/** Builds field paths: `path('spec').child('containers').index(0).child('image').toString()`. */
export class FieldPath {
  private constructor(private readonly text: string) {}
  static root(name = ''): FieldPath {
    return new FieldPath(name);
  }
  child(name: string): FieldPath {
    return new FieldPath(this.text ? `${this.text}.${name}` : name);
  }
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}

const at = (p: FieldPath | string) => p.toString();

export const required = (p: FieldPath | string, detail = ''): FieldError => ({
  type: 'FieldValueRequired', field: at(p), hasBadValue: false, detail,
});
export const invalid = (p: FieldPath | string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid', field: at(p), badValue: value, hasBadValue: true, detail,
});
export const notSupported = (p: FieldPath | string, value: unknown, valid: string[]): FieldError => ({
  type: 'FieldValueNotSupported', field: at(p), badValue: value, hasBadValue: true,
  detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
});
export const duplicate = (p: FieldPath | string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate', field: at(p), badValue: value, hasBadValue: true, detail: '',
});
export const forbidden = (p: FieldPath | string, detail: string): FieldError => ({
  type: 'FieldValueForbidden', field: at(p), hasBadValue: false, detail,
});
export const notFound = (p: FieldPath | string, value: unknown): FieldError => ({
  type: 'FieldValueNotFound', field: at(p), badValue: value, hasBadValue: true, detail: '',
});
export const tooLong = (p: FieldPath | string, value: unknown, max: number): FieldError => ({
  type: 'FieldValueTooLong', field: at(p), badValue: value, hasBadValue: false,
  detail: `must have at most ${max} bytes`,
});
export const tooMany = (p: FieldPath | string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany', field: at(p), badValue: actual, hasBadValue: false,
  detail: `must have at most ${max} items`,
});
export const typeInvalid = (p: FieldPath | string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueTypeInvalid', field: at(p), badValue: value, hasBadValue: true, detail,
});

/** Upstream's "field is immutable" error. */
export const immutable = (p: FieldPath | string, value: unknown): FieldError =>
  invalid(p, value, 'field is immutable');
