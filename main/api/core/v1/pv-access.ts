/** Access mode helpers shared by PersistentVolume and PersistentVolumeClaim (validation and printing). */
import { FieldPath, forbidden, notSupported, type FieldError } from '../../meta/field-errors.js';
import { canonicalQuantity } from '../../meta/quantity.js';

export const ACCESS_MODE_VALUES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODE_VALUES = ['Block', 'Filesystem'];

/** Upstream GetAccessModesAsString: "RWO,ROX,RWX,RWOP" in that fixed order, duplicates removed. */
export function accessModesString(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

export function validateAccessModes(modes: string[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const list = modes ?? [];
  for (const m of list) if (!ACCESS_MODE_VALUES.includes(m)) errs.push(notSupported(p, m, ACCESS_MODE_VALUES));
  if (list.includes('ReadWriteOncePod') && list.length > 1)
    errs.push(forbidden(p, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** Quantity.String() of a stored quantity, '' when absent. */
export function quantityText(v: string | number | undefined): string {
  if (v === undefined) return '';
  return canonicalQuantity(v) ?? String(v);
}

/** The class of a PV or PVC: the legacy beta annotation wins over spec.storageClassName. */
export function storageClassOf(annotations: Record<string, string> | undefined, className: string | undefined): string {
  return annotations?.['volume.beta.kubernetes.io/storage-class'] ?? className ?? '';
}
