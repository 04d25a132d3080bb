/** Small validators shared by the core/v1 pod-shaped kinds, worded as upstream's validation helpers. */
import { FieldPath, invalid, type FieldError } from '../../meta/field-errors.js';
import { QUANTITY_REGEX_ERROR, canonicalQuantity, compareQuantities, parseQuantity, type Quantity } from '../../meta/quantity.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../../meta/name-validation.js';

export const INT32_MAX = 2147483647;
export const inclusiveRange = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

export function dnsLabel(v: string, p: FieldPath): FieldError[] {
  return isDNS1123Label(v).map((m) => invalid(p, v, m));
}
export function dnsSubdomain(v: string, p: FieldPath): FieldError[] {
  return isDNS1123Subdomain(v).map((m) => invalid(p, v, m));
}

export function nonNegative(v: number | undefined, p: FieldPath): FieldError[] {
  return v !== undefined && v < 0 ? [invalid(p, v, 'must be greater than or equal to 0')] : [];
}

/** A port given as a number or as a named container port (probes, Service targetPort). */
export function portNumOrName(port: unknown, p: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(p, port, m));
  if (typeof port === 'string') {
    if (/^[0-9]+$/.test(port)) return isValidPortNum(Number(port)).map((m) => invalid(p, port, m));
    return isValidPortName(port).map((m) => invalid(p, port, m));
  }
  return [invalid(p, port, 'must contain an int or string')];
}

/** Parses a quantity from a request body (string or JSON number); undefined when malformed. */
export function toQuantity(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  return parseQuantity(v);
}

/** Quantity value checks of a resource list entry: well formed and non-negative. */
export function quantityErrors(v: unknown, p: FieldPath): FieldError[] {
  const q = toQuantity(v);
  if (!q) return [invalid(p, v, QUANTITY_REGEX_ERROR)];
  if (q.mantissa < 0n) return [invalid(p, String(v), 'must be greater than or equal to 0')];
  return [];
}

export function cmpQuantity(a: unknown, b: unknown): number | undefined {
  const qa = toQuantity(a);
  const qb = toQuantity(b);
  return qa && qb ? compareQuantities(qa, qb) : undefined;
}

export const root = (name: string) => FieldPath.root(name);

/** The canonical text of a quantity as upstream's Quantity.String() prints it (the input when malformed). */
export function quantityString(v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number') return String(v);
  return canonicalQuantity(v) ?? String(v);
}
