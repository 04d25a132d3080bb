/**
 * A node of the garbage collector's dependency graph (upstream's pkg/controller/garbagecollector/graph.go): one
 * object identified by uid, the owner references it carries and the nodes that name it as owner.
 *
 * A "virtual" node stands for an owner named by some dependent's ownerReference but not (yet) observed through an
 * informer; its identity is taken from that reference (namespace = the dependent's). It becomes observed when an
 * informer reports the object, or is removed once the API confirms the owner does not exist.
 */
import type { KObject, OwnerReference } from '../../api/meta/object.js';
import { parseApiVersion } from '../discovery/api-discovery.js';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for cluster-scoped objects (and virtual owners named by cluster-scoped dependents). */
  namespace: string;
}

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: OwnerReference[] = [];
  /** Seen being deleted (deletionTimestamp set): a one-way trip to removal. */
  beingDeleted = false;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents = false;

  constructor(public identity: ObjectIdentity, public virtual: boolean) {}

  isObserved(): boolean {
    return !this.virtual;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion: true (they hold up foreground deletion). */
  blockingDependents(): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of this.dependents) {
      if (dep.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true)) out.push(dep);
    }
    return out;
  }

  describe(): string {
    const { apiVersion, kind, namespace, name, uid } = this.identity;
    return `[${apiVersion}/${kind}, namespace: ${namespace || '<cluster>'}, name: ${name}, uid: ${uid}]`;
  }
}

export const hasFinalizer = (o: KObject, f: string): boolean => (o.metadata.finalizers ?? []).includes(f);
export const beingDeleted = (o: KObject): boolean => !!o.metadata.deletionTimestamp;

/**
 * True when `o` is (now) being deleted with finalizer `f` and `old` (undefined for a first sighting) was not:
 * upstream's deletionStartsWithFinalizer.
 */
export function deletionStartsWithFinalizer(old: KObject | undefined, o: KObject, f: string): boolean {
  if (!beingDeleted(o) || !hasFinalizer(o, f)) return false;
  return !old || !beingDeleted(old) || !hasFinalizer(old, f);
}

/** An owner reference names `owner` when uid, name, kind and API group agree (the version may differ). */
export function referenceMatchesCoordinates(ref: OwnerReference, owner: ObjectIdentity): boolean {
  return ref.uid === owner.uid && ref.name === owner.name && ref.kind === owner.kind &&
    parseApiVersion(ref.apiVersion).group === parseApiVersion(owner.apiVersion).group;
}

/** The identity a dependent in `namespace` gives its owner through `ref`. */
export const identityOfReference = (ref: OwnerReference, namespace: string): ObjectIdentity =>
  ({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace });

export const sameIdentity = (a: ObjectIdentity, b: ObjectIdentity): boolean =>
  a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;

/**
 * Splits `dependents` of an owner by whether their references to `owner.uid` agree with `owner`'s coordinates
 * (for a namespaced owner, a dependent in another namespace never matches).
 */
export function partitionDependents(dependents: Iterable<GraphNode>, owner: ObjectIdentity): { matching: GraphNode[]; nonMatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonMatching: GraphNode[] = [];
  for (const dep of dependents) {
    let found = false;
    let matches = false;
    for (const ref of dep.owners) {
      if (ref.uid !== owner.uid) continue;
      found = true;
      if (referenceMatchesCoordinates(ref, owner) && (!owner.namespace || dep.identity.namespace === owner.namespace)) matches = true;
    }
    if (found && matches) matching.push(dep);
    else if (found) nonMatching.push(dep);
  }
  return { matching, nonMatching };
}

/** Owner references added, removed, and changed (same uid, different content) between `old` and `next`. */
export function referencesDiffs(old: OwnerReference[], next: OwnerReference[]): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; next: OwnerReference }[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const nextByUid = new Map(next.map((r) => [r.uid, r]));
  const added = next.filter((r) => !oldByUid.has(r.uid));
  const removed = old.filter((r) => !nextByUid.has(r.uid));
  const changed: { old: OwnerReference; next: OwnerReference }[] = [];
  for (const r of next) {
    const o = oldByUid.get(r.uid);
    if (o && JSON.stringify(o) !== JSON.stringify(r)) changed.push({ old: o, next: r });
  }
  return { added, removed, changed };
}
