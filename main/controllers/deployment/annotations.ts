/**
 * The annotations the deployment controller keeps on Deployments and their ReplicaSets (deploymentutil):
 * revisions and revision history, desired/max replicas (to tell scaling from rolling), the annotations copied
 * from a Deployment to its new ReplicaSet (kubernetes.io/change-cause among them), and the deprecated
 * rollback-to request.
 */
import type { Deployment, ReplicaSet } from './types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** extensions/v1beta1 spec.rollbackTo, kept as an annotation by the API; honoured by the controller. */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** Upstream's limit on the revision-history annotation (deploymentutil's MaxRevHistoryLengthInChars). */
export const MAX_REVISION_HISTORY_LENGTH = 2000;

/** Annotations never copied between a Deployment and its ReplicaSets. */
const SKIPPED = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
]);

export const skipCopyAnnotation = (key: string): boolean => SKIPPED.has(key);

/** strconv.ParseInt(s, 10, 64) for the values we see: optional sign and decimal digits only. */
export function parseGoInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** deploymentutil.Revision: the revision annotation as a number; absent → 0; unparsable → undefined. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return parseGoInt(v);
}

/** The highest revision among `rss` (unparsable revisions ignored). */
export function maxRevision(rss: readonly (ReplicaSet | undefined)[]): number {
  let max = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** The second highest revision among `rss` (the one `rollout undo` goes back to by default). */
export function lastRevision(rss: readonly (ReplicaSet | undefined)[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

/** Copies the Deployment's annotations (except the skipped ones) onto `rs`; true when something changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const target = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** Sets desired-replicas and max-replicas on `rs`; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined =>
  parseGoInt(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]);

export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined =>
  parseGoInt(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]);

/**
 * deploymentutil.SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` (keeping the superseded revision in revision-history, bounded to `maxHistoryChars`, as happens
 * when an old template is rolled back to) and, for a ReplicaSet about to be created (`exists` false), sets the
 * replicas annotations (max = desired + `maxSurge`). Returns true when `rs` changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, maxSurge: number, log: (m: string) => void,
  maxHistoryChars = MAX_REVISION_HISTORY_LENGTH,
): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldRevision = a[REVISION_ANNOTATION];
  let oldRevisionInt = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    const parsed = parseGoInt(oldRevision);
    if (parsed === undefined) {
      log(`updating replica set revision: old revision ${JSON.stringify(oldRevision)} of ${rs.metadata.name} is not an integer`);
      return false;
    }
    oldRevisionInt = parsed;
  }
  const newRevisionInt = parseGoInt(newRevision);
  if (newRevisionInt === undefined) {
    log(`updating replica set revision: new revision ${JSON.stringify(newRevision)} is not an integer`);
    return false;
  }
  if (oldRevisionInt < newRevisionInt) {
    a[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  if (oldRevision !== undefined && oldRevision !== '' && oldRevisionInt < newRevisionInt) {
    const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
    let old = history.split(',');
    if (old[0]!.length === 0) a[REVISION_HISTORY_ANNOTATION] = oldRevision;
    else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > maxHistoryChars && start < old.length) {
        total -= old[start]!.length + 1;
        start++;
      }
      if (total <= maxHistoryChars) {
        old = [...old.slice(start), oldRevision];
        a[REVISION_HISTORY_ANNOTATION] = old.join(',');
      } else log(`not appending revision ${oldRevision} to the revision history of ${rs.metadata.name}: it would exceed ${maxHistoryChars} characters`);
    }
  }
  const desired = d.spec.replicas ?? 1;
  if (!exists && setReplicasAnnotations(rs, desired, desired + maxSurge)) changed = true;
  return changed;
}


/** Records `revision` on the Deployment; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION_ANNOTATION] === revision) return false;
  a[REVISION_ANNOTATION] = revision;
  return true;
}

/**
 * deploymentutil.SetDeploymentAnnotationsTo: on rollback, the Deployment takes the annotations of the
 * ReplicaSet rolled back to (keeping only its own skipped ones), so the next sync does not copy the current
 * annotations (e.g. change-cause) onto the old ReplicaSet.
 */
export function setDeploymentAnnotationsTo(d: Deployment, rollbackTo: ReplicaSet): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rollbackTo.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v;
  d.metadata.annotations = kept;
}

/** The requested rollback revision (0 = the previous one), or undefined when none is requested / it is invalid. */
export function rollbackTo(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (v === undefined) return undefined;
  return parseGoInt(v);
}
