/**
 * resource.Quantity: parsing, canonical serialization and comparison, as apimachinery does it.
 * (Contract written first; bodies are being implemented.)
 */
export interface Quantity {
  /** Exact value: mantissa * 10^exponent10 (binary suffixes are expanded to decimal). */
  mantissa: bigint;
  exponent10: number;
  /** The suffix family the canonical string is written in. */
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

export const QUANTITY_REGEX_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Parses "100m", "1Gi", "1e3", "0.5", or a JSON number; undefined when invalid. */
export function parseQuantity(_s: string | number): Quantity | undefined {
  throw new Error('parseQuantity: pending');
}
/** Upstream's canonical string ("1000m" → "1", "0.5" → "500m", "1024Mi" → "1Gi"); undefined when invalid. */
export function canonicalQuantity(_s: string | number): string | undefined {
  throw new Error('canonicalQuantity: pending');
}
export function formatQuantity(_q: Quantity): string {
  throw new Error('formatQuantity: pending');
}
/** Value as a float (bytes, cores). */
export function quantityValue(_q: Quantity): number {
  throw new Error('quantityValue: pending');
}
/** Value in thousandths, rounded up (MilliValue): cpu "100m" → 100, "1" → 1000. */
export function quantityMilliValue(_q: Quantity): number {
  throw new Error('quantityMilliValue: pending');
}
export function compareQuantities(_a: Quantity, _b: Quantity): -1 | 0 | 1 {
  throw new Error('compareQuantities: pending');
}
export function addQuantities(_a: Quantity, _b: Quantity): Quantity {
  throw new Error('addQuantities: pending');
}
