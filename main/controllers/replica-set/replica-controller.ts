/**
 * The replica controller shared by ReplicaSets and ReplicationControllers (upstream's pkg/controller/replicaset
 * ReplicaSetController; the kind-specific facts come from a ReplicaKind).
 *
 * Per owner key `ns/name`, a sync:
 * 1. takes the owner from the cache (gone → forget its expectations);
 * 2. lists the namespace's active pods (not terminal, not terminating) and claims them (adopt/release);
 * 3. if its expectations are satisfied and it is not being deleted, creates the missing pods (slow-start batches,
 *    at most burstReplicas per sync) or deletes the surplus (ranked by podsToDelete), recording expectations;
 * 4. writes status (counts, observedGeneration, ReplicaFailure) through the status subresource when it changed;
 * 5. with minReadySeconds, re-checks once the ready pods should have become available.
 * Pod events lower expectations and wake the owning controller (or, for orphans, every owner whose selector
 * matches) — an owner whose creations are in flight therefore never creates twice.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { matchesLabels, selectsEverything, type Selector } from '../../api/meta/label-selector.js';
import type { OwnerReference } from '../../api/meta/object.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX, byControllerUid } from '../../client/indexers.js';
import type { Informer } from '../../client/informer.js';
import { PODS, isNotFound, objectKey } from '../../client/kube-client.js';
import { WorkQueue, runWorkers } from '../../client/work-queue.js';
import type { Controller, ControllerContext } from '../controller.js';
import { workersFor } from '../controller-manager-options.js';
import { claimPods } from './claim-pods.js';
import { Expectations } from './expectations.js';
import { PodControl, isNamespaceTerminating, slowStartBatch } from './pod-control.js';
import { podsToDelete } from './pod-ranking.js';
import { isPodActive, isPodReady } from './pod-state.js';
import type { ReplicaKind, ReplicaOwner, ReplicaStatus } from './replica-kind.js';
import { calculateStatus, statusUnchanged } from './replica-status.js';

/** Upstream's BurstReplicas: at most this many creations or deletions per sync. */
export const BURST_REPLICAS = 500;
/** Upstream's --concurrent-replicaset-syncs / --concurrent-rc-syncs default. */
export const DEFAULT_WORKERS = 5;
/** Upstream's statusUpdateRetries: one re-read and retry after a failed status write. */
const STATUS_UPDATE_RETRIES = 1;

export class ReplicaController implements Controller {
  readonly name: string;
  readonly expectations: Expectations;
  private readonly owners: Informer<ReplicaOwner>;
  private readonly pods: Informer<Pod>;
  private readonly queue = new WorkQueue<string>();
  private readonly podControl: PodControl;
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext, private readonly kind: ReplicaKind) {
    this.name = kind.controllerName;
    this.expectations = new Expectations(ctx.now);
    this.podControl = new PodControl(ctx.client, ctx.recorder(kind.component));
    this.owners = ctx.informers.informerFor<ReplicaOwner>(kind.resource);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.owners.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.pods.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.owners.addHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.ownerDeleted(old);
        this.enqueue(cur);
      },
      onDelete: (o) => this.ownerDeleted(o),
    });
    this.pods.addHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  run(): void {
    const workers = workersFor(this.ctx.options, this.name, DEFAULT_WORKERS);
    this.stopWorkers = runWorkers(this.queue, workers, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`${this.name}: sync ${key} failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    if (this.stopWorkers) await this.stopWorkers();
    else this.queue.shutdown();
  }

  // ------------------------------------------------------------------------------------------ event handlers

  private enqueue(owner: ReplicaOwner): void {
    this.queue.add(objectKey(owner));
  }

  private ownerDeleted(owner: ReplicaOwner): void {
    const key = objectKey(owner);
    this.expectations.delete(key);
    this.queue.add(key);
  }

  /** The owner a controller reference points at, if it is ours and still the same object. */
  private resolve(namespace: string, ref: OwnerReference | undefined): ReplicaOwner | undefined {
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.owners.store.getByName(namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  private controllerRefOf(pod: Pod): OwnerReference | undefined {
    return pod.metadata.ownerReferences?.find((r) => r.controller);
  }

  /** Owners in the pod's namespace whose (non-empty) selector matches its labels. */
  private ownersSelecting(pod: Pod): ReplicaOwner[] {
    const out: ReplicaOwner[] = [];
    for (const owner of this.owners.store.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
      const selector = this.selectorOrUndefined(owner);
      if (!selector || selectsEverything(selector) || !matchesLabels(selector, pod.metadata.labels)) continue;
      out.push(owner);
    }
    return out;
  }

  private podAdded(pod: Pod): void {
    // A pod already being deleted when first seen (e.g. after a restart) must not count as an observed creation.
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = this.controllerRefOf(pod);
    if (ref) {
      const owner = this.resolve(pod.metadata.namespace ?? '', ref);
      if (!owner) return;
      const key = objectKey(owner);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const owner of this.ownersSelecting(pod)) this.enqueue(owner);
  }

  private podUpdated(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion: the pod stops counting now; tell the owners at once rather than when it is gone.
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const ns = cur.metadata.namespace ?? '';
    const curRef = this.controllerRefOf(cur);
    const oldRef = this.controllerRefOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const oldOwner = this.resolve(ns, oldRef);
      if (oldOwner) this.enqueue(oldOwner);
    }
    if (curRef) {
      const owner = this.resolve(ns, curRef);
      if (!owner) return;
      this.enqueue(owner);
      const minReady = owner.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(objectKey(owner), minReady * 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const owner of this.ownersSelecting(cur)) this.enqueue(owner);
  }

  private podDeleted(pod: Pod): void {
    const owner = this.resolve(pod.metadata.namespace ?? '', this.controllerRefOf(pod));
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  // ------------------------------------------------------------------------------------------------ sync

  private selectorOrUndefined(owner: ReplicaOwner): Selector | undefined {
    try {
      return this.kind.selectorOf(owner);
    } catch {
      return undefined;
    }
  }

  private controllerRef(owner: ReplicaOwner): OwnerReference {
    return { apiVersion: this.kind.apiVersion, kind: this.kind.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
  }

  /** Reconciles one owner; throws to be retried with backoff. */
  async sync(key: string): Promise<void> {
    const owner = this.owners.store.get(key);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector: Selector;
    try {
      selector = this.kind.selectorOf(owner);
    } catch (e) {
      // Not retried: only an edit of the owner can fix it (upstream logs and drops the key).
      this.ctx.log(`${this.name}: ${key}: invalid selector: ${(e as Error).message}`);
      return;
    }
    const namespace = owner.metadata.namespace ?? '';
    const active = this.pods.store.byIndex(NAMESPACE_INDEX, namespace).filter(isPodActive);
    const { claimed, errors } = await claimPods({
      client: this.ctx.client, owner, controllerRef: this.controllerRef(owner), selector,
      canAdopt: () => this.canAdopt(owner),
    }, active);
    if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));

    let manageError: Error | undefined;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, owner, claimed);
      } catch (e) {
        manageError = e instanceof Error ? e : new Error(String(e));
      }
    }
    const status = calculateStatus(owner, claimed, manageError, this.ctx.now());
    const written = await this.writeStatus(owner, status);
    if (manageError) throw manageError;
    const minReady = written.spec?.minReadySeconds ?? 0;
    const st = written.status ?? {};
    if (minReady > 0 && (st.readyReplicas ?? 0) === (st.replicas ?? 0) && (st.availableReplicas ?? 0) !== (st.replicas ?? 0)) {
      this.queue.addAfter(key, minReady * 1000);
    }
  }

  /** A fresh read (not the cache): the owner must still exist with the same uid and not be being deleted. */
  private async canAdopt(owner: ReplicaOwner): Promise<void> {
    const ns = owner.metadata.namespace ?? '';
    const fresh = await this.ctx.client.get<ReplicaOwner>(this.kind.resource, ns, owner.metadata.name!);
    if (fresh.metadata.uid !== owner.metadata.uid)
      throw new Error(`original ${this.kind.kind} ${ns}/${owner.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
    if (fresh.metadata.deletionTimestamp)
      throw new Error(`${ns}/${owner.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  private async manageReplicas(key: string, owner: ReplicaOwner, pods: Pod[]): Promise<void> {
    const wanted = owner.spec?.replicas ?? 1;
    const diff = pods.length - wanted;
    const namespace = owner.metadata.namespace ?? '';
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      const ref = this.controllerRef(owner);
      const { successes, error } = await slowStartBatch(count, 1, async () => {
        try {
          await this.podControl.create(owner, owner.spec?.template, ref);
        } catch (e) {
          // In a terminating namespace every creation fails; nothing to do (and nothing to report).
          if (isNamespaceTerminating(e)) return;
          throw e;
        }
      });
      // Creations that were never attempted or failed produce no watch events: stop expecting them.
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(owner), count, this.ctx.now());
      this.expectations.expectDeletions(key, victims.map(objectKey));
      const results = await Promise.allSettled(victims.map(async (pod) => {
        try {
          await this.podControl.delete(owner, namespace, pod.metadata.name!);
        } catch (e) {
          // The delete event will never come for a failed delete; a pod already gone is not a failure.
          this.expectations.deletionObserved(key, objectKey(pod));
          if (!isNotFound(e)) throw e;
        }
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
  }

  /**
   * Pods controlled by this owner or by the owners sharing its controller (a Deployment's ReplicaSets): used to
   * prefer deleting pods on nodes that run several of them.
   */
  private relatedPods(owner: ReplicaOwner): Pod[] {
    const parent = owner.metadata.ownerReferences?.find((r) => r.controller);
    const siblings = parent
      ? this.owners.store.byIndex(CONTROLLER_UID_INDEX, parent.uid).filter((o) => o.metadata.namespace === owner.metadata.namespace)
      : [owner];
    return siblings.flatMap((o) => this.pods.store.byIndex(CONTROLLER_UID_INDEX, o.metadata.uid ?? ''));
  }

  /** Writes `status` via the status subresource when it differs; re-reads and retries once on failure. */
  private async writeStatus(owner: ReplicaOwner, status: ReplicaStatus): Promise<ReplicaOwner> {
    if (statusUnchanged(owner, status)) return owner;
    const next: ReplicaStatus = { ...status, observedGeneration: owner.metadata.generation };
    const ns = owner.metadata.namespace ?? '';
    let base: ReplicaOwner = owner;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ctx.client.update<ReplicaOwner>(this.kind.resource, ns, { ...base, status: next }, { subresource: 'status' });
      } catch (e) {
        if (attempt >= STATUS_UPDATE_RETRIES) throw e;
        base = await this.ctx.client.get<ReplicaOwner>(this.kind.resource, ns, owner.metadata.name!);
      }
    }
  }
}
