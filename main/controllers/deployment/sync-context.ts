/**
 * One sync of one Deployment: the working copy of the Deployment and its claimed ReplicaSets, and the writes
 * every rollout strategy shares (scaling a ReplicaSet with its event, status updates, history cleanup).
 * Upstream: the DeploymentController methods in sync.go.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { DEPLOYMENTS, REPLICASETS, isNotFound, type KubeClient } from '../../client/kube-client.js';
import { jsonEqual } from '../../api/meta/json-equal.js';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import { byRevision, maxSurge } from './replica-math.js';
import { calculateStatus, rolloutStatus, stuckRecheckDelay } from './status.js';
import { desiredReplicas, rsReplicas, type Deployment, type DeploymentStatus, type ReplicaSet } from './types.js';

export interface SyncDeps {
  client: KubeClient;
  recorder: EventRecorder;
  now(): number;
  log(message: string): void;
  /** Re-check the Deployment after `ms`. */
  requeue(ms: number): void;
}

export class DeploymentSync {
  constructor(
    readonly deps: SyncDeps,
    /** A private copy: changes here are what the next write sends. */
    public d: Deployment,
    /** The ReplicaSets this Deployment controls (after adoption/release). */
    public rsList: ReplicaSet[],
    /** Pods of the Deployment grouped by the uid of their controlling ReplicaSet (Recreate needs them). */
    readonly podsByRS: Map<string, Pod[]>,
  ) {}

  get name(): string {
    return this.d.metadata.name ?? '';
  }

  get namespace(): string {
    return this.d.metadata.namespace ?? '';
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event(this.d, type, reason, message);
  }

  /** PUT the Deployment's status (and annotations, which the status subresource of Deployments accepts). */
  async updateStatus(): Promise<void> {
    const updated = await this.deps.client.update<Deployment>(DEPLOYMENTS, this.namespace, this.d, { subresource: 'status' });
    this.d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  /** PUT the Deployment itself (spec and metadata), keeping our working copy's status. */
  async updateDeployment(): Promise<void> {
    const updated = await this.deps.client.update<Deployment>(DEPLOYMENTS, this.namespace, this.d);
    this.d = { ...updated, status: this.d.status };
  }

  async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const updated = await this.deps.client.update<ReplicaSet>(REPLICASETS, this.namespace, rs);
    this.rsList = this.rsList.map((x) => (x.metadata.uid === updated.metadata.uid ? updated : x));
    return updated;
  }

  /**
   * scaleReplicaSet: sets `rs`'s replicas to `newScale` and its desired/max-replicas annotations to the
   * Deployment's; records ScalingReplicaSet when the size changed. Returns [scaled, the ReplicaSet now].
   */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, operation: 'up' | 'down' | ''): Promise<[boolean, ReplicaSet]> {
    const desired = desiredReplicas(this.d);
    const max = desired + maxSurge(this.d);
    const sizeNeedsUpdate = rsReplicas(rs) !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
    const oldScale = rsReplicas(rs);
    const copy = structuredClone(rs);
    copy.spec.replicas = newScale;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.updateReplicaSet(copy);
    if (sizeNeedsUpdate) {
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return [sizeNeedsUpdate, updated];
  }

  /** scaleReplicaSetAndRecordEvent: no-op when the size is right; otherwise scales up or down. */
  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): Promise<[boolean, ReplicaSet]> {
    if (rsReplicas(rs) === newScale) return [false, rs];
    return this.scaleReplicaSet(rs, newScale, rsReplicas(rs) < newScale ? 'up' : 'down');
  }

  /**
   * cleanupDeployment: deletes the oldest old ReplicaSets beyond revisionHistoryLimit — only those fully scaled
   * down, with no pods, whose latest spec their controller has seen, and not already being deleted.
   */
  async cleanupDeployment(oldRSs: readonly ReplicaSet[]): Promise<void> {
    const limit = this.d.spec.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    const ordered = [...cleanable].sort(byRevision);
    for (let i = 0; i < diff; i++) {
      const rs = ordered[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
      try {
        await this.deps.client.delete(REPLICASETS, this.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** syncDeploymentStatus: writes calculateStatus when it differs (scaling and paused syncs). */
  async syncDeploymentStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const next = calculateStatus(allRSs, newRS, this.d, this.deps.now());
    await this.writeStatusIfChanged(next);
  }

  /** syncRolloutStatus: the status with progress conditions; schedules the deadline check of a stuck rollout. */
  async syncRolloutStatus(allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
    const now = this.deps.now();
    const next = rolloutStatus(allRSs, newRS, this.d, now);
    if (statusEqual(this.d.status, next)) {
      const delay = stuckRecheckDelay(this.d, next, now);
      if (delay !== undefined) this.deps.requeue(delay);
      return;
    }
    this.d.status = next;
    await this.updateStatus();
  }

  private async writeStatusIfChanged(next: DeploymentStatus): Promise<void> {
    if (statusEqual(this.d.status, next)) return;
    this.d.status = next;
    await this.updateStatus();
  }
}

function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return jsonEqual(a ?? {}, b);
}
