/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, or "N%" of `total`, rounded up or down. Anything else
 * is an error (the API validates PDBs, so this only guards against bad stored data).
 */
export type IntOrPercent = number | string;

export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${v}": invalid syntax`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export const isPercent = (v: IntOrPercent): boolean => typeof v === 'string' && v.endsWith('%');
