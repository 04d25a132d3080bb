/**
 * A set of field paths stored as a trie, the model behind `fieldsV1` (structured-merge-diff fieldpath.Set).
 * A path is a *member* when it is itself in the set; a node with descendants in the set is a *child*.
 * Serialized, members are `{}` leaves and a node that is both carries a `"."` entry after its children.
 * All set operations are exact-path (a member does not imply its descendants).
 *
 * Set operations walk the two tries side by side (keyed by the serialized path element, computed once per
 * node), never re-inserting path by path: managed-fields tracking runs several of them on every write.
 * Sets are values: only the code building a set inserts into it, before handing it out; operations never
 * modify their operands, and their results share unchanged subtrees with them (no copying on every write).
 */
import { comparePathElements, parsePathElement, serializePathElement, type Path, type PathElement } from './path-element.js';

interface Child {
  pe: PathElement;
  set: FieldSet;
}

export class FieldSet {
  private readonly members = new Map<string, PathElement>();
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    if (path.length === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i]!);
    const last = path[path.length - 1]!;
    node.members.set(serializePathElement(last), last);
  }

  /**
   * insert() for a path whose elements' serialized keys are known: the first `n` of `pes`/`keys` (walk stacks).
   */
  insertSteps(pes: readonly PathElement[], keys: readonly string[], n: number): void {
    if (n === 0) return;
    let node: FieldSet = this;
    for (let i = 0; i < n - 1; i++) node = node.descend(pes[i]!, keys[i]!);
    node.members.set(keys[n - 1]!, pes[n - 1]!);
  }

  private descend(pe: PathElement, k = serializePathElement(pe)): FieldSet {
    let c = this.children.get(k);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.children.set(k, c);
    }
    return c.set;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(serializePathElement(path[i]!))?.set;
    return !!node && node.members.has(serializePathElement(path[path.length - 1]!));
  }

  /** The subset below `pe` (paths relative to it). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializePathElement(pe))?.set ?? new FieldSet();
  }

  empty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.empty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    if (other === this || other.empty()) return this;
    if (this.empty()) return other;
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, pe] of other.members) if (!out.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      out.children.set(k, o ? { pe: c.pe, set: c.set.union(o.set) } : c);
    }
    for (const [k, c] of other.children) if (!this.children.has(k)) out.children.set(k, c);
    return out;
  }

  difference(other: FieldSet): FieldSet {
    if (other.members.size === 0 && other.children.size === 0) return this;
    const out = new FieldSet();
    let changed = false;
    for (const [k, pe] of this.members) {
      if (!other.members.has(k)) out.members.set(k, pe);
      else changed = true;
    }
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      const sub = o ? c.set.difference(o.set) : c.set;
      if (sub !== c.set) changed = true;
      if (!sub.empty()) out.children.set(k, sub === c.set ? c : { pe: c.pe, set: sub });
    }
    return changed ? out : this;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (!o) continue;
      const sub = c.set.intersection(o.set);
      if (!sub.empty()) out.children.set(k, { pe: c.pe, set: sub });
    }
    return out;
  }

  /** A set with the same members that shares no nodes with this one (for a caller that will insert into it). */
  copy(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (c.set.empty()) continue;
      out.children.set(k, { pe: c.pe, set: c.set.copy() });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).empty() && other.difference(this).empty();
  }

  /** Every member path, in serialization order (members of a node before its children's). */
  iterate(f: (path: Path) => void, prefix: Path = []): void {
    for (const pe of sorted([...this.members.values()])) f([...prefix, pe]);
    for (const c of sortedChildren(this.children)) c.set.iterate(f, [...prefix, c.pe]);
  }

  paths(): Path[] {
    const out: Path[] = [];
    this.iterate((p) => out.push(p));
    return out;
  }

  /** The fieldsV1 JSON object for this set. */
  toFieldsV1(): Record<string, unknown> {
    return this.emit(false);
  }

  private emit(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys: string[] = [];
    let fieldsOnly = true;
    for (const [k, pe] of this.members) {
      keys.push(k);
      if (!('field' in pe)) fieldsOnly = false;
    }
    for (const [k, c] of this.children) {
      if (this.members.has(k) || c.set.empty()) continue;
      keys.push(k);
      if (!('field' in c.pe)) fieldsOnly = false;
    }
    // Field elements order by name, which is the order of their `f:` keys; others need the element order.
    if (fieldsOnly) keys.sort();
    else keys.sort((a, b) => comparePathElements(this.elementOf(a), this.elementOf(b)));
    for (const k of keys) {
      const c = this.children.get(k);
      out[k] = c && !c.set.empty() ? c.set.emit(this.members.has(k)) : {};
    }
    if (includeSelf && keys.length > 0) out['.'] = {};
    return out;
  }

  private elementOf(k: string): PathElement {
    return this.members.get(k) ?? this.children.get(k)!.pe;
  }

  /** This set without `path` and everything below it (sharing the nodes off that path). */
  withoutSubtree(path: Path): FieldSet {
    if (path.length === 0) return new FieldSet(); // everything is below the root
    return this.without(path, 0);
  }

  private without(path: Path, i: number): FieldSet {
    const k = serializePathElement(path[i]!);
    if (i === path.length - 1) {
      if (!this.members.has(k) && !this.children.has(k)) return this;
      const out = this.shallowCopy();
      out.members.delete(k);
      out.children.delete(k);
      return out;
    }
    const c = this.children.get(k);
    if (!c) return this;
    const sub = c.set.without(path, i + 1);
    if (sub === c.set) return this;
    const out = this.shallowCopy();
    if (sub.empty()) out.children.delete(k);
    else out.children.set(k, { pe: c.pe, set: sub });
    return out;
  }

  private shallowCopy(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, c);
    return out;
  }

  static fromFieldsV1(v: unknown): FieldSet {
    const s = new FieldSet();
    s.read(v);
    return s;
  }

  /**
   * Reads the fieldsV1 object `v` into this node. A `"."` entry makes this node a member of its parent, which
   * the caller records (`true` returned); unknown key prefixes are ignored.
   */
  private read(v: unknown): boolean {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    let self = false;
    for (const k of Object.keys(v)) {
      if (k === '.') {
        self = true;
        continue;
      }
      const pe = parsePathElement(k);
      if (!pe) continue;
      const key = serializePathElement(pe);
      const child = (v as Record<string, unknown>)[k];
      if (!hasKeys(child)) this.members.set(key, pe);
      else if (this.descend(pe, key).read(child)) this.members.set(key, pe);
    }
    return self;
  }
}

function hasKeys(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

function sorted(pes: PathElement[]): PathElement[] {
  return pes.sort(comparePathElements);
}

function sortedChildren(children: Map<string, Child>): Child[] {
  return [...children.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
}
