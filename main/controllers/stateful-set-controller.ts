/**
 * The StatefulSet controller ("statefulset", events as "statefulset-controller"), after upstream
 * pkg/controller/statefulset:
 * - pods `<set>-<ordinal>` for ordinals [start, start+replicas), each with its claims (created first) and stable
 *   hostname/subdomain; OrderedReady creates them one at a time in ordinal order, each after its predecessors are
 *   Running and Ready, and removes surplus pods one at a time from the highest ordinal; Parallel does both at once.
 * - failed (or succeeded) pods are deleted and recreated.
 * - ControllerRevisions snapshot the template; pods carry their revision's name in controller-revision-hash.
 *   RollingUpdate replaces pods not at the update revision from the highest ordinal down to the partition, one at
 *   a time, each after the others are healthy; OnDelete only creates missing pods at the update revision.
 * - status is recomputed each sync (see stateful-set/stateful-set-status.ts) and history is trimmed to
 *   revisionHistoryLimit.
 * - orphan pods matching the selector are adopted (a controller reference is added); the set's own deletion
 *   is left to the garbage collector.
 */
import type { ControllerRevisionObject } from '../api/apps/v1/controller-revision.js';
import type { StatefulSetObject } from '../api/apps/v1/stateful-set.js';
import type { PersistentVolumeClaimT } from '../api/core/v1/persistent-volume-claim.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import { matchesLabels, selectorFromObject, type Selector } from '../api/meta/label-selector.js';
import type { KObject } from '../api/meta/object.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { CONTROLLER_UID_INDEX, byControllerUid } from '../client/indexers.js';
import type { Informer } from '../client/informer.js';
import { CONTROLLERREVISIONS, PODS, PVCS, STATEFULSETS, isAlreadyExists, isNotFound, objectKey, type KubeClient } from '../client/kube-client.js';
import { WorkQueue, runWorkers } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { ControllerHistory, controllerRefTo, templateOfRevision } from './history/controller-history.js';
import { isFailed, isRunningAndReady, isSucceeded, isTerminating, msUntilAvailable, isPodAvailable } from './history/pod-state.js';
import { claimsFor, newStatefulPod, ordinalOf, POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL } from './stateful-set/stateful-pod-identity.js';
import { retentionOwners } from './stateful-set/claim-retention.js';
import { computeStatus } from './stateful-set/stateful-set-status.js';

const NAME = 'statefulset';
const COMPONENT = 'statefulset-controller';

class StatefulSetController implements Controller {
  readonly name = NAME;
  private readonly client: KubeClient;
  private readonly sets: Informer<StatefulSetObject>;
  private readonly pods: Informer<Pod>;
  private readonly claims: Informer<PersistentVolumeClaimT>;
  private readonly history: ControllerHistory;
  private readonly recorder: EventRecorder;
  private readonly queue = new WorkQueue<string>();
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.recorder = ctx.recorder(COMPONENT);
    this.sets = ctx.informers.informerFor<StatefulSetObject>(STATEFULSETS);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.claims = ctx.informers.informerFor<PersistentVolumeClaimT>(PVCS);
    this.history = new ControllerHistory(ctx.client, ctx.informers.informerFor<ControllerRevisionObject>(CONTROLLERREVISIONS), 'StatefulSet');
    this.pods.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.sets.addHandler({
      onAdd: (s) => this.queue.add(objectKey(s)),
      onUpdate: (_o, s) => this.queue.add(objectKey(s)),
      onDelete: (s) => this.queue.add(objectKey(s)),
    });
    this.pods.addHandler({
      onAdd: (p) => this.enqueueForPod(p),
      onUpdate: (o, p) => {
        this.enqueueForPod(p);
        if (controllerOf(o)?.uid !== controllerOf(p)?.uid) this.enqueueForPod(o);
      },
      onDelete: (p) => this.enqueueForPod(p),
    });
  }

  run(): void {
    const n = workersFor(this.ctx.options, NAME, 5);
    this.stopWorkers = runWorkers(this.queue, n, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`statefulset ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  /** The owning set of a pod, or for an orphan every set in its namespace whose selector matches it. */
  private enqueueForPod(pod: Pod): void {
    const ref = controllerOf(pod);
    const ns = pod.metadata.namespace ?? '';
    if (ref) {
      if (ref.kind === 'StatefulSet') this.queue.add(`${ns}/${ref.name}`);
      return;
    }
    if (isTerminating(pod)) return;
    for (const s of this.sets.store.byIndex('namespace', ns)) {
      if (matchesLabels(selectorFromObject(s.spec?.selector), pod.metadata.labels)) this.queue.add(objectKey(s));
    }
  }

  private async sync(key: string): Promise<void> {
    const set = this.sets.store.get(key);
    if (!set || set.metadata.deletionTimestamp) return;
    let selector: Selector;
    try {
      selector = selectorFromObject(set.spec?.selector);
    } catch (e) {
      this.recorder.event(set, 'Warning', 'InvalidSelector', `invalid selector: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const pods = await this.claimPods(set, selector);

    const revisions = this.history.list(set);
    const statusCollisions = (set.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0;
    const ensured = await this.history.ensureRevision(set, revisions, statusCollisions);
    const updateRevision = ensured.revision;
    const all = revisions.some((r) => r.metadata.name === updateRevision.metadata.name) ? revisions : [...revisions, updateRevision];
    const statusCurrent = (set.status as { currentRevision?: string } | undefined)?.currentRevision;
    const currentRevision = all.find((r) => r.metadata.name === statusCurrent) ?? updateRevision;

    const requeueAfter = await this.reconcilePods(set, pods, currentRevision, updateRevision);

    const status = computeStatus(set, pods.values(), currentRevision.metadata.name ?? '', updateRevision.metadata.name ?? '', ensured.collisionCount, this.ctx.now());
    await this.writeStatus(set, status);

    const live = new Set<string>([status.currentRevision, status.updateRevision]);
    for (const p of pods.values()) {
      const rev = p.metadata.labels?.[REVISION_LABEL];
      if (rev) live.add(rev);
    }
    await this.history.truncateHistory(set, this.history.list(set), live, set.spec?.revisionHistoryLimit ?? 10);
    if (requeueAfter !== undefined) this.queue.addAfter(key, requeueAfter);
  }

  /** The set's pods keyed by name: those it controls plus adopted orphans matching the selector. */
  private async claimPods(set: StatefulSetObject, selector: Selector): Promise<Map<string, Pod>> {
    const uid = set.metadata.uid ?? '';
    const pods = new Map<string, Pod>();
    for (const p of this.pods.store.byIndex(CONTROLLER_UID_INDEX, uid)) pods.set(p.metadata.name ?? '', p);
    for (const p of this.pods.store.byIndex('namespace', set.metadata.namespace ?? '')) {
      if (controllerOf(p) || isTerminating(p) || !matchesLabels(selector, p.metadata.labels)) continue;
      if (ordinalOf(set, p) === undefined) continue;
      try {
        const adopted = await this.client.patch<Pod>(PODS, p.metadata.namespace ?? '', p.metadata.name ?? '', 'strategic', {
          metadata: { ownerReferences: [controllerRefTo(set, 'StatefulSet')] },
        });
        pods.set(adopted.metadata.name ?? '', adopted);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return pods;
  }

  /**
   * One round of upstream's updateStatefulSet: create/recreate pods, remove condemned ones, roll updates.
   * Mutates `pods` to reflect what it did; returns a delay after which to sync again (minReadySeconds), if any.
   */
  private async reconcilePods(set: StatefulSetObject, pods: Map<string, Pod>, current: ControllerRevisionObject, update: ControllerRevisionObject): Promise<number | undefined> {
    const spec = set.spec ?? {};
    const replicaCount = spec.replicas ?? 1;
    const start = spec.ordinals?.start ?? 0;
    const monotonic = (spec.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
    const minReady = spec.minReadySeconds ?? 0;
    const now = this.ctx.now();
    let requeue: number | undefined;
    const healthy = (p: Pod): boolean => {
      if (!isRunningAndReady(p) || isTerminating(p)) return false;
      if (isPodAvailable(p, minReady, now)) return true;
      const wait = msUntilAvailable(p, minReady, now);
      if (wait !== undefined) requeue = Math.min(requeue ?? wait, wait);
      return false;
    };

    const replicas: (Pod | undefined)[] = [];
    const condemned: Pod[] = [];
    for (const p of pods.values()) {
      const ord = ordinalOf(set, p);
      if (ord === undefined) continue;
      if (ord >= start && ord < start + replicaCount) replicas[ord - start] = p;
      else condemned.push(p);
    }
    condemned.sort((a, b) => (ordinalOf(set, a) ?? 0) - (ordinalOf(set, b) ?? 0));

    const rolling = (spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    const currentTemplate = templateOfRevision(current);
    const updateTemplate = templateOfRevision(update);
    const templateFor = (ordinal: number): [ReturnType<typeof templateOfRevision>, string] =>
      rolling && current.metadata.name !== update.metadata.name && ordinal < partition
        ? [currentTemplate, current.metadata.name ?? '']
        : [updateTemplate, update.metadata.name ?? ''];

    // Creation and replacement of failed pods, in ordinal order.
    for (let i = 0; i < replicaCount; i++) {
      const ordinal = start + i;
      let pod = replicas[i];
      if (pod && (isFailed(pod) || isSucceeded(pod)) && !isTerminating(pod)) {
        if (isFailed(pod)) {
          this.recorder.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating failed Pod ${pod.metadata.name}`);
        } else {
          this.recorder.event(set, 'Normal', 'RecreatingTerminatedPod', `StatefulSet ${set.metadata.namespace}/${set.metadata.name} is recreating terminated Pod ${pod.metadata.name}`);
        }
        await this.deletePod(set, pod);
        pods.delete(pod.metadata.name ?? '');
        replicas[i] = undefined;
        if (monotonic) return requeue;
        pod = undefined;
      }
      if (!pod) {
        const [template, revision] = templateFor(ordinal);
        const created = await this.createPod(set, newStatefulPod(set, template, revision, ordinal), ordinal);
        if (created) pods.set(created.metadata.name ?? '', created);
        if (monotonic) return requeue;
        continue;
      }
      if (isTerminating(pod)) {
        if (monotonic) return requeue;
        continue;
      }
      if (!healthy(pod) && monotonic) return requeue;
      // Identity and storage (upstream identityMatches/storageMatches): labels restored, missing claims created.
      await this.ensureClaims(set, pod, ordinal);
      await this.reconcileClaimOwners(set, pod, ordinal, false);
      const fixed = await this.ensureIdentity(set, pod, ordinal);
      if (fixed) pods.set(fixed.metadata.name ?? '', fixed);
    }

    // Scale down: highest ordinal first; OrderedReady waits for every other pod to be healthy.
    for (let t = condemned.length - 1; t >= 0; t--) {
      const pod = condemned[t]!;
      if (isTerminating(pod)) {
        if (monotonic) return requeue;
        continue;
      }
      if (monotonic) {
        const unhealthy = [...replicas.filter((p): p is Pod => !!p), ...condemned].find((p) => !healthy(p));
        if (unhealthy && unhealthy !== pod) return requeue;
      }
      await this.reconcileClaimOwners(set, pod, ordinalOf(set, pod) ?? 0, true);
      await this.deletePod(set, pod);
      pods.delete(pod.metadata.name ?? '');
      if (monotonic) return requeue;
    }

    if (!rolling) return requeue;
    // Rolling update from the highest ordinal down to the partition, one unavailable pod at a time. As upstream,
    // the partition bounds the replica index here (ordinal - start) while new pods compare it to the ordinal.
    for (let i = replicaCount - 1; i >= Math.max(0, partition); i--) {
      const pod = replicas[i];
      if (!pod) return requeue;
      if (pod.metadata.labels?.[REVISION_LABEL] !== update.metadata.name && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        pods.delete(pod.metadata.name ?? '');
        return requeue;
      }
      if (!healthy(pod)) return requeue;
    }
    return requeue;
  }

  /** Creates the claims of the pod at `ordinal` that do not exist yet. */
  private async ensureClaims(set: StatefulSetObject, pod: Pod, ordinal: number): Promise<void> {
    const ns = set.metadata.namespace ?? '';
    for (const claim of claimsFor(set, ordinal).values()) {
      if (this.claims.store.get(`${ns}/${claim.metadata.name}`)) continue;
      try {
        await this.client.create(PVCS, ns, claim);
        this.recordClaimEvent(set, pod, claim, 'Create');
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        this.recordClaimEvent(set, pod, claim, 'Create', e);
        throw e;
      }
    }
  }

  /** Restores the identity labels of a pod that lacks them (e.g. an adopted one); returns the updated pod. */
  private async ensureIdentity(set: StatefulSetObject, pod: Pod, ordinal: number): Promise<Pod | undefined> {
    const want = { [POD_NAME_LABEL]: pod.metadata.name ?? '', [POD_INDEX_LABEL]: String(ordinal) };
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(want).every(([k, v]) => labels[k] === v)) return undefined;
    try {
      const updated = await this.client.patch<Pod>(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'merge', { metadata: { labels: want } });
      this.recordPodEvent(set, pod, 'Update');
      return updated;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      this.recordPodEvent(set, pod, 'Update', e);
      throw e;
    }
  }

  /** Creates the pod's missing claims, then the pod; undefined if it already existed. */
  private async createPod(set: StatefulSetObject, pod: Pod, ordinal: number): Promise<Pod | undefined> {
    const ns = set.metadata.namespace ?? '';
    await this.ensureClaims(set, pod, ordinal);
    try {
      const created = await this.client.create<Pod>(PODS, ns, pod);
      this.recordPodEvent(set, pod, 'Create');
      return created;
    } catch (e) {
      if (isAlreadyExists(e)) return undefined;
      this.recordPodEvent(set, pod, 'Create', e);
      throw e;
    }
  }

  private async deletePod(set: StatefulSetObject, pod: Pod): Promise<void> {
    try {
      await this.client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
      this.recordPodEvent(set, pod, 'Delete');
    } catch (e) {
      if (isNotFound(e)) return;
      this.recordPodEvent(set, pod, 'Delete', e);
      throw e;
    }
  }

  /** Brings the owner references of the pod's claims in line with the retention policy (claim-retention.ts). */
  private async reconcileClaimOwners(set: StatefulSetObject, pod: Pod, ordinal: number, scaledDown: boolean): Promise<void> {
    for (const claim of claimsFor(set, ordinal).values()) {
      const existing = this.claims.store.get(`${set.metadata.namespace}/${claim.metadata.name}`);
      if (!existing) continue;
      const owners = retentionOwners(set, pod, scaledDown, existing.metadata.ownerReferences);
      if (!owners) continue;
      try {
        await this.client.patch(PVCS, set.metadata.namespace ?? '', claim.metadata.name ?? '', 'merge', {
          metadata: { ownerReferences: owners.length > 0 ? owners : null, resourceVersion: existing.metadata.resourceVersion },
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private recordPodEvent(set: StatefulSetObject, pod: Pod, verb: string, err?: unknown): void {
    if (err === undefined) {
      this.recorder.event(set, 'Normal', `Successful${verb}`, `${verb.toLowerCase()} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } else {
      this.recorder.event(set, 'Warning', `Failed${verb}`, `${verb.toLowerCase()} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errText(err)}`);
    }
  }

  private recordClaimEvent(set: StatefulSetObject, pod: Pod, claim: KObject, verb: string, err?: unknown): void {
    const what = `${verb.toLowerCase()} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${verb}`, `${what} success`);
    else this.recorder.event(set, 'Warning', `Failed${verb}`, `${what} failed error: ${errText(err)}`);
  }

  private async writeStatus(set: StatefulSetObject, status: ReturnType<typeof computeStatus>): Promise<void> {
    const old = (set.status ?? {}) as Record<string, unknown>;
    const fields = Object.keys(status) as (keyof typeof status)[];
    if (fields.every((f) => JSON.stringify(old[f] ?? defaultOf(f)) === JSON.stringify(status[f] ?? defaultOf(f)))) return;
    const copy = structuredClone(set);
    copy.status = { ...old, ...status };
    try {
      await this.client.update(STATEFULSETS, set.metadata.namespace ?? '', copy, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

function defaultOf(field: string): unknown {
  return field === 'currentRevision' || field === 'updateRevision' ? '' : field === 'conditions' ? undefined : 0;
}

function controllerOf(o: KObject) {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const statefulSetControllerFactory: ControllerFactory = {
  name: NAME,
  create: (ctx) => new StatefulSetController(ctx),
};
