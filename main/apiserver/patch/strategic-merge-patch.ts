/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied server-side with the
 * semantics of apimachinery's strategicpatch.StrategicMergeMapPatch. Patch metadata that upstream reads
 * from Go struct tags comes from the schema: `x-kubernetes-patch-strategy` ("merge", "replace",
 * "retainKeys", "merge,retainKeys") and `x-kubernetes-patch-merge-key`. Without a schema (or for open
 * objects) every map merges and every list is replaced, i.e. plain JSON merge patch plus directives.
 *
 * Directives: `$patch: replace|delete` on a map, `$patch: delete|replace` as a list element,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`, `null` deletes a key.
 * Ordering of merged lists follows upstream: `$setElementOrder` > order in the patch > order on the server.
 *
 * Deliberate differences from upstream, all about directive text upstream would copy verbatim into new
 * subtrees (where strict decoding would later reject it): a value added where the original has none is
 * itself merged into an empty value, so directives inside it are honoured instead of stored; and a
 * `$deleteFromPrimitiveList/<list>` for a list the original lacks is ignored instead of creating the list.
 */
import { deref, itemSchema, propertySchema, type Schema } from '../../api/schema/schema.js';
import { cloneJson, isObject } from '../../api/meta/object.js';
import { PatchError } from './errors.js';
import { goValue, jsonKindName } from './go-format.js';
import {
  badArgType,
  badPatchFormatForPrimitiveList,
  badPatchFormatForRetainKeys,
  badPatchFormatForSetElementOrderList,
  badPatchType,
  noListOfLists,
  noMergeKey,
  smpFailure,
} from './smp-errors.js';

type JsonMap = Record<string, unknown>;
type ElemKind = 'map' | 'scalar';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PREFIX = '$deleteFromPrimitiveList';
const ORDER_PREFIX = '$setElementOrder';

interface PatchMeta {
  schema: Schema | undefined;
  /** '' (none), 'merge' or 'replace'. */
  strategy: string;
  mergeKey: string;
}

export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: Schema | undefined): unknown {
  if (patch === null || patch === undefined) return cloneJson(doc);
  if (!isObject(patch)) {
    throw new PatchError(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type map[string]interface {}`, 400);
  }
  const original = isObject(doc) ? cloneJson(doc) : {};
  return mergeMap(original, cloneJson(patch), schema);
}

function lookupPatchMeta(schema: Schema | undefined, key: string): PatchMeta {
  const prop = propertySchema(schema, key);
  const target = deref(prop);
  const raw = (prop?.['x-kubernetes-patch-strategy'] ?? target?.['x-kubernetes-patch-strategy'] ?? '') as string;
  const strategies = raw ? raw.split(',').map((s) => s.trim()) : [];
  let strategy = '';
  if (strategies.length === 1) strategy = strategies[0] === 'retainKeys' ? '' : strategies[0]!;
  else if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') strategy = strategies[1]!;
    else if (strategies[1] === 'retainKeys') strategy = strategies[0]!;
    else throw smpFailure(`unexpected patch strategy: [${strategies.join(' ')}]`);
  } else if (strategies.length > 2) throw smpFailure(`unexpected patch strategy: [${strategies.join(' ')}]`);
  const mergeKey = (prop?.['x-kubernetes-patch-merge-key'] ?? target?.['x-kubernetes-patch-merge-key'] ?? '') as string;
  return { schema: prop, strategy, mergeKey };
}

function hasOwn(m: JsonMap, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(m, k);
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: Schema | undefined): JsonMap {
  if (hasOwn(patch, DIRECTIVE)) return handleDirectiveInMergeMap(patch[DIRECTIVE], patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema);

  for (const k of Object.keys(patch)) {
    const patchV = patch[k];
    let key = k;
    let isDeleteList = false;
    if (k.startsWith(DELETE_PREFIX)) {
      key = extractKey(k, DELETE_PREFIX);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const meta = lookupPatchMeta(schema, key);
    if (!hasOwn(original, key)) {
      if (!isDeleteList) original[key] = mergeIntoNothing(patchV, meta);
      continue;
    }
    const ov = original[key];
    if (isObject(ov) && isObject(patchV)) {
      original[key] = meta.strategy === 'replace' ? patchV : mergeMap(ov, patchV, deref(meta.schema));
    } else if (Array.isArray(ov) && Array.isArray(patchV)) {
      original[key] = meta.strategy === 'merge' ? mergeSlice(ov, patchV, meta, isDeleteList) : patchV;
    } else {
      original[key] = mergeIntoNothing(patchV, meta);
    }
  }
  return original;
}

/** A patch value with nothing to merge into: honour its directives rather than storing them. */
function mergeIntoNothing(patchV: unknown, meta: PatchMeta): unknown {
  if (isObject(patchV)) return meta.strategy === 'replace' ? patchV : mergeMap({}, patchV, deref(meta.schema));
  if (Array.isArray(patchV) && meta.strategy === 'merge') {
    return patchV.filter((item) => !(isObject(item) && hasOwn(item, DIRECTIVE)));
  }
  return patchV;
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    if (prefix === DELETE_PREFIX) throw badPatchFormatForPrimitiveList();
    throw badPatchFormatForSetElementOrderList();
  }
  return s.slice(i + 1);
}

/** `$retainKeys`: clear every key of the original that is not listed; the patch may only set listed keys. */
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badPatchFormatForRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PREFIX) || k.startsWith(ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw badPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** Processes each `$setElementOrder/<list>` together with the patch's `<list>`, then drops both from the patch. */
function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, schema: Schema | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(ORDER_PREFIX)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badArgType('slice', order);
    const listKey = extractKey(key, ORDER_PREFIX);
    const foundOriginal = hasOwn(original, listKey);
    const foundPatch = hasOwn(patch, listKey);
    let originalList: unknown[] = [];
    let patchList: unknown[] = [];
    if (foundOriginal) {
      const v = original[listKey];
      if (!Array.isArray(v)) throw badArgType('slice', v);
      originalList = v;
    }
    if (foundPatch) {
      const v = patch[listKey];
      if (!Array.isArray(v)) throw badArgType('slice', v);
      patchList = v;
    }
    const meta = lookupPatchMeta(schema, listKey);
    validatePatchWithSetOrderList(patchList, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = patchList.filter((item) => !(isObject(item) && hasOwn(item, DIRECTIVE)));
    else if (foundOriginal && foundPatch) {
      merged = meta.strategy === 'merge' ? mergeSlice(cloneJson(originalList), patchList, meta, false) : patchList;
    } else continue;

    const [patchItems, serverOnly] = meta.mergeKey
      ? partitionMaps(merged, order, meta.mergeKey)
      : partitionPrimitives(merged, order);
    const kind = sliceElementKind(originalList, patchList);
    original[listKey] = normalizeElementOrder(patchItems, serverOnly, order, originalList, meta.mergeKey, kind);
    delete patch[listKey];
  }
}

/** Every non-deleted patch item must appear in `$setElementOrder`, in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let pi = 0;
  let si = 0;
  while (pi < nonDelete.length && si < order.length) {
    const item = nonDelete[pi];
    if (isObject(item) && hasOwn(item, DIRECTIVE)) {
      pi++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[si], mergeKey)) pi++;
    si++;
  }
  if (pi < nonDelete.length && si >= order.length) {
    throw smpFailure(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${ORDER_PREFIX} list:\n${goValue(order)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left)) throw badArgType('map', left);
  if (!isObject(right)) throw badArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw badArgType('map', v);
    if (v[DIRECTIVE] === 'delete') del.push(v);
    else keep.push(v);
  }
  return [keep, del];
}

/** The common element kind of the lists: maps or scalars. Lists of lists and mixed lists are errors. */
function sliceElementKind(...lists: unknown[][]): ElemKind {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = v === null ? 'nil' : Array.isArray(v) ? 'slice' : typeof v;
      if (prev === undefined) {
        prev = t;
        if (t === 'slice') throw noListOfLists();
      } else if (prev !== t) {
        throw smpFailure(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (prev === undefined) throw smpFailure('no elements in any of the given slices');
  return prev === 'object' ? 'map' : 'scalar';
}

function mergeSlice(original: unknown[], patch: unknown[], meta: PatchMeta, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  const mergeKey = meta.mergeKey;
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = dedupScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw smpFailure('cannot merge lists without merge key for type struct');
    [original, patch] = mergeSliceWithSpecialElements(original as JsonMap[], patch as JsonMap[], mergeKey);
    merged = mergeSliceWithoutSpecialElements([...original] as JsonMap[], patch as JsonMap[], mergeKey, itemSchema(meta.schema));
  }
  const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, patch, mergeKey) : partitionPrimitives(merged, patch);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

/** Applies `$patch: delete` elements and detects `$patch: replace`; returns [original, plain patch items]. */
function mergeSliceWithSpecialElements(original: JsonMap[], patch: JsonMap[], mergeKey: string): [JsonMap[], JsonMap[]] {
  const plain: JsonMap[] = [];
  let replace = false;
  for (const v of patch) {
    if (!hasOwn(v, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const directive = v[DIRECTIVE];
    if (directive === 'delete') {
      if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
      original = original.filter((o) => !(hasOwn(o, mergeKey) && o[mergeKey] === v[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw smpFailure('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, v);
    }
  }
  return replace ? [plain, []] : [original, plain];
}

function mergeSliceWithoutSpecialElements(original: JsonMap[], patch: JsonMap[], mergeKey: string, elem: Schema | undefined): JsonMap[] {
  for (const v of patch) {
    if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    const idx = original.findIndex((o) => {
      if (!isObject(o)) throw smpFailure(`value for key ${original.indexOf(o)} is not a map.`);
      return hasOwn(o, mergeKey) && o[mergeKey] === v[mergeKey];
    });
    if (idx >= 0) original[idx] = mergeMap(original[idx]!, v, deref(elem));
    else original.push(v);
  }
  return original;
}

function dedupScalars(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of list) if (!out.includes(v)) out.push(v);
  return out;
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) (by.includes(v) ? inPatch : serverOnly).push(v);
  return [inPatch, serverOnly];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw badArgType('map', v);
    if (!hasOwn(v, mergeKey)) throw noMergeKey(v, mergeKey);
    const found = by.some((b, i) => {
      if (!isObject(b)) throw smpFailure(`value for key ${i} is not a map.`);
      return hasOwn(b, mergeKey) && b[mergeKey] === v[mergeKey];
    });
    (found ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Position of `v` in `list`, comparing merge-key values for maps and the values themselves otherwise. */
function indexIn(list: unknown[], v: unknown, mergeKey: string, kind: ElemKind): number {
  const key = (x: unknown): unknown => (kind === 'map' ? (isObject(x) ? x[mergeKey] : undefined) : x);
  const want = key(v);
  return list.findIndex((x) => key(x) === want);
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElemKind): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const l of [toSort, order]) {
      for (const item of l) {
        if (!isObject(item)) throw badArgType('map', item);
        if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
      }
    }
    [toSort, toDelete] = extractToDeleteItems(toSort);
  }
  const sorted = [...toSort].sort((a, b) => {
    const ia = indexIn(order, a, mergeKey, kind);
    const ib = indexIn(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia - ib : 0;
  });
  return [...sorted, ...toDelete];
}

/**
 * Orders patch items by `patchOrder` and server-only items by `serverOrder`, then interleaves them:
 * a server-only item goes before a patch item when the live list had it first.
 */
function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElemKind,
): unknown[] {
  const right = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
