/**
 * Schema-aware operations on JSON objects, after structured-merge-diff's typed package:
 *  - toFieldSet: the fields a (partial) object sets — what an applier owns;
 *  - compareObjects: added / removed / modified paths between two versions — what an updater changed;
 *  - mergeObjects: server-side-apply merge of a configuration into a live object;
 *  - removeItems: drop the given paths (fields and list items) from an object.
 */
import { cloneJson, isObject } from '../../../api/meta/object.js';
import type { Schema } from '../../../api/schema/schema.js';
import { jsonEqual } from '../go-format.js';
import { PatchError } from '../errors.js';
import { fieldStep, keyElement, pathString, serializePathElement, type Path, type PathElement } from './path-element.js';
import { FieldSet } from './set.js';
import { schemaNode, type SchemaNode } from './schema-node.js';
import { deref } from '../../../api/schema/schema.js';

type ListNode = Extract<SchemaNode, { t: 'list' }>;

/**
 * The path element of list item `i`. Associative items use their key fields (a missing key falls back
 * to the item schema's default); with `strict`, a key that is missing and has no default is an error, as
 * it is for apply configurations upstream. Items that cannot be keyed fall back to their index.
 */
export function listItemElement(node: ListNode, item: unknown, i: number, path: Path, strict: boolean): PathElement {
  if (node.rel === 'set' && (item === null || typeof item !== 'object')) return { value: item };
  if (node.rel === 'map' && isObject(item)) {
    const pairs: [string, unknown][] = [];
    const props = deref(node.item)?.properties ?? {};
    for (const k of node.keys) {
      if (Object.prototype.hasOwnProperty.call(item, k) && item[k] !== null) pairs.push([k, item[k]]);
      else if (deref(props[k])?.default !== undefined || props[k]?.default !== undefined) {
        pairs.push([k, props[k]?.default ?? deref(props[k])?.default]);
      } else if (strict) {
        throw new PatchError(
          `${pathString(path)}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
          500,
        );
      }
    }
    if (pairs.length > 0) return keyElement(pairs);
  }
  return { index: i };
}

export function toFieldSet(value: unknown, schema: Schema | undefined, strict = false): FieldSet {
  const set = new FieldSet();
  walkSet(value, schema, [], set, strict);
  return set;
}

function walkSet(v: unknown, schema: Schema | undefined, path: Path, set: FieldSet, strict: boolean): void {
  const node = schemaNode(schema, v);
  if (node.t === 'scalar') {
    set.insert(path);
  } else if (node.t === 'list') {
    if (node.rel === 'atomic') return set.insert(path);
    if (!Array.isArray(v)) return;
    v.forEach((item, i) => {
      const p = [...path, listItemElement(node, item, i, path, strict)];
      walkSet(item, node.item, p, set, strict);
      set.insert(p);
    });
  } else {
    if (node.atomic) return set.insert(path);
    if (!isObject(v)) return;
    for (const [k, val] of Object.entries(v)) {
      const f = node.field(k);
      const p = [...path, { field: k }];
      walkSet(val, f.schema, p, set, strict);
      if (val === null || (isObject(val) && Object.keys(val).length === 0) || !f.declared) set.insert(p);
    }
  }
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** Paths added, removed and modified going from `lhs` to `rhs` (leaves, list items and absent/new nodes). */
export function compareObjects(lhs: unknown, rhs: unknown, schema: Schema | undefined): Comparison {
  const walk = new CompareWalk();
  walk.compare(lhs, rhs, schema, false);
  return walk.c;
}

function indexList(node: ListNode, list: unknown[], path: Path): Map<string, { pe: PathElement; v: unknown }> {
  const out = new Map<string, { pe: PathElement; v: unknown }>();
  list.forEach((item, i) => {
    const pe = listItemElement(node, item, i, path, false);
    const k = serializePathElement(pe);
    if (!out.has(k)) out.set(k, { pe, v: item });
  });
  return out;
}

function isEmptyMap(m: Record<string, unknown>): boolean {
  for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k)) return false;
  return true;
}

const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const own = (m: Record<string, unknown>, k: string): unknown => (Object.prototype.hasOwnProperty.call(m, k) ? m[k] : undefined);

/**
 * One comparison. The current path is a stack of elements and their serialized keys (pushed and popped as the
 * walk descends), so only paths that land in a result are materialized — this runs on every write.
 */
class CompareWalk {
  readonly c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  private readonly pes: PathElement[] = [];
  private readonly keys: string[] = [];
  private depth = 0;

  private push(pe: PathElement, key: string): void {
    this.pes[this.depth] = pe;
    this.keys[this.depth] = key;
    this.depth++;
  }

  private insert(set: FieldSet): void {
    set.insertSteps(this.pes, this.keys, this.depth);
  }

  private leaf(l: unknown, r: unknown): void {
    if (l === undefined) this.insert(this.c.added);
    else if (r === undefined) this.insert(this.c.removed);
    else if (!jsonEqual(l, r)) this.insert(this.c.modified);
  }

  compare(l: unknown, r: unknown, schema: Schema | undefined, isItem: boolean): void {
    const node = schemaNode(schema, r !== undefined ? r : l);
    const otherKind = l !== undefined && r !== undefined ? schemaNode(schema, l).t : node.t;
    if (node.t === 'scalar' || otherKind !== node.t) return this.leaf(l, r);
    if (node.t === 'list') {
      const la = Array.isArray(l) ? l : [];
      const ra = Array.isArray(r) ? r : [];
      if (node.rel === 'atomic' || (la.length === 0 && ra.length === 0)) return this.leaf(l, r);
      const path = this.pes.slice(0, this.depth);
      const li = indexList(node, la, path);
      const ri = indexList(node, ra, path);
      for (const [k, e] of ri) this.child(e.pe, k, li.get(k)?.v, e.v, node.item, true);
      for (const [k, e] of li) if (!ri.has(k)) this.child(e.pe, k, e.v, undefined, node.item, true);
    } else {
      const lm = isObject(l) ? l : NO_FIELDS;
      const rm = isObject(r) ? r : NO_FIELDS;
      if (node.atomic || (isEmptyMap(lm) && isEmptyMap(rm))) return this.leaf(l, r);
      // Near the root, skip whole subtrees that did not change (spec on a status write): equal values add,
      // remove and modify nothing, and one equality test is much cheaper than the schema-guided walk.
      const shallow = this.depth < 2;
      for (const k of Object.keys(rm)) {
        const lv = own(lm, k);
        const rv = rm[k];
        if (lv !== undefined && rv !== undefined && (lv === rv || (shallow && jsonEqual(lv, rv)))) continue;
        const step = fieldStep(k);
        this.child(step.pe, step.key, lv, rv, node.field(k).schema, false);
      }
      for (const k of Object.keys(lm)) {
        if (Object.prototype.hasOwnProperty.call(rm, k)) continue;
        const step = fieldStep(k);
        this.child(step.pe, step.key, lm[k], undefined, node.field(k).schema, false);
      }
    }
    // Upstream compares typed Go objects, where a struct field is never absent (it is a zero value), so a
    // struct field itself is never added or removed; only maps, lists and list items are.
    if (node.t === 'map' && node.struct && !isItem) return;
    if (l === undefined) this.insert(this.c.added);
    else if (r === undefined) this.insert(this.c.removed);
  }

  private child(pe: PathElement, key: string, l: unknown, r: unknown, schema: Schema | undefined, isItem: boolean): void {
    this.push(pe, key);
    this.compare(l, r, schema, isItem);
    this.depth--;
  }
}

/** Merges `config` into `live` (config wins on leaves; maps and non-atomic lists merge element-wise). */
export function mergeObjects(live: unknown, config: unknown, schema: Schema | undefined): unknown {
  return mergeValue(live, config, schema, []);
}

function mergeValue(l: unknown, r: unknown, schema: Schema | undefined, path: Path): unknown {
  if (r === undefined) return l;
  if (l === undefined || l === null) return cloneJson(r);
  const node = schemaNode(schema, r);
  if (node.t === 'scalar' || schemaNode(schema, l).t !== node.t) return cloneJson(r);
  if (node.t === 'map') {
    if (node.atomic) return cloneJson(r);
    if (!isObject(r)) return l;
    const out: Record<string, unknown> = { ...(l as Record<string, unknown>) };
    for (const [k, v] of Object.entries(r)) out[k] = mergeValue(out[k], v, node.field(k).schema, [...path, { field: k }]);
    return out;
  }
  if (node.rel === 'atomic' || !Array.isArray(r) || !Array.isArray(l)) return cloneJson(r);
  return mergeList(node, l, r, path);
}

/**
 * Associative/set list merge keeping upstream's order: items shared with the config follow the config's
 * order, live-only items keep their place relative to them, config-only items are inserted where they
 * appear in the config.
 */
function mergeList(node: ListNode, lhs: unknown[], rhs: unknown[], path: Path): unknown[] {
  const lIdx = indexList(node, lhs, path);
  const rIdx = indexList(node, rhs, path);
  const lOrder = [...lIdx.keys()];
  const rOrder = [...rIdx.keys()];
  const shared = rOrder.filter((k) => lIdx.has(k));
  let nextShared: string | undefined = shared.shift();
  const out: unknown[] = [];
  const mergeItem = (k: string): void => {
    const le = lIdx.get(k);
    const re = rIdx.get(k);
    const pe = (re ?? le)!.pe;
    out.push(mergeValue(le?.v, re?.v, node.item, [...path, pe]));
  };
  let li = 0;
  let ri = 0;
  while (li < lOrder.length || ri < rOrder.length) {
    if (li < lOrder.length && ri < rOrder.length) {
      const k = lOrder[li]!;
      if (k === rOrder[ri]) {
        mergeItem(k);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rIdx.has(k) && nextShared !== undefined && nextShared !== k) {
        li++;
        continue;
      }
    }
    if (li < lOrder.length) {
      const k = lOrder[li]!;
      if (!rIdx.has(k)) {
        mergeItem(k);
        li++;
        continue;
      }
    }
    if (ri < rOrder.length) {
      const k = rOrder[ri]!;
      mergeItem(k);
      ri++;
      if (nextShared === k) nextShared = shared.shift();
    }
  }
  return out;
}

/** Removes every path of `toRemove` (whole subtrees) from `v`; collections left empty disappear. */
export function removeItems(v: unknown, toRemove: FieldSet, schema: Schema | undefined): unknown {
  const out = removeWalk(v, toRemove, schema, []);
  return out === undefined ? {} : out;
}

/** undefined = nothing left (upstream's nil). */
function removeWalk(v: unknown, toRemove: FieldSet, schema: Schema | undefined, path: Path): unknown {
  const node = schemaNode(schema, v);
  if (node.t === 'scalar') return v;
  if (node.t === 'list') {
    if (!Array.isArray(v) || v.length === 0 || node.rel === 'atomic') return undefined;
    const items: unknown[] = [];
    v.forEach((item, i) => {
      const pe = listItemElement(node, item, i, path, false);
      if (toRemove.has([pe])) return;
      const sub = toRemove.withPrefix(pe);
      const kept = sub.empty() ? item : removeWalk(item, sub, node.item, [...path, pe]);
      items.push(kept === undefined ? null : kept);
    });
    return items.length > 0 ? items : undefined;
  }
  if (!isObject(v) || Object.keys(v).length === 0 || node.atomic) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    const pe = { field: k };
    if (toRemove.has([pe])) continue;
    const sub = toRemove.withPrefix(pe);
    const kept = sub.empty() ? val : removeWalk(val, sub, node.field(k).schema, [...path, pe]);
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
