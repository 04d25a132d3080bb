/**
 * The Recreate strategy (recreate.go): scale every old ReplicaSet to zero, wait until no old pod is running,
 * then create/scale the new ReplicaSet to the full count.
 */
import { allReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { actualReplicaCount, deploymentComplete, filterActive } from './replica-math.js';
import type { DeploymentSync } from './sync-context.js';
import { desiredReplicas, rsReplicas, type ReplicaSet } from './types.js';

export async function rolloutRecreate(s: DeploymentSync): Promise<void> {
  let [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, false);
  let allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  if (await scaleDownOldReplicaSets(s, filterActive(oldRSs))) return s.syncRolloutStatus(allRSs, newRS);
  if (oldPodsRunning(s, newRS, oldRSs)) return s.syncRolloutStatus(allRSs, newRS);
  if (!newRS) {
    [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, true);
    allRSs = [...oldRSs, newRS!];
  }
  await s.scaleReplicaSetAndRecordEvent(newRS!, desiredReplicas(s.d));
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanupDeployment(oldRSs);
  return s.syncRolloutStatus(allRSs, newRS);
}

async function scaleDownOldReplicaSets(s: DeploymentSync, oldRSs: ReplicaSet[]): Promise<boolean> {
  let scaled = false;
  for (const rs of oldRSs) {
    if (rsReplicas(rs) === 0) continue;
    if ((await s.scaleReplicaSetAndRecordEvent(rs, 0))[0]) scaled = true;
  }
  return scaled;
}

/** Old ReplicaSets still report pods, or a pod of an old ReplicaSet has not finished (Unknown counts as running). */
function oldPodsRunning(s: DeploymentSync, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [rsUid, pods] of s.podsByRS) {
    if (newRS && newRS.metadata.uid === rsUid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
