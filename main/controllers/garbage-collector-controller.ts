/**
 * The garbage collector ("garbage-collector", upstream's pkg/controller/garbagecollector).
 *
 * Monitors every resource the API serves with list, watch and delete (preferred version of each group, found by
 * discovery, re-discovered every 30 s so CRDs added later are covered; events are ignored as upstream) and keeps
 * a dependency graph over ownerReferences (garbage-collector/graph-builder.ts). Workers then:
 * - attemptToDelete: read the object from the API and classify its owners (each GET by the reference's
 *   apiVersion/kind in the dependent's namespace): absent or another uid = dangling; being deleted with
 *   foregroundDeletion = waiting; otherwise solid. With a solid owner, references to dangling and waiting owners
 *   are removed. Without one, the object is deleted — in the foreground if an owner waits for it and it has
 *   dependents itself, else with the policy its own finalizers ask for (orphan / foreground / background).
 *   An owner in foreground deletion loses its `foregroundDeletion` finalizer once no dependent with
 *   blockOwnerDeletion=true is left; until then its blocking dependents are deleted.
 * - attemptToOrphan: an owner deleted with the `orphan` finalizer has its references removed from every
 *   dependent, then the finalizer removed.
 * The API server adds the `orphan` / `foregroundDeletion` finalizers for DeleteOptions.propagationPolicy and
 * removes the object once its last finalizer goes.
 */
import type { KObject } from '../api/meta/object.js';
import type { Informer } from '../client/informer.js';
import { isNotFound, type ResourceRef } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import {
  discoverResources, groupVersionOf, ResourceMapper, supportsVerbs, type DiscoveredResource,
} from './discovery/api-discovery.js';
import { AbsentOwnerCache, GraphBuilder } from './garbage-collector/graph-builder.js';
import {
  FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN, GraphNode, hasFinalizer, type ObjectIdentity,
} from './garbage-collector/graph-node.js';
import { namespaceFor, removeFinalizer, removeOwnerReferences, unblockOwnerReferences } from './garbage-collector/owner-patches.js';
import { everyAligned, type Ticker } from '../timing/aligned-ticker.js';

export const GARBAGE_COLLECTOR = 'garbage-collector';
const EVENT_SOURCE = 'garbage-collector-controller';
/** --concurrent-gc-syncs default. */
const DEFAULT_WORKERS = 20;
/** How often discovery is re-read for new or removed resources (upstream's 30 s resync). */
export const DEFAULT_GC_RESYNC_MS = 30_000;
/** Retry delay of the first discovery when it fails. */
const DISCOVERY_RETRY_MS = 1_000;

/** Resources the collector never monitors (upstream's default ignoredResources). */
const IGNORED = new Set(['|events', 'events.k8s.io|events']);

/** A worker outcome that is not a failure: try the item again later, with backoff, without logging. */
class RequeueLater extends Error {}

/** A cluster-scoped object names a namespaced owner: the reference can never resolve; the item is dropped. */
class NamespacedOwnerOfClusterScopedObject extends Error {}

interface Monitor {
  resource: DiscoveredResource;
  informer: Informer<KObject>;
  dispose(): void;
}

type OwnerClass = 'dangling' | 'waiting' | 'solid';

export class GarbageCollectorController implements Controller {
  readonly name = GARBAGE_COLLECTOR;
  private readonly attemptToDelete = new WorkQueue<GraphNode>();
  private readonly attemptToOrphan = new WorkQueue<GraphNode>();
  private readonly absentOwners = new AbsentOwnerCache();
  readonly graph: GraphBuilder;
  private mapper = new ResourceMapper([]);
  private readonly monitors = new Map<string, Monitor>();
  private stoppers: (() => Promise<void>)[] = [];
  private timer?: NodeJS.Timeout;
  private resync?: Ticker;
  private resyncing = false;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext, private readonly resyncMs = DEFAULT_GC_RESYNC_MS) {
    this.graph = new GraphBuilder({
      attemptToDelete: this.attemptToDelete,
      attemptToOrphan: this.attemptToOrphan,
      absentOwners: this.absentOwners,
      reportInvalidNamespaceOwnerRef: (dep, ownerUid) => this.reportInvalidNamespaceOwnerRef(dep, ownerUid),
    });
  }

  run(): void {
    void this.start().catch((e: unknown) => this.ctx.log(`${GARBAGE_COLLECTOR}: ${String(e)}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.resync?.stop();
    this.attemptToDelete.shutdown();
    this.attemptToOrphan.shutdown();
    // start() may still wait for informers (stopped by the manager after us); it checks `stopped` when it resumes.
    await Promise.all(this.stoppers.map((s) => s()));
    for (const m of this.monitors.values()) m.dispose();
  }

  /** Resources currently monitored, as `group/version/plural` (tests, diagnostics). */
  monitoredResources(): string[] {
    return [...this.monitors.values()].map((m) => `${groupVersionOf(m.resource)}/${m.resource.plural}`).sort();
  }

  private async start(): Promise<void> {
    // The graph must reflect every monitored resource before anything is collected.
    while (!this.stopped) {
      try {
        await this.resyncMonitors();
        break;
      } catch (e) {
        this.ctx.log(`${GARBAGE_COLLECTOR}: discovery failed, retrying: ${String(e)}`);
        await new Promise((r) => (this.timer = setTimeout(r, DISCOVERY_RETRY_MS)));
      }
    }
    await Promise.all([...this.monitors.values()].map((m) => m.informer.start().catch(() => {})));
    if (this.stopped) return;
    const n = workersFor(this.ctx.options, GARBAGE_COLLECTOR, DEFAULT_WORKERS);
    const onError = (node: GraphNode, err: unknown) => {
      if (err instanceof RequeueLater) return;
      this.ctx.log(`${GARBAGE_COLLECTOR}: ${node.describe()}: ${err instanceof Error ? err.message : String(err)}`);
    };
    this.stoppers.push(runWorkers(this.attemptToDelete, n, (node) => this.attemptToDeleteWorker(node), { onError }));
    this.stoppers.push(runWorkers(this.attemptToOrphan, n, (node) => this.attemptToOrphanWorker(node), { onError }));
    this.resync = everyAligned(this.resyncMs, () => {
      if (this.resyncing || this.stopped) return;
      this.resyncing = true;
      this.resyncMonitors()
        .catch((e: unknown) => this.ctx.log(`${GARBAGE_COLLECTOR}: discovery failed: ${String(e)}`))
        .finally(() => (this.resyncing = false));
    });
  }

  /** Re-reads discovery: updates the mapper, adds monitors for new deletable resources, drops vanished ones. */
  private async resyncMonitors(): Promise<void> {
    const { resources, failed } = await discoverResources(this.ctx.client);
    if (this.stopped) return;
    for (const [gv, err] of failed) this.ctx.log(`${GARBAGE_COLLECTOR}: discovery of ${gv} failed: ${err}`);
    this.mapper = new ResourceMapper(resources);
    const wanted = new Map<string, DiscoveredResource>();
    for (const r of resources) {
      if (!r.preferred || !supportsVerbs(r, 'delete', 'list', 'watch') || IGNORED.has(`${r.group}|${r.plural}`)) continue;
      wanted.set(`${groupVersionOf(r)}/${r.plural}`, r);
    }
    for (const [key, m] of this.monitors) {
      // A group version that failed discovery keeps its monitors (it may be back next time).
      if (!wanted.has(key) && !failed.has(groupVersionOf(m.resource))) {
        m.dispose();
        this.monitors.delete(key);
      }
    }
    for (const [key, r] of wanted) if (!this.monitors.has(key)) this.monitors.set(key, this.monitor(r));
  }

  private monitor(resource: DiscoveredResource): Monitor {
    const ref: ResourceRef = { group: resource.group, version: resource.version, plural: resource.plural, namespaced: resource.namespaced };
    const informer = this.ctx.informers.informerFor<KObject>(ref);
    const apiVersion = groupVersionOf(resource);
    const identity = (o: KObject): ObjectIdentity | undefined =>
      o.metadata.uid && o.metadata.name
        ? { apiVersion, kind: resource.kind, name: o.metadata.name, uid: o.metadata.uid, namespace: resource.namespaced ? (o.metadata.namespace ?? '') : '' }
        : undefined;
    const dispose = informer.addHandler({
      onAdd: (o) => {
        const id = identity(o);
        if (id) this.graph.onAddOrUpdate(id, undefined, o);
      },
      onUpdate: (old, o) => {
        const id = identity(o);
        if (id) this.graph.onAddOrUpdate(id, old, o);
      },
      onDelete: (o) => {
        const id = identity(o);
        if (id) this.graph.onDelete(id);
      },
    });
    return { resource, informer, dispose };
  }

  private resourceFor(id: ObjectIdentity): DiscoveredResource {
    const r = this.mapper.resourceFor(id.apiVersion, id.kind);
    if (!r) throw new Error(`unable to get REST mapping for ${id.apiVersion}/${id.kind}`);
    return r;
  }

  // ------------------------------------------------------------------ attemptToDelete

  private async attemptToDeleteWorker(node: GraphNode): Promise<void> {
    if (!node.isObserved()) {
      const inGraph = this.graph.node(node.identity.uid);
      // The real object was observed (or deleted) meanwhile: this virtual node is history.
      if (inGraph !== node || inGraph.isObserved()) return;
    }
    const outcome = await this.attemptToDeleteItem(node);
    if (outcome === 'done' && !node.isObserved()) throw new RequeueLater('not observed yet');
  }

  /** 'forget' when the node needs no more attention (verified absent, invalid reference); 'done' otherwise. */
  private async attemptToDeleteItem(item: GraphNode): Promise<'done' | 'forget'> {
    // Being deleted is a one-way trip: wait for the removal, which then requeues the dependents.
    if (item.beingDeleted && !item.deletingDependents) return 'done';
    const resource = this.resourceFor(item.identity);
    if (resource.namespaced && !item.identity.namespace) {
      this.ctx.log(`${GARBAGE_COLLECTOR}: ${item.describe()} is namespaced but named by a cluster-scoped dependent; ignoring`);
      return 'forget';
    }
    let latest: KObject;
    try {
      latest = await this.ctx.client.get<KObject>(resource, namespaceFor(resource, item.identity), item.identity.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.graph.onVirtualDelete(item.identity);
      return 'forget';
    }
    if (latest.metadata.uid !== item.identity.uid) {
      this.graph.onVirtualDelete(item.identity);
      return 'forget';
    }
    if (item.deletingDependents) {
      await this.processDeletingDependentsItem(item, resource);
      return 'done';
    }
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return 'done';

    let classes: OwnerClass[];
    try {
      classes = await Promise.all(refs.map((ref) => this.classifyOwner(item, ref)));
    } catch (e) {
      if (!(e instanceof NamespacedOwnerOfClusterScopedObject)) throw e;
      this.ctx.log(`${GARBAGE_COLLECTOR}: ${e.message}; not collecting it`);
      return 'forget';
    }
    const solid = refs.filter((_, i) => classes[i] === 'solid');
    const dangling = refs.filter((_, i) => classes[i] === 'dangling');
    const waiting = refs.filter((_, i) => classes[i] === 'waiting');

    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return 'done';
      // References to waiting owners go too, or those owners would wait for this object forever.
      await removeOwnerReferences(this.ctx.client, resource, item.identity, [...dangling, ...waiting].map((r) => r.uid));
      return 'done';
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      for (const dep of item.dependents) {
        if (dep.deletingDependents) {
          // A possible cycle of foreground deletions: stop blocking the owners, then delete in the foreground.
          await unblockOwnerReferences(this.ctx.client, resource, item.identity);
          break;
        }
      }
      await this.deleteObject(resource, item.identity, 'Foreground');
      return 'done';
    }
    const policy = hasFinalizer(latest, FINALIZER_ORPHAN) ? 'Orphan'
      : hasFinalizer(latest, FINALIZER_DELETE_DEPENDENTS) ? 'Foreground' : 'Background';
    await this.deleteObject(resource, item.identity, policy);
    return 'done';
  }

  /** An owner in foreground deletion: done when no blocking dependent is left, else delete those dependents. */
  private async processDeletingDependentsItem(item: GraphNode, resource: DiscoveredResource): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await removeFinalizer(this.ctx.client, resource, item.identity, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep);
  }

  /** Upstream's isDangling + classifyReferences for one owner reference of `item`. */
  private async classifyOwner(item: GraphNode, ref: { apiVersion: string; kind: string; name: string; uid: string }): Promise<OwnerClass> {
    const clusterKey: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: '' };
    const namespacedKey: ObjectIdentity = { ...clusterKey, namespace: item.identity.namespace };
    if (this.absentOwners.has(clusterKey) || this.absentOwners.has(namespacedKey)) return 'dangling';
    const resource = this.resourceFor(clusterKey);
    if (resource.namespaced && !item.identity.namespace) {
      // A cluster-scoped object cannot have a namespaced owner; such a reference never resolves.
      throw new NamespacedOwnerOfClusterScopedObject(`cluster-scoped ${item.describe()} refers to namespaced owner ${ref.kind} ${ref.name}`);
    }
    const key = resource.namespaced ? namespacedKey : clusterKey;
    let owner: KObject;
    try {
      owner = await this.ctx.client.get<KObject>(resource, key.namespace, ref.name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.absentOwners.add(key);
      return 'dangling';
    }
    if (owner.metadata.uid !== ref.uid) {
      this.absentOwners.add(key);
      return 'dangling';
    }
    return owner.metadata.deletionTimestamp && hasFinalizer(owner, FINALIZER_DELETE_DEPENDENTS) ? 'waiting' : 'solid';
  }

  private async deleteObject(resource: ResourceRef, id: ObjectIdentity, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    try {
      await this.ctx.client.delete(resource, namespaceFor(resource, id), id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  // ------------------------------------------------------------------ attemptToOrphan

  private async attemptToOrphanWorker(owner: GraphNode): Promise<void> {
    const results = await Promise.allSettled([...owner.dependents].map(async (dep) => {
      const resource = this.resourceFor(dep.identity);
      await removeOwnerReferences(this.ctx.client, resource, dep.identity, [owner.identity.uid]);
    }));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw new Error(`orphaning dependents of ${owner.describe()}: ${failures.map((f) => String(f.reason)).join('; ')}`);
    }
    await removeFinalizer(this.ctx.client, this.resourceFor(owner.identity), owner.identity, FINALIZER_ORPHAN);
  }

  private reportInvalidNamespaceOwnerRef(dep: GraphNode, ownerUid: string): void {
    const ref = dep.owners.find((o) => o.uid === ownerUid);
    if (!ref) return;
    const { apiVersion, kind, name, namespace, uid } = dep.identity;
    this.ctx.recorder(EVENT_SOURCE).event(
      { apiVersion, kind, metadata: { name, namespace: namespace || undefined, uid } },
      'Warning', 'OwnerRefInvalidNamespace',
      `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${namespace}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${namespace}"`,
    );
  }
}

/** A garbage collector re-reading discovery every `resyncMs` (tests). */
export function garbageCollectorControllerFactoryWith(resyncMs: number): ControllerFactory {
  return { name: GARBAGE_COLLECTOR, create: (ctx) => new GarbageCollectorController(ctx, resyncMs) };
}

export const garbageCollectorControllerFactory: ControllerFactory = garbageCollectorControllerFactoryWith(DEFAULT_GC_RESYNC_MS);
