/**
 * Scaling without rolling (sync / scale / isScalingEvent upstream): used when the Deployment is paused or only
 * its replicas changed. A single active ReplicaSet takes the whole count; a saturated new ReplicaSet leaves the
 * old ones at zero; otherwise, for RollingUpdate, the difference to replicas + maxSurge is shared among the
 * active ReplicaSets in proportion to their size (largest first; leftovers go to the first).
 */
import { desiredReplicasAnnotation, rollbackTo } from './annotations.js';
import { allReplicaSetsAndSyncRevision } from './new-replica-set.js';
import {
  bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, isRollingUpdate, isSaturated, maxSurge, proportion, specReplicaCount,
} from './replica-math.js';
import type { DeploymentSync } from './sync-context.js';
import { desiredReplicas, rsReplicas, type ReplicaSet } from './types.js';

/** isScalingEvent: some active ReplicaSet was sized for a different replica count than the Deployment's. */
export async function isScalingEvent(s: DeploymentSync): Promise<boolean> {
  const [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, false);
  for (const rs of filterActive([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== desiredReplicas(s.d)) return true;
  }
  return false;
}

/** sync: scale, drop surplus history when paused, update status. */
export async function syncScaling(s: DeploymentSync): Promise<void> {
  const [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, false);
  await scale(s, newRS, oldRSs);
  if (s.d.spec.paused && rollbackTo(s.d) === undefined) await s.cleanupDeployment(oldRSs);
  await s.syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
}

export async function scale(s: DeploymentSync, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const d = s.d;
  const desired = desiredReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (rsReplicas(activeOrLatest) === desired) return;
    await s.scaleReplicaSetAndRecordEvent(activeOrLatest, desired);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await s.scaleReplicaSetAndRecordEvent(old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;

  const allRSs = filterActive([...oldRSs, newRS]);
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - specReplicaCount(allRSs);
  let operation: 'up' | 'down' | '' = '';
  if (toAdd > 0) {
    allRSs.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    allRSs.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of allRSs) {
    if (toAdd !== 0) {
      const share = proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name ?? '', rsReplicas(rs) + share);
      added += share;
    } else sizes.set(rs.metadata.name ?? '', rsReplicas(rs));
  }
  for (let i = 0; i < allRSs.length; i++) {
    const rs = allRSs[i]!;
    const name = rs.metadata.name ?? '';
    if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, sizes.get(name)! + toAdd - added));
    await s.scaleReplicaSet(rs, sizes.get(name)!, operation);
  }
}
