/**
 * meta/v1 DeleteOptions, the body of DELETE requests and the `deleteOptions` of an Eviction. Also served as a
 * named OpenAPI component so `kubectl explain eviction.deleteOptions` resolves.
 */
import { arr, bool, def, int64, ref, str } from '../schema/builder.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const Preconditions = def(`${META}.Preconditions`, 'Conditions the object must still meet for the operation to go ahead.', {
  uid: str('The object must have this UID.'),
  resourceVersion: str('The object must be at this resourceVersion.'),
});

export const DeleteOptions = def(`${META}.DeleteOptions`, 'Options that shape how an object is deleted.', {
  kind: str('Always "DeleteOptions" when set.'),
  apiVersion: str('API version of this representation, when set.'),
  gracePeriodSeconds: int64(
    'Seconds to wait before the object is removed; 0 deletes at once, unset uses the kind\'s default.',
  ),
  preconditions: ref(Preconditions, 'Must hold at deletion time, or the request fails with a Conflict.'),
  orphanDependents: bool('Deprecated: prefer propagationPolicy. True orphans dependents instead of deleting them.'),
  propagationPolicy: str('How dependents are garbage-collected: "Orphan", "Background" or "Foreground".'),
  dryRun: arr(str('', { default: '' }), 'When "All", every stage runs except persisting the change.', {
    listType: 'atomic',
  }),
  ignoreStoreReadErrorWithClusterBreakingPotential: bool(
    'Removes an object whose stored data cannot be read or decoded; dangerous, needs a dedicated permission.',
  ),
});

export interface DeleteOptionsObject {
  kind?: string;
  apiVersion?: string;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground' | string;
  dryRun?: string[];
  ignoreStoreReadErrorWithClusterBreakingPotential?: boolean;
}
