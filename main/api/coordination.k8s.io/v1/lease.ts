/** coordination.k8s.io/v1 Lease: a lock with a holder and an expiry (leader election, node heartbeats). */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, forbidden, invalid, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName } from '../../meta/name-validation.js';
import { MicroTime, objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, int32, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';

export const LeaseSpec = def('io.k8s.api.coordination.v1.LeaseSpec', 'Who holds a Lease and until when.', {
  holderIdentity: str('Identity of the current holder.'),
  leaseDurationSeconds: int32('How long candidates wait after the last renewal before taking over.'),
  acquireTime: ref(MicroTime, 'When the current holder acquired the lease.'),
  renewTime: ref(MicroTime, 'When the current holder last renewed the lease.'),
  leaseTransitions: int32('How many times the lease changed holders.'),
  strategy: str('Strategy for picking leaders in coordinated leader election (e.g. "OldestEmulationVersion").'),
  preferredHolder: str('Holder the coordinated election would like to hand the lease to.'),
});

export const LeaseSchema = def('io.k8s.api.coordination.v1.Lease', 'A lease, used for leader election and node heartbeats.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(LeaseSpec, 'The lease state.', { default: {} }),
}, { gvk: [{ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }] });

export interface Lease extends KObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
    strategy?: string;
    preferredHolder?: string;
  };
}

export function validateLease(l: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const s = l.spec ?? {};
  const p = FieldPath.root('spec');
  if (s.leaseDurationSeconds !== undefined && s.leaseDurationSeconds <= 0)
    errs.push(invalid(p.child('leaseDurationSeconds'), s.leaseDurationSeconds, 'must be greater than 0'));
  if (s.leaseTransitions !== undefined && s.leaseTransitions < 0)
    errs.push(invalid(p.child('leaseTransitions'), s.leaseTransitions, 'must be greater than or equal to 0'));
  if (s.strategy) for (const m of isQualifiedName(s.strategy)) errs.push(invalid(p.child('strategy'), s.strategy, m));
  if (s.preferredHolder && !s.strategy)
    errs.push(forbidden(p.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  return errs;
}

export const leases = defineResource<Lease>({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  schema: LeaseSchema,
  strategy: { validate: validateLease, validateUpdate: (l) => validateLease(l) },
  columns: [
    nameColumn(),
    col<Lease>('Holder', (o) => o.spec?.holderIdentity ?? '', { description: 'The holder of the lease.' }),
    ageColumn(),
  ],
});
