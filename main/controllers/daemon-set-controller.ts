/**
 * The DaemonSet controller ("daemonset", events as "daemonset-controller"), after upstream pkg/controller/daemon:
 * - one daemon pod per node that should run it (daemon-set/node-eligibility.ts), created unbound with a required
 *   node affinity `metadata.name In [node]` so the scheduler binds it; surplus pods (more than one per node when
 *   surge is off) and pods on nodes that may no longer run it are deleted; failed pods are deleted (and then
 *   recreated, with a per-node backoff between kills).
 * - ControllerRevisions snapshot the template; pods carry its hash in controller-revision-hash.
 * - RollingUpdate replaces old pods within maxUnavailable / maxSurge (daemon-set/daemon-rolling-update.ts);
 *   OnDelete only creates pods at the current hash where none exists.
 * - status as daemon-set/daemon-set-status.ts; history trimmed to revisionHistoryLimit.
 * - orphan pods matching the selector are adopted; expectations stop a sync from acting on a cache that has not
 *   yet seen the controller's own creations and deletions.
 */
import type { ControllerRevisionObject } from '../api/apps/v1/controller-revision.js';
import type { DaemonSetObject } from '../api/apps/v1/daemon-set.js';
import type { Node } from '../api/core/v1/node.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import { matchesLabels, selectorFromObject, type Selector } from '../api/meta/label-selector.js';
import type { KObject } from '../api/meta/object.js';
import type { EventRecorder } from '../client/event-recorder.js';
import { CONTROLLER_UID_INDEX, byControllerUid } from '../client/indexers.js';
import type { Informer } from '../client/informer.js';
import { CONTROLLERREVISIONS, DAEMONSETS, NODES, PODS, isNotFound, objectKey, type KubeClient } from '../client/kube-client.js';
import { WorkQueue, runWorkers } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { ControllerHistory, controllerRefTo, hashOfRevision, REVISION_HASH_LABEL } from './history/controller-history.js';
import { isFailed, isPodAvailable, isPodReady, isTerminating, msUntilAvailable } from './history/pod-state.js';
import { Expectations } from './daemon-set/creation-expectations.js';
import { FailedPodBackoff } from './daemon-set/failed-pod-backoff.js';
import { newDaemonPod, targetNodeOf } from './daemon-set/daemon-pod-template.js';
import { planRollingUpdate } from './daemon-set/daemon-rolling-update.js';
import { computeDaemonSetStatus, type DaemonSetStatusT } from './daemon-set/daemon-set-status.js';
import { nodeShouldRunDaemonPod } from './daemon-set/node-eligibility.js';

const NAME = 'daemonset';
const COMPONENT = 'daemonset-controller';
/** upstream BurstReplicas: the most pods created or deleted in one sync. */
const BURST_REPLICAS = 250;

class DaemonSetController implements Controller {
  readonly name = NAME;
  private readonly client: KubeClient;
  private readonly sets: Informer<DaemonSetObject>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly history: ControllerHistory;
  private readonly recorder: EventRecorder;
  private readonly expectations: Expectations;
  private readonly failedBackoff: FailedPodBackoff;
  private readonly queue = new WorkQueue<string>();
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.recorder = ctx.recorder(COMPONENT);
    this.expectations = new Expectations(() => ctx.now());
    this.failedBackoff = new FailedPodBackoff(() => ctx.now());
    this.sets = ctx.informers.informerFor<DaemonSetObject>(DAEMONSETS);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.history = new ControllerHistory(ctx.client, ctx.informers.informerFor<ControllerRevisionObject>(CONTROLLERREVISIONS), 'DaemonSet');
    this.pods.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.sets.addHandler({
      onAdd: (s) => this.queue.add(objectKey(s)),
      onUpdate: (_o, s) => this.queue.add(objectKey(s)),
      onDelete: (s) => {
        this.expectations.forget(objectKey(s));
        this.queue.add(objectKey(s));
      },
    });
    this.pods.addHandler({
      onAdd: (p) => {
        const key = this.ownerKey(p);
        if (key) this.expectations.creationObserved(key);
        this.enqueueForPod(p);
      },
      onUpdate: (o, p) => {
        this.enqueueForPod(p);
        if (controllerOf(o)?.uid !== controllerOf(p)?.uid) this.enqueueForPod(o);
      },
      onDelete: (p) => {
        const key = this.ownerKey(p);
        if (key) this.expectations.deletionObserved(key, p.metadata.uid ?? '');
        this.enqueueForPod(p);
      },
    });
    const allSets = () => {
      for (const s of this.sets.store.list()) this.queue.add(objectKey(s));
    };
    this.nodes.addHandler({
      onAdd: allSets,
      onUpdate: (o, n) => {
        if (nodeChangeMatters(o, n)) allSets();
      },
      onDelete: allSets,
    });
  }

  run(): void {
    const n = workersFor(this.ctx.options, NAME, 2);
    this.stopWorkers = runWorkers(this.queue, n, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`daemonset ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerOf(pod);
    return ref?.kind === 'DaemonSet' ? `${pod.metadata.namespace}/${ref.name}` : undefined;
  }

  private enqueueForPod(pod: Pod): void {
    const ref = controllerOf(pod);
    const ns = pod.metadata.namespace ?? '';
    if (ref) {
      if (ref.kind === 'DaemonSet') this.queue.add(`${ns}/${ref.name}`);
      return;
    }
    if (isTerminating(pod)) return;
    for (const s of this.sets.store.byIndex('namespace', ns)) {
      if (matchesLabels(selectorFromObject(s.spec?.selector), pod.metadata.labels)) this.queue.add(objectKey(s));
    }
  }

  private async sync(key: string): Promise<void> {
    const ds = this.sets.store.get(key);
    if (!ds) {
      this.expectations.forget(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    let selector: Selector;
    try {
      selector = selectorFromObject(ds.spec?.selector);
    } catch (e) {
      this.recorder.event(ds, 'Warning', 'InvalidSelector', `invalid selector: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const pods = await this.claimPods(ds, selector);

    const revisions = this.history.list(ds);
    const collisions = (ds.status as { collisionCount?: number } | undefined)?.collisionCount ?? 0;
    const ensured = await this.history.ensureRevision(ds, revisions, collisions);
    const hash = hashOfRevision(ensured.revision, ds.metadata.name ?? '');

    // Daemon pods by target node, oldest first.
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const node = targetNodeOf(p);
      if (!node) continue;
      const list = byNode.get(node) ?? [];
      list.push(p);
      byNode.set(node, list);
    }
    for (const list of byNode.values()) list.sort(oldestFirst);

    const now = this.ctx.now();
    const nodeViews = this.nodes.store.list().map((node) => {
      const name = node.metadata.name ?? '';
      return { name, node, ...nodeShouldRunDaemonPod(node, ds), pods: byNode.get(name) ?? [] };
    });

    if (this.expectations.satisfied(key)) {
      await this.manage(ds, key, nodeViews, hash);
      if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && this.expectations.satisfied(key)) {
        const shouldRun = new Map(nodeViews.filter((n) => n.shouldRun).map((n) => [n.name, n.pods] as const));
        const plan = planRollingUpdate(ds, shouldRun, hash, shouldRun.size, now);
        await this.createPods(ds, key, plan.createOnNodes, hash);
        await this.deletePods(ds, key, plan.deletePods);
      }
    }

    const status = computeDaemonSetStatus(ds, nodeViews.map((n) => ({ name: n.name, shouldRun: n.shouldRun, pods: n.pods.filter((p) => !isTerminating(p)) })), hash, ensured.collisionCount, now);
    await this.writeStatus(ds, status);

    const live = new Set<string>([ensured.revision.metadata.name ?? '']);
    const liveHashes = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]).filter((h): h is string => !!h));
    for (const r of this.history.list(ds)) if (liveHashes.has(hashOfRevision(r, ds.metadata.name ?? ''))) live.add(r.metadata.name ?? '');
    await this.history.truncateHistory(ds, this.history.list(ds), live, ds.spec?.revisionHistoryLimit ?? 10);

    // Pods becoming available after minReadySeconds change the status without any event.
    let wait: number | undefined;
    for (const p of pods) {
      const w = msUntilAvailable(p, ds.spec?.minReadySeconds ?? 0, now);
      if (w !== undefined) wait = Math.min(wait ?? w, w);
    }
    if (wait !== undefined) this.queue.addAfter(key, wait + 10);
  }

  /** upstream manage + podsShouldBeOnNode: create missing daemon pods, delete surplus, failed and misplaced ones. */
  private async manage(ds: DaemonSetObject, key: string, nodes: { name: string; shouldRun: boolean; shouldContinueRunning: boolean; pods: Pod[] }[], hash: string): Promise<void> {
    const create: string[] = [];
    const remove: Pod[] = [];
    const surge = (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && allowsSurge(ds);
    for (const n of nodes) {
      const live = n.pods.filter((p) => !isTerminating(p));
      if (n.shouldRun && n.pods.length === 0) {
        create.push(n.name);
        continue;
      }
      if (!n.shouldContinueRunning) {
        remove.push(...live);
        continue;
      }
      const running: Pod[] = [];
      for (const p of live) {
        if (isFailed(p)) {
          const backoffKey = `${key}/${n.name}`;
          const wait = this.failedBackoff.remaining(backoffKey);
          if (wait > 0) {
            this.queue.addAfter(key, wait);
            continue;
          }
          this.failedBackoff.next(backoffKey);
          this.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${p.metadata.namespace}/${p.metadata.name} on node ${n.name}, will try to kill it`);
          remove.push(p);
        } else if (p.status?.phase === 'Succeeded') remove.push(p);
        else running.push(p);
      }
      // A node whose failed pod is being removed gets its new pod in the sync after the removal.
      if (running.length > 1) remove.push(...(surge ? surplusWithSurge(ds, running, hash, this.ctx.now()) : running.slice(1)));
    }
    await this.createPods(ds, key, create, hash);
    await this.deletePods(ds, key, remove);
  }

  /**
   * Creates pods on `nodeNames` (at most BURST_REPLICAS per sync) in slow-start batches of 1, 2, 4, ...; after a
   * batch with a failure the rest are skipped (their expectations dropped) and the error is returned for a retry.
   */
  private async createPods(ds: DaemonSetObject, key: string, nodeNames: string[], hash: string): Promise<void> {
    const targets = nodeNames.slice(0, BURST_REPLICAS);
    if (targets.length === 0) return;
    this.expectations.expectCreations(key, targets.length);
    const ns = ds.metadata.namespace ?? '';
    let firstError: unknown;
    let pos = 0;
    for (let batch = 1; pos < targets.length; batch *= 2) {
      const chunk = targets.slice(pos, pos + batch);
      pos += chunk.length;
      await Promise.all(
        chunk.map(async (node) => {
          try {
            const pod = await this.client.create<Pod>(PODS, ns, newDaemonPod(ds, node, hash));
            this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
          } catch (e) {
            this.expectations.creationObserved(key);
            this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
            firstError ??= e;
          }
        }),
      );
      if (firstError !== undefined) {
        for (let i = pos; i < targets.length; i++) this.expectations.creationObserved(key);
        throw firstError;
      }
    }
  }

  private async deletePods(ds: DaemonSetObject, key: string, pods: Pod[]): Promise<void> {
    let firstError: unknown;
    await Promise.all(
      pods.slice(0, BURST_REPLICAS).map(async (pod) => {
        this.expectations.expectDeletion(key, pod.metadata.uid ?? '');
        try {
          await this.client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
          this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (e) {
          this.expectations.deletionObserved(key, pod.metadata.uid ?? '');
          if (isNotFound(e)) return;
          this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
          firstError ??= e;
        }
      }),
    );
    if (firstError !== undefined) throw firstError;
  }

  /** The set's pods: those it controls plus adopted orphans matching the selector. */
  private async claimPods(ds: DaemonSetObject, selector: Selector): Promise<Pod[]> {
    const pods = [...this.pods.store.byIndex(CONTROLLER_UID_INDEX, ds.metadata.uid ?? '')];
    for (const p of this.pods.store.byIndex('namespace', ds.metadata.namespace ?? '')) {
      if (controllerOf(p) || isTerminating(p) || !matchesLabels(selector, p.metadata.labels)) continue;
      try {
        pods.push(
          await this.client.patch<Pod>(PODS, p.metadata.namespace ?? '', p.metadata.name ?? '', 'strategic', {
            metadata: { ownerReferences: [controllerRefTo(ds, 'DaemonSet')] },
          }),
        );
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return pods;
  }

  private async writeStatus(ds: DaemonSetObject, status: DaemonSetStatusT): Promise<void> {
    const old = (ds.status ?? {}) as Record<string, unknown>;
    const fields = Object.keys(status) as (keyof DaemonSetStatusT)[];
    if (fields.every((f) => (old[f] ?? 0) === (status[f] ?? 0))) return;
    const copy = structuredClone(ds);
    copy.status = { ...old, ...status };
    try {
      await this.client.update(DAEMONSETS, ds.metadata.namespace ?? '', copy, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/**
 * With surge, a node may keep two daemon pods only while the oldest updated one is not yet available and the
 * oldest old one is ready; every other pod is surplus (an unready old pod beside a new one goes at once).
 * `running` is oldest first.
 */
function surplusWithSurge(ds: DaemonSetObject, running: Pod[], hash: string, nowMs: number): Pod[] {
  const surplus: Pod[] = [];
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const p of running) {
    if (p.metadata.labels?.[REVISION_HASH_LABEL] === hash) {
      if (!oldestNew) {
        oldestNew = p;
        continue;
      }
    } else if (!oldestOld) {
      oldestOld = p;
      continue;
    }
    surplus.push(p);
  }
  if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, nowMs))) surplus.push(oldestOld);
  return surplus;
}

function allowsSurge(ds: DaemonSetObject): boolean {
  const s = ds.spec?.updateStrategy?.rollingUpdate?.maxSurge;
  return s !== undefined && s !== 0 && s !== '0' && s !== '0%';
}

/** upstream podByCreationTimestampAndPhase: bound pods first, then oldest, then by name. */
function oldestFirst(a: Pod, b: Pod): number {
  if (!!a.spec.nodeName !== !!b.spec.nodeName) return a.spec.nodeName ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** Labels, taints, unschedulable or conditions changed: eligibility may have. */
function nodeChangeMatters(o: Node, n: Node): boolean {
  return (
    JSON.stringify(o.metadata.labels ?? {}) !== JSON.stringify(n.metadata.labels ?? {}) ||
    JSON.stringify(o.spec?.taints ?? []) !== JSON.stringify(n.spec?.taints ?? []) ||
    !!o.spec?.unschedulable !== !!n.spec?.unschedulable
  );
}

function controllerOf(o: KObject) {
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export const daemonSetControllerFactory: ControllerFactory = {
  name: NAME,
  create: (ctx) => new DaemonSetController(ctx),
};
