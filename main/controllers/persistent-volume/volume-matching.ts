/**
 * Which PersistentVolume a claim binds to (upstream pkg/controller/volume/persistentvolume/util FindMatchingVolume):
 * a volume pre-bound to the claim (spec.claimRef naming it) wins if it is large enough and of the claim's volume
 * mode; otherwise the smallest Available, unclaimed volume of the claim's class whose access modes include the
 * claim's, whose volume mode equals the claim's, and whose labels match the claim's selector.
 */
import type { PersistentVolume } from '../../api/core/v1/persistent-volume.js';
import type { PersistentVolumeClaimT } from '../../api/core/v1/persistent-volume-claim.js';
import { storageClassOf } from '../../api/core/v1/pv-access.js';
import { matchesLabels, selectorFromObject } from '../../api/meta/label-selector.js';
import { compareQuantities, parseQuantity, type Quantity } from '../../api/meta/quantity.js';

export type Claim = PersistentVolumeClaimT;
export type Volume = PersistentVolume & { spec: NonNullable<PersistentVolume['spec']> & { claimRef?: ClaimRef } };

export interface ClaimRef {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export const claimClass = (c: Claim): string => storageClassOf(c.metadata.annotations, c.spec?.storageClassName);
export const volumeClass = (v: Volume): string => storageClassOf(v.metadata.annotations, v.spec.storageClassName);

const quantity = (v: string | number | undefined): Quantity | undefined => (v === undefined ? undefined : parseQuantity(v));
export const requestedStorage = (c: Claim): Quantity | undefined => quantity(c.spec?.resources?.requests?.['storage']);
export const volumeStorage = (v: Volume): Quantity | undefined => quantity(v.spec.capacity?.['storage']);

/** The claim referenced by spec.claimRef is this claim (by namespace/name, and uid when the reference has one). */
export function isVolumeBoundToClaim(v: Volume, c: Claim): boolean {
  const ref = v.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== c.metadata.name || ref.namespace !== c.metadata.namespace) return false;
  return !ref.uid || ref.uid === c.metadata.uid;
}

const volumeModeOf = (mode: string | undefined) => mode || 'Filesystem';
export const volumeModeMismatch = (v: Volume, c: Claim): boolean => volumeModeOf(v.spec.volumeMode) !== volumeModeOf(c.spec?.volumeMode);

export const accessModesContained = (volumeModes: string[] | undefined, claimModes: string[] | undefined): boolean =>
  (claimModes ?? []).every((m) => (volumeModes ?? []).includes(m));

/** Why `v` cannot serve `c` when the claim asks for it by name (upstream checkVolumeSatisfyClaim), or undefined. */
export function volumeMismatch(v: Volume, c: Claim): string | undefined {
  const want = requestedStorage(c);
  const have = volumeStorage(v);
  if (want && (!have || compareQuantities(have, want) < 0)) return 'requested PV is too small';
  if (volumeClass(v) !== claimClass(c)) return 'storageClassName does not match';
  if (volumeModeMismatch(v, c)) return 'incompatible volumeMode';
  if (!accessModesContained(v.spec.accessModes, c.spec?.accessModes)) return 'incompatible accessMode';
  return undefined;
}

/** The volume `c` should bind to, or undefined. `delayBinding`: the class waits for a consumer (no fresh match). */
export function findMatchingVolume(c: Claim, volumes: readonly Volume[], delayBinding = false): Volume | undefined {
  const want = requestedStorage(c);
  const selector = c.spec?.selector ? selectorFromObject(c.spec.selector) : undefined;
  const wantedClass = claimClass(c);
  let best: { v: Volume; size: Quantity } | undefined;
  for (const v of volumes) {
    const size = volumeStorage(v);
    if (!size || (want && compareQuantities(size, want) < 0)) continue;
    if (volumeModeMismatch(v, c) || v.metadata.deletionTimestamp) continue;
    if (!accessModesContained(v.spec.accessModes, c.spec?.accessModes)) continue;
    if (isVolumeBoundToClaim(v, c)) return v;
    if (delayBinding) continue;
    if (v.spec.claimRef) continue;
    if (selector && !matchesLabels(selector, v.metadata.labels)) continue;
    if (volumeClass(v) !== wantedClass) continue;
    if (v.status?.phase && v.status.phase !== 'Available' && v.status.phase !== 'Pending') continue;
    if (!best || compareQuantities(best.size, size) > 0) best = { v, size };
  }
  return best?.v;
}
