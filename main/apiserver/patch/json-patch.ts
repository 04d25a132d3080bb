/**
 * RFC 6902 JSON Patch with the semantics and error texts of gopkg.in/evanphx/json-patch.v4, the library
 * kube-apiserver applies `application/json-patch+json` bodies with:
 *  - negative array indices count from the end (v4 enables them);
 *  - `replace` of an absent object member sets it (v4 does not check that the member exists);
 *  - `test` treats a null and an absent member alike;
 *  - errors read like the library's wrapped errors (`<context>: <cause>`).
 * A body that is not a list of operations is a 400; any failure while applying is a 422 that upstream
 * reports with the generic "the server rejected our request..." message (kept as `statusMessage`).
 */
import { GENERIC_UNPROCESSABLE, PatchError } from './errors.js';
import { jsonEqual, jsonKindName } from './go-format.js';
import { cloneJson } from '../../api/meta/object.js';

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

type Container = Record<string, unknown> | unknown[];

class OpError extends Error {}

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodePatch(patch);
  const root: { doc: unknown } = { doc: cloneJson(doc) };
  try {
    for (const op of ops) applyOperation(root, op);
  } catch (e) {
    if (e instanceof OpError) throw new PatchError(e.message, 422, GENERIC_UNPROCESSABLE);
    throw e;
  }
  return root.doc;
}

function decodePatch(patch: unknown): Record<string, unknown>[] {
  if (patch === null || patch === undefined) return [];
  if (!Array.isArray(patch)) {
    throw new PatchError(`json: cannot unmarshal ${jsonKindName(patch)} into Go value of type jsonpatch.Patch`, 400);
  }
  return patch.map((op) => {
    if (op === null) return {};
    if (typeof op !== 'object' || Array.isArray(op)) {
      throw new PatchError(`json: cannot unmarshal ${jsonKindName(op)} into Go value of type jsonpatch.Operation`, 400);
    }
    return op as Record<string, unknown>;
  });
}

function fail(message: string): never {
  throw new OpError(message);
}

function applyOperation(root: { doc: unknown }, op: Record<string, unknown>): void {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      return opAdd(root, op);
    case 'remove':
      return opRemove(root, op);
    case 'replace':
      return opReplace(root, op);
    case 'move':
      return opMove(root, op);
    case 'copy':
      return opCopy(root, op);
    case 'test':
      return opTest(root, op);
    default:
      fail(`Unexpected kind: ${kind}`);
  }
}

/** The decoded string field, or undefined when absent/null (upstream: "missing value"). */
function stringField(op: Record<string, unknown>, name: string): string | undefined {
  const v = op[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`json: cannot unmarshal ${jsonKindName(v)} into Go value of type string`);
  return v;
}

function pathOf(op: Record<string, unknown>, verb: string, wrapCause: boolean): string {
  const path = stringField(op, 'path');
  if (path === undefined) {
    fail(wrapCause ? `${verb} operation failed to decode path: operation missing path field: ${MISSING}` : `${verb} operation failed to decode path: ${MISSING}`);
  }
  return path;
}

function fromOf(op: Record<string, unknown>, verb: string): string {
  const from = stringField(op, 'from');
  if (from === undefined) fail(`${verb} operation failed to decode from: operation, missing from field: ${MISSING}`);
  return from;
}

function value(op: Record<string, unknown>): unknown {
  return op.value === undefined ? null : cloneJson(op.value);
}

function decodeKey(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

/** Walks to the parent of the last token; undefined when any step is missing (evanphx findObject). */
function findObject(root: { doc: unknown }, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: unknown = root.doc;
  if (!isContainer(cur)) return undefined;
  for (const raw of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = get(cur as Container, decodeKey(raw));
    } catch {
      return undefined;
    }
    if (!isContainer(next)) return undefined;
    cur = next;
  }
  return { con: cur as Container, key: decodeKey(split[split.length - 1]!) };
}

function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number.parseInt(key, 10);
}

function invalidIndex(idx: number): never {
  throw new OpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
}

/** Array index with negative indices resolved against `len`; throws for out-of-range. */
function resolveIndex(key: string, len: number): number {
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -len) invalidIndex(idx);
    idx += len;
  }
  if (idx >= len) invalidIndex(idx);
  return idx;
}

/** Member value, or undefined (null counts as absent) for objects; throws for bad array indices. */
function get(con: Container, key: string): unknown {
  if (Array.isArray(con)) return con[resolveIndex(key, con.length)];
  const v = Object.prototype.hasOwnProperty.call(con, key) ? con[key] : undefined;
  return v === null ? undefined : v;
}

function add(con: Container, key: string, val: unknown): void {
  if (!Array.isArray(con)) {
    con[key] = val;
    return;
  }
  if (key === '-') {
    con.push(val);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new OpError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = con.length + 1;
  if (idx >= size || idx < -size) invalidIndex(idx);
  if (idx < 0) idx += size;
  con.splice(idx, 0, val);
}

function remove(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!Object.prototype.hasOwnProperty.call(con, key)) throw new OpError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete con[key];
    return;
  }
  con.splice(resolveIndex(key, con.length), 1);
}

function wrap<T>(context: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OpError) throw new OpError(`${context}: ${e.message}`);
    throw e;
  }
}

function opAdd(root: { doc: unknown }, op: Record<string, unknown>): void {
  const path = pathOf(op, 'add', false);
  const found = findObject(root, path);
  if (!found) fail(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrap(`error in add for path: '${path}'`, () => add(found.con, found.key, value(op)));
}

function opRemove(root: { doc: unknown }, op: Record<string, unknown>): void {
  const path = pathOf(op, 'remove', false);
  const found = findObject(root, path);
  if (!found) fail(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
  wrap(`error in remove for path: '${path}'`, () => remove(found.con, found.key));
}

function opReplace(root: { doc: unknown }, op: Record<string, unknown>): void {
  const path = pathOf(op, 'replace', true);
  const found = findObject(root, path);
  if (!found) fail(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
  const { con, key } = found;
  if (Array.isArray(con)) {
    let idx: number;
    try {
      idx = resolveIndex(key, con.length);
    } catch {
      fail(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
    }
    con[idx] = value(op);
  } else {
    con[key] = value(op);
  }
}

function opMove(root: { doc: unknown }, op: Record<string, unknown>): void {
  const from = fromOf(op, 'move');
  const src = findObject(root, from);
  if (!src) fail(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  const val = wrap(`error in move for path: '${src.key}'`, () => get(src.con, src.key));
  wrap(`error in move for path: '${src.key}'`, () => remove(src.con, src.key));
  const path = pathOf(op, 'move', true);
  const dst = findObject(root, path);
  if (!dst) fail(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  wrap(`error in move for path: '${path}'`, () => add(dst.con, dst.key, val === undefined ? null : val));
}

function opCopy(root: { doc: unknown }, op: Record<string, unknown>): void {
  const from = fromOf(op, 'copy');
  const src = findObject(root, from);
  if (!src) fail(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  const val = wrap(`error in copy for from: '${from}'`, () => get(src.con, src.key));
  if (val === undefined) fail(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
  const path = pathOf(op, 'copy', false);
  const dst = findObject(root, path);
  if (!dst) fail(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
  wrap('error while adding value during copy', () => add(dst.con, dst.key, cloneJson(val)));
}

function opTest(root: { doc: unknown }, op: Record<string, unknown>): void {
  const path = pathOf(op, 'test', true);
  const found = findObject(root, path);
  if (!found) fail(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
  const actual = wrap(`error in test for path: '${path}'`, () => get(found.con, found.key));
  const expected = op.value === undefined ? null : op.value;
  if (actual === undefined ? expected === null : expected !== null && jsonEqual(actual, expected)) return;
  fail(`testing value ${path} failed: test failed`);
}
