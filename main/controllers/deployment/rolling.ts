/**
 * The RollingUpdate strategy (rolling.go): grow the new ReplicaSet within replicas + maxSurge, shrink old ones
 * while at least replicas - maxUnavailable pods stay available (unhealthy old pods go first), and report
 * progress.
 */
import { allReplicaSetsAndSyncRevision } from './new-replica-set.js';
import {
  availableReplicaCount, byCreation, deploymentComplete, filterActive, maxUnavailable, newRSNewReplicas, specReplicaCount,
} from './replica-math.js';
import type { DeploymentSync } from './sync-context.js';
import { desiredReplicas, rsReplicas, type ReplicaSet } from './types.js';

export async function rolloutRolling(s: DeploymentSync): Promise<void> {
  const [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(s, allRSs, newRS!)) return s.syncRolloutStatus(allRSs, newRS);
  if (await reconcileOldReplicaSets(s, allRSs, filterActive(oldRSs), newRS!)) return s.syncRolloutStatus(allRSs, newRS);
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanupDeployment(oldRSs);
  return s.syncRolloutStatus(allRSs, newRS);
}

async function reconcileNewReplicaSet(s: DeploymentSync, allRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  const desired = desiredReplicas(s.d);
  if (rsReplicas(newRS) === desired) return false;
  if (rsReplicas(newRS) > desired) return (await s.scaleReplicaSetAndRecordEvent(newRS, desired))[0];
  return (await s.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(s.d, allRSs, newRS)))[0];
}

async function reconcileOldReplicaSets(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (specReplicaCount(oldRSs) === 0) return false;
  const allPods = specReplicaCount(allRSs);
  const minAvailable = desiredReplicas(s.d) - maxUnavailable(s.d);
  const newRSUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  const [cleaned, cleanupCount] = await cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSets(s, [...cleaned, newRS], cleaned);
  return cleanupCount + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable pods (oldest first), at most `maxCleanup` in all. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], maxCleanup: number): Promise<[ReplicaSet[], number]> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i]!;
    const available = rs.status?.availableReplicas ?? 0;
    if (rsReplicas(rs) === 0 || rsReplicas(rs) === available) continue;
    const count = Math.min(maxCleanup - total, rsReplicas(rs) - available);
    const next = rsReplicas(rs) - count;
    if (next > rsReplicas(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${rsReplicas(rs)} -> ${next}`);
    const [, updated] = await s.scaleReplicaSetAndRecordEvent(rs, next);
    total += count;
    rss[i] = updated;
  }
  return [rss, total];
}

/** Scales old ReplicaSets down (oldest first) as far as availability above replicas - maxUnavailable allows. */
async function scaleDownOldReplicaSets(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = desiredReplicas(s.d) - maxUnavailable(s.d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const totalToScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= totalToScaleDown) break;
    if (rsReplicas(rs) === 0) continue;
    const count = Math.min(rsReplicas(rs), totalToScaleDown - total);
    const next = rsReplicas(rs) - count;
    if (next > rsReplicas(rs)) throw new Error(`when scaling down old RS, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${rsReplicas(rs)} -> ${next}`);
    await s.scaleReplicaSetAndRecordEvent(rs, next);
    total += count;
  }
  return total;
}
