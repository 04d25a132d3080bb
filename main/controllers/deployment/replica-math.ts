/**
 * The arithmetic of rollouts (deploymentutil and controller helpers): maxSurge/maxUnavailable fenceposts,
 * how far the new ReplicaSet may grow, saturation, proportional shares, replica counts, orderings and the
 * choice of new/old ReplicaSets.
 */
import { desiredReplicasAnnotation, maxReplicasAnnotation, revisionOf } from './annotations.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import { desiredReplicas, rsReplicas, type Deployment, type IntOrString, type ReplicaSet } from './types.js';

export const isRollingUpdate = (d: Deployment): boolean => (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/**
 * intstr.GetScaledValueFromIntOrPercent: an integer as is, "N%" as N% of `total` rounded up or down. Other
 * strings are invalid (validation keeps them out; we throw with upstream's words).
 */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** deploymentutil.ResolveFenceposts: [surge, unavailable]; both zero would stall, so unavailable becomes 1. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desiredReplicas(d))[0];
}

export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const unavailable = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, desired)[1];
  return Math.min(unavailable, desired);
}

/** Σ spec.replicas. */
export const specReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number =>
  rss.reduce((n, rs) => n + (rs ? rsReplicas(rs) : 0), 0);
/** Σ status.replicas. */
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number =>
  rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number =>
  rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number =>
  rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);

/** ReplicaSets that exist and want pods. */
export const filterActive = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] =>
  rss.filter((rs): rs is ReplicaSet => rs !== undefined && rsReplicas(rs) > 0);

const created = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

/** controller.ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

/** controller.ReplicaSetsBySizeNewer: larger first; equal sizes newer first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  if (rsReplicas(a) === rsReplicas(b)) return byCreation(b, a);
  return rsReplicas(b) - rsReplicas(a);
}

/** controller.ReplicaSetsBySizeOlder: larger first; equal sizes older first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  if (rsReplicas(a) === rsReplicas(b)) return byCreation(a, b);
  return rsReplicas(b) - rsReplicas(a);
}

/** deploymentutil.ReplicaSetsByRevision: lowest revision first, ties by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a) ?? 0;
  const rb = revisionOf(b) ?? 0;
  if (ra === rb) return byCreation(a, b);
  return ra - rb;
}

/** deploymentutil.FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (hash ignored). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** deploymentutil.FindOldReplicaSets: [old ReplicaSets with replicas, all old ReplicaSets]. */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): [ReplicaSet[], ReplicaSet[]] {
  const newRS = findNewReplicaSet(d, rsList);
  const all = rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  return [all.filter((rs) => rsReplicas(rs) !== 0), all];
}

/** deploymentutil.FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** deploymentutil.NewRSNewReplicas: the size the new ReplicaSet may have now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const desired = desiredReplicas(d);
  switch (d.spec.strategy?.type ?? 'RollingUpdate') {
    case 'RollingUpdate': {
      const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge, desired, true);
      const current = specReplicaCount(allRSs);
      const maxTotal = desired + surge;
      if (current >= maxTotal) return rsReplicas(newRS);
      const scaleUp = Math.min(maxTotal - current, desired - rsReplicas(newRS));
      return rsReplicas(newRS) + scaleUp;
    }
    case 'Recreate':
      return desired;
    default:
      throw new Error(`deployment type ${d.spec.strategy?.type} isn't supported`);
  }
}

/** deploymentutil.IsSaturated: the new ReplicaSet has, wants and makes available exactly the desired replicas. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const want = desiredReplicas(d);
  return rsReplicas(rs) === want && desired === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** Go's math.Round: halves away from zero. */
const goRound = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/** deploymentutil.getReplicaSetFraction: how many replicas `rs` gains (or loses) in a proportional scale. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const desired = desiredReplicas(d);
  if (desired === 0) return -rsReplicas(rs);
  const deploymentReplicas = desired + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  // Upstream divides by zero here (a float infinity converted to int32); we treat it as "no share".
  if (annotated === 0) return 0;
  return goRound((rsReplicas(rs) * deploymentReplicas) / annotated) - rsReplicas(rs);
}

/** deploymentutil.GetProportion: `rs`'s share of `toAdd`, bounded by what is left to distribute. */
export function proportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** deploymentutil.DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: { updatedReplicas?: number; replicas?: number; availableReplicas?: number; observedGeneration?: number }): boolean {
  const want = desiredReplicas(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want
    && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}
