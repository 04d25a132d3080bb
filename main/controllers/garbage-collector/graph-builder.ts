/**
 * The garbage collector's dependency graph, kept from informer events (upstream's GraphBuilder). Every change is
 * applied synchronously as it arrives (JavaScript runs one handler at a time, which gives upstream's single
 * graph-changes goroutine for free) and decides what the workers must look at:
 * - attemptToDelete: objects whose owners may be gone (dependents of a deleted owner, virtual owners to verify
 *   against the API, owners waiting in foreground deletion whose blocking dependents changed);
 * - attemptToOrphan: owners being deleted with the `orphan` finalizer.
 */
import type { KObject, OwnerReference } from '../../api/meta/object.js';
import type { WorkQueue } from '../../client/work-queue.js';
import {
  beingDeleted, deletionStartsWithFinalizer, FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN, GraphNode, hasFinalizer,
  identityOfReference, partitionDependents, referencesDiffs, sameIdentity, type ObjectIdentity,
} from './graph-node.js';

/** Remembers owners verified absent (upstream's 500-entry LRU), so siblings need not ask the API again. */
export class AbsentOwnerCache {
  private readonly entries = new Map<string, true>();
  constructor(private readonly capacity = 500) {}

  private static key(id: Pick<ObjectIdentity, 'apiVersion' | 'kind' | 'name' | 'uid' | 'namespace'>): string {
    return [id.uid, id.apiVersion, id.kind, id.namespace, id.name].join('|');
  }

  add(id: ObjectIdentity): void {
    const k = AbsentOwnerCache.key(id);
    this.entries.delete(k);
    this.entries.set(k, true);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const k = AbsentOwnerCache.key(id);
    if (!this.entries.has(k)) return false;
    this.entries.delete(k);
    this.entries.set(k, true);
    return true;
  }
}

export interface GraphBuilderDeps {
  attemptToDelete: WorkQueue<GraphNode>;
  attemptToOrphan: WorkQueue<GraphNode>;
  absentOwners: AbsentOwnerCache;
  /** A dependent names an owner in another namespace (upstream's OwnerRefInvalidNamespace warning). */
  reportInvalidNamespaceOwnerRef(dependent: GraphNode, ownerUid: string): void;
}

export class GraphBuilder {
  private readonly uidToNode = new Map<string, GraphNode>();

  constructor(private readonly deps: GraphBuilderDeps) {}

  node(uid: string): GraphNode | undefined {
    return this.uidToNode.get(uid);
  }

  get size(): number {
    return this.uidToNode.size;
  }

  /** An object added or updated, as seen by the informer of its resource; `identity` is derived from it. */
  onAddOrUpdate(identity: ObjectIdentity, old: KObject | undefined, obj: KObject): void {
    let existing = this.uidToNode.get(identity.uid);
    if (existing && existing.virtual) {
      // First sighting of an owner known so far only from references: its observed coordinates win.
      if (!sameIdentity(identity, existing.identity)) {
        const { nonMatching } = partitionDependents(existing.dependents, identity);
        for (const dep of nonMatching) {
          if (identity.namespace && dep.identity.namespace !== identity.namespace) this.deps.reportInvalidNamespaceOwnerRef(dep, identity.uid);
          this.deps.attemptToDelete.add(dep);
        }
        existing.identity = identity;
      }
      existing.virtual = false;
    }
    const owners = obj.metadata.ownerReferences ?? [];
    if (!existing) {
      const node = new GraphNode(identity, false);
      node.owners = owners;
      node.beingDeleted = beingDeleted(obj);
      node.deletingDependents = node.beingDeleted && hasFinalizer(obj, FINALIZER_DELETE_DEPENDENTS);
      this.uidToNode.set(identity.uid, node);
      this.addDependentToOwners(node, owners);
      this.processTransitions(old, obj, node);
      return;
    }
    const { added, removed, changed } = referencesDiffs(existing.owners, owners);
    if (added.length || removed.length || changed.length) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = owners;
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (beingDeleted(obj)) existing.beingDeleted = true;
    this.processTransitions(old, obj, existing);
  }

  /** An object deleted, as seen by its informer. */
  onDelete(identity: ObjectIdentity): void {
    const existing = this.uidToNode.get(identity.uid);
    if (!existing) return;
    this.removeAndRequeue(existing, identity);
  }

  /**
   * The API confirmed that `identity` does not exist (a GET found nothing, or an object with another uid):
   * upstream's virtual delete event. A node observed through an informer is never removed this way; a virtual
   * node is kept while some dependents name it with other coordinates, which are then tried instead.
   */
  onVirtualDelete(identity: ObjectIdentity): void {
    const existing = this.uidToNode.get(identity.uid);
    if (!existing) return;
    let remove = true;
    if (existing.virtual) {
      const { matching, nonMatching } = partitionDependents(existing.dependents, identity);
      if (nonMatching.length > 0) {
        remove = false;
        if (matching.length > 0) {
          this.deps.absentOwners.add(identity);
          for (const dep of matching) this.deps.attemptToDelete.add(dep);
        }
        if (sameIdentity(existing.identity, identity)) {
          const alternative = alternateOwnerIdentity(nonMatching, identity);
          if (alternative) {
            existing.identity = alternative;
            this.deps.attemptToDelete.addRateLimited(existing);
          }
        }
      }
    } else if (!sameIdentity(existing.identity, identity)) {
      remove = false;
      const { matching } = partitionDependents(existing.dependents, identity);
      if (matching.length > 0) {
        this.deps.absentOwners.add(identity);
        for (const dep of matching) this.deps.attemptToDelete.add(dep);
      }
    }
    if (remove) this.removeAndRequeue(existing, identity);
  }

  private removeAndRequeue(node: GraphNode, deletedIdentity: ObjectIdentity): void {
    this.uidToNode.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size > 0) this.deps.absentOwners.add(deletedIdentity);
    for (const dep of node.dependents) this.deps.attemptToDelete.add(dep);
    for (const ref of node.owners) {
      const owner = this.uidToNode.get(ref.uid);
      // An owner in foreground deletion may now have no blocking dependents left.
      if (owner?.deletingDependents) this.deps.attemptToDelete.add(owner);
    }
  }

  private addDependentToOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) {
      let owner = this.uidToNode.get(ref.uid);
      if (!owner) {
        // An owner not seen yet: a virtual node the workers verify against the API.
        owner = new GraphNode(identityOfReference(ref, node.identity.namespace), true);
        this.uidToNode.set(ref.uid, owner);
        owner.dependents.add(node);
        this.deps.attemptToDelete.add(owner);
        continue;
      }
      owner.dependents.add(node);
      if (owner.isObserved() && owner.identity.namespace && owner.identity.namespace !== node.identity.namespace) {
        // A reference to an owner in another namespace can never resolve (owners live in the dependent's
        // namespace): let the worker classify it as dangling.
        this.deps.reportInvalidNamespaceOwnerRef(node, owner.identity.uid);
        this.deps.attemptToDelete.add(node);
      }
    }
  }

  private removeDependentFromOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) this.uidToNode.get(ref.uid)?.dependents.delete(node);
  }

  /** Owners in foreground deletion lose a blocking dependent when a blocking reference is removed or relaxed. */
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: { old: OwnerReference; next: OwnerReference }[]): void {
    const unblocked = [
      ...removed.filter((r) => r.blockOwnerDeletion === true),
      ...changed.filter((c) => c.old.blockOwnerDeletion === true && c.next.blockOwnerDeletion !== true).map((c) => c.next),
    ];
    for (const ref of unblocked) {
      const owner = this.uidToNode.get(ref.uid);
      if (owner?.deletingDependents) this.deps.attemptToDelete.add(owner);
    }
  }

  private processTransitions(old: KObject | undefined, obj: KObject, node: GraphNode): void {
    if (deletionStartsWithFinalizer(old, obj, FINALIZER_ORPHAN)) {
      this.deps.attemptToOrphan.add(node);
      return;
    }
    if (deletionStartsWithFinalizer(old, obj, FINALIZER_DELETE_DEPENDENTS)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.deps.attemptToDelete.add(dep);
      this.deps.attemptToDelete.add(node);
    }
  }
}

/** Upstream's referenceLessThan: kind, apiVersion, namespace, name, uid. */
function identityLess(a: ObjectIdentity, b: ObjectIdentity): boolean {
  for (const k of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) if (a[k] !== b[k]) return a[k] < b[k];
  return false;
}

/**
 * Another identity (than the one verified absent) under which `dependents` name their owner: the first that
 * sorts after the absent one, else the first (so every candidate is tried in turn); undefined when none.
 */
function alternateOwnerIdentity(dependents: GraphNode[], verifiedAbsent: ObjectIdentity): ObjectIdentity | undefined {
  const candidates: ObjectIdentity[] = [];
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== verifiedAbsent.uid) continue;
      const id = identityOfReference(ref, dep.identity.namespace);
      if (!sameIdentity(id, verifiedAbsent) && !candidates.some((c) => sameIdentity(c, id))) candidates.push(id);
    }
  }
  candidates.sort((a, b) => (identityLess(a, b) ? -1 : identityLess(b, a) ? 1 : 0));
  return candidates.find((c) => identityLess(verifiedAbsent, c)) ?? candidates[0];
}
