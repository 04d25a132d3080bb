/**
 * The deployment controller ("deployment", upstream pkg/controller/deployment): rolls Deployments out through
 * ReplicaSets named `<deployment>-<pod-template-hash>`. Per sync of a Deployment: claim its ReplicaSets (adopt
 * matching orphans, release non-matching ones), then — deleted: status only; paused: keep the Paused/Resumed
 * Progressing condition and scale only; rollback requested (deprecated annotation): roll back; replicas changed:
 * scale proportionally; otherwise run the strategy (RollingUpdate or Recreate), then write status and
 * conditions. Helpers live in ./deployment/ (one concept per file).
 *
 * Watches Deployments, ReplicaSets (an owned ReplicaSet's change syncs its Deployment; an orphan's change syncs
 * every Deployment that selects it) and Pods (a Recreate Deployment is synced when its last pod goes).
 * Workers: --concurrent-deployment-syncs (default 5); a failing key is retried with backoff 15 times.
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import { SelectorParseError, matchesLabels, selectorFromObject, selectsEverything, type Selector } from '../api/meta/label-selector.js';
import type { OwnerReference } from '../api/meta/object.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { Informer } from '../client/informer.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX, byControllerUid } from '../client/indexers.js';
import { DEPLOYMENTS, PODS, REPLICASETS, objectKey } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { rollbackTo } from './deployment/annotations.js';
import { claimReplicaSets } from './deployment/claim.js';
import { PROGRESSING, Reason, getCondition, newCondition, setCondition } from './deployment/conditions.js';
import { allReplicaSetsAndSyncRevision } from './deployment/new-replica-set.js';
import { rolloutRecreate } from './deployment/recreate.js';
import { rollback } from './deployment/rollback.js';
import { rolloutRolling } from './deployment/rolling.js';
import { isScalingEvent, syncScaling } from './deployment/scaling.js';
import { hasProgressDeadline } from './deployment/status.js';
import { DeploymentSync } from './deployment/sync-context.js';
import type { Deployment, ReplicaSet } from './deployment/types.js';

export const DEPLOYMENT_CONTROLLER = 'deployment';
/** Retries of a failing Deployment before it is dropped until its next change (upstream maxRetries). */
const MAX_RETRIES = 15;

export class DeploymentController implements Controller {
  readonly name = DEPLOYMENT_CONTROLLER;
  private readonly queue = new WorkQueue<string>();
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly recorder: EventRecorder;
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder('deployment-controller');
    this.deployments = ctx.informers.informerFor<Deployment>(DEPLOYMENTS);
    this.replicaSets = ctx.informers.informerFor<ReplicaSet>(REPLICASETS);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.pods.store.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);

    this.deployments.addHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, rs) => this.replicaSetUpdated(old, rs),
      onDelete: (rs) => this.replicaSetDeleted(rs),
    });
    this.pods.addHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  run(): void {
    this.stopWorkers = runWorkers(this.queue, workersFor(this.ctx.options, DEPLOYMENT_CONTROLLER, 5), (key) => this.sync(key), {
      maxRetries: MAX_RETRIES,
      onError: (key, err, requeues) =>
        this.ctx.log(`deployment ${key}: sync failed (${requeues} retries so far): ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    if (this.stopWorkers) await this.stopWorkers();
    else this.queue.shutdown();
  }

  // ------------------------------------------------------------------------------------------- event handlers

  private enqueue(d: Deployment): void {
    this.queue.add(objectKey(d));
  }

  /** The Deployment a controller reference points at, if it is in the cache with that uid. */
  private resolveControllerRef(namespace: string, ref: OwnerReference | undefined): Deployment | undefined {
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.store.getByName(namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments in the ReplicaSet's namespace whose (non-empty) selector matches its labels. */
  private deploymentsSelecting(rs: ReplicaSet): Deployment[] {
    if (!rs.metadata.labels || Object.keys(rs.metadata.labels).length === 0) return [];
    return this.deployments.store.byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '').filter((d) => {
      const sel = parseSelector(d);
      return sel !== undefined && !selectsEverything(sel) && matchesLabels(sel, rs.metadata.labels);
    });
  }

  private replicaSetAdded(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return this.replicaSetDeleted(rs);
    const ref = controllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private replicaSetUpdated(old: ReplicaSet, rs: ReplicaSet): void {
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const ns = rs.metadata.namespace ?? '';
    const curRef = controllerOf(rs);
    const oldRef = controllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid || curRef?.name !== oldRef?.name;
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(ns, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(ns, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(sortedEntries(old.metadata.labels)) !== JSON.stringify(sortedEntries(rs.metadata.labels));
    if (labelsChanged || refChanged) for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private replicaSetDeleted(rs: ReplicaSet): void {
    const d = this.resolveControllerRef(rs.metadata.namespace ?? '', controllerOf(rs));
    if (d) this.enqueue(d);
  }

  /** A Recreate Deployment waits for its old pods to go: sync it when it has none left. */
  private podDeleted(pod: Pod): void {
    const ns = pod.metadata.namespace ?? '';
    const rsRef = controllerOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.store.getByName(ns, rsRef.name);
    if (!rs || rs.metadata.uid !== rsRef.uid) return;
    const d = this.resolveControllerRef(ns, controllerOf(rs));
    if (!d || d.spec.strategy?.type !== 'Recreate') return;
    const owned = this.replicaSets.store.byIndex(NAMESPACE_INDEX, ns).filter((x) => controllerOf(x)?.uid === d.metadata.uid);
    const remaining = owned.reduce((n, x) => n + this.pods.store.byIndex(CONTROLLER_UID_INDEX, x.metadata.uid ?? '').length, 0);
    if (remaining === 0) this.enqueue(d);
  }

  // ------------------------------------------------------------------------------------------------------ sync

  private async sync(key: string): Promise<void> {
    const cached = this.deployments.store.get(key);
    if (!cached) return; // deleted; its ReplicaSets are the garbage collector's
    const d = structuredClone(cached);
    const ns = d.metadata.namespace ?? '';
    let selector: Selector;
    try {
      selector = selectorFromObject(d.spec.selector);
    } catch (e) {
      if (e instanceof SelectorParseError) throw new Error(`deployment ${key} has invalid label selector: ${e.message}`);
      throw e;
    }
    const deps = {
      client: this.ctx.client,
      recorder: this.recorder,
      now: this.ctx.now,
      log: this.ctx.log,
      requeue: (ms: number) => this.queue.addAfter(key, ms),
    };
    if (selectsEverything(selector)) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation };
        await new DeploymentSync(deps, d, [], new Map()).updateStatus();
      }
      return;
    }

    const rsList = await claimReplicaSets(this.ctx.client, d, selector, this.replicaSets.store.byIndex(NAMESPACE_INDEX, ns));
    const s = new DeploymentSync(deps, d, rsList, this.podsByReplicaSet(d, selector, rsList));

    if (d.metadata.deletionTimestamp) {
      const [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, false);
      return s.syncDeploymentStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS);
    }
    await this.checkPausedConditions(s);
    if (s.d.spec.paused) return syncScaling(s);
    if (rollbackTo(s.d) !== undefined) return rollback(s);
    if (await isScalingEvent(s)) return syncScaling(s);
    switch (s.d.spec.strategy?.type ?? 'RollingUpdate') {
      case 'Recreate':
        return rolloutRecreate(s);
      case 'RollingUpdate':
        return rolloutRolling(s);
      default:
        throw new Error(`unexpected deployment strategy type: ${s.d.spec.strategy?.type}`);
    }
  }

  /** Pods selected by the Deployment, grouped by the uid of the claimed ReplicaSet controlling them. */
  private podsByReplicaSet(d: Deployment, selector: Selector, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const out = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
    for (const pod of this.pods.store.byIndex(NAMESPACE_INDEX, d.metadata.namespace ?? '')) {
      if (!matchesLabels(selector, pod.metadata.labels)) continue;
      const ref = controllerOf(pod);
      if (ref) out.get(ref.uid)?.push(pod);
    }
    return out;
  }

  /**
   * checkPausedConditions: a paused Deployment's Progressing condition becomes Unknown/DeploymentPaused, and
   * Unknown/DeploymentResumed once resumed, so time spent paused never counts against the progress deadline.
   * A reported ProgressDeadlineExceeded is kept.
   */
  private async checkPausedConditions(s: DeploymentSync): Promise<void> {
    const d = s.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === Reason.ProgressDeadlineExceeded) return;
    const pausedCondExists = cond?.reason === Reason.DeploymentPaused;
    const now = this.ctx.now();
    d.status ??= {};
    if (d.spec.paused && !pausedCondExists) {
      setCondition(d.status, newCondition(PROGRESSING, 'Unknown', Reason.DeploymentPaused, 'Deployment is paused', now));
    } else if (!d.spec.paused && pausedCondExists) {
      setCondition(d.status, newCondition(PROGRESSING, 'Unknown', Reason.DeploymentResumed, 'Deployment is resumed', now));
    } else return;
    await s.updateStatus();
  }
}

function controllerOf(obj: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

function parseSelector(d: Deployment): Selector | undefined {
  try {
    return selectorFromObject(d.spec.selector);
  } catch {
    return undefined;
  }
}

const sortedEntries = (m: Record<string, string> | undefined): [string, string][] => Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export const deploymentControllerFactory: ControllerFactory = {
  name: DEPLOYMENT_CONTROLLER,
  create: (ctx) => new DeploymentController(ctx),
};
