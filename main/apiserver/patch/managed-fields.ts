/**
 * `metadata.managedFields` bookkeeping, after apimachinery's managedfields package.
 *
 * Entries are keyed by a manager identifier — the JSON of {manager, operation, apiVersion (Update only),
 * subresource} — so one manager has separate entries per operation, per subresource and (for Update) per
 * API version. Encoded entries are sorted Apply before Update, then by time, manager, apiVersion,
 * subresource. Paths that never belong to anyone (apiVersion, kind, metadata.name/namespace/uid/...)
 * are stripped from what the current manager gains, and managedFields are never tracked for themselves.
 */
import type { KObject, ManagedFieldsEntry } from '../../api/meta/object.js';
import { deref, type Schema } from '../../api/schema/schema.js';
import { isObject } from '../../api/meta/object.js';
import { FieldSet } from './fieldpath/set.js';
import type { Path } from './fieldpath/path-element.js';
import { pathString } from './fieldpath/path-element.js';
import { compareObjects } from './fieldpath/typed.js';
import { schemaNode } from './fieldpath/schema-node.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Entries by manager identifier. */
export type Managed = Map<string, ManagerEntry>;

const STRIP: Path[] = [
  [{ field: 'apiVersion' }],
  [{ field: 'kind' }],
  [{ field: 'metadata' }],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f): Path => [{ field: 'metadata' }, { field: f }],
  ),
];
const STRIP_SET = FieldSet.of(...STRIP);

export function managerIdentifier(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  const o: Record<string, string> = {};
  if (e.manager) o.manager = e.manager;
  if (e.operation) o.operation = e.operation;
  if (e.operation !== 'Apply' && e.apiVersion) o.apiVersion = e.apiVersion;
  if (e.subresource) o.subresource = e.subresource;
  return JSON.stringify(o);
}

/** How conflict messages name a manager: `"kubectl"`, `"x" using apps/v1`, `"x" with subresource "scale" using autoscaling/v1`. */
export function printManager(id: string): string {
  let e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string; time?: string };
  try {
    e = JSON.parse(id) as typeof e;
  } catch {
    return JSON.stringify(id);
  }
  let s = JSON.stringify(e.manager ?? '');
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += e.time ? ` using ${e.apiVersion ?? ''} at ${e.time}` : ` using ${e.apiVersion ?? ''}`;
  return s;
}

/** Decodes managedFields; throws on entries upstream cannot decode (caller decides the fallback). */
export function decodeManagedFields(entries: ManagedFieldsEntry[] | undefined): Managed {
  const out: Managed = new Map();
  for (const e of entries ?? []) {
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType ?? '')}`);
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new Error(`invalid operation ${JSON.stringify(e.operation ?? '')}`);
    const id = managerIdentifier(e);
    if (out.has(id)) throw new Error(`duplicate manager ${id}`);
    const entry: ManagerEntry = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion ?? '',
      set: FieldSet.fromFieldsV1(e.fieldsV1 ?? {}),
    };
    if (e.subresource) entry.subresource = e.subresource;
    if (e.time) entry.time = e.time;
    out.set(id, entry);
  }
  return out;
}

export function decodeOrEmpty(entries: ManagedFieldsEntry[] | undefined): Managed {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const entries = [...managed.values()].filter((e) => !e.set.empty());
  const seconds = (t?: string): number => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const lt = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  entries.sort(
    (p, q) =>
      lt(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      lt(p.manager, q.manager) ||
      lt(p.apiVersion, q.apiVersion) ||
      lt(p.subresource ?? '', q.subresource ?? ''),
  );
  return entries.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.set.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** A client resets tracking by sending `managedFields: []` or `[{}]`. */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isObject(entries[0]) && Object.keys(entries[0]).length === 0;
}

/** The object without managedFields (they are never part of the compared content). */
export function withoutManagedFields(obj: KObject | undefined): Record<string, unknown> {
  if (!obj) return {};
  const { managedFields: _mf, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

export function stripMeta(set: FieldSet): FieldSet {
  return set.difference(STRIP_SET);
}

/** Drops every path under one of `prefixes` (fields a strategy resets, e.g. `status` on the main resource). */
export function filterPrefixes(set: FieldSet, prefixes: string[][] | undefined): FieldSet {
  if (!prefixes?.length) return set;
  let out = set;
  for (const pre of prefixes) out = out.withoutSubtree(pre.map((field) => ({ field })));
  return out;
}

/**
 * Stand-in for the live object upstream compares a created object against: Go's zero value of the type,
 * where nested structs are present (empty) and required lists/maps are null (not omitted), so that
 * creating an object only marks as "added nodes" the optional maps and lists it fills. (Pointer structs,
 * which upstream would mark, cannot be told apart from value structs in the schema; none are marked.)
 */
export function zeroObject(v: unknown, schema: Schema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const s = deref(schema);
  const node = schemaNode(schema, v);
  if (node.t !== 'map' || node.atomic || !isObject(v) || !s?.properties) return out;
  for (const [k, val] of Object.entries(v)) {
    const f = node.field(k);
    if (!f.declared) continue;
    const child = schemaNode(f.schema, val);
    const struct = child.t === 'map' && !child.atomic && !!deref(f.schema)?.properties;
    if (struct && isObject(val)) out[k] = zeroObject(val, f.schema);
    else if ((child.t === 'list' || child.t === 'map') && s.required?.includes(k)) out[k] = null;
  }
  return out;
}

export interface UpdateManagedFieldsArgs {
  previous: KObject | undefined;
  next: KObject;
  manager: string;
  subresource?: string;
  apiVersion: string;
  time: string;
  schema: Schema | undefined;
  /** Field paths the strategy resets for this endpoint (e.g. [['status']]); never owned by the writer. */
  resetFields?: string[][];
}

/**
 * Managed fields after an Update operation (create, update, any non-apply patch): the writer gains the
 * fields it added or changed, every other entry loses them and loses removed fields, empty entries vanish.
 * The result is meant to replace `next.metadata.managedFields`.
 */
export function updateManagedFields(args: UpdateManagedFieldsArgs): ManagedFieldsEntry[] {
  const { previous, next, manager, subresource, apiVersion, time, schema } = args;
  let managed: Managed;
  const sent = next.metadata?.managedFields;
  if (subresource) managed = decodeOrEmpty(previous?.metadata?.managedFields);
  else if (isResetManagedFields(sent)) managed = new Map();
  else {
    managed = decodeOrEmpty(sent);
    if (managed.size === 0) managed = decodeOrEmpty(previous?.metadata?.managedFields);
  }

  const nextObj = withoutManagedFields(next);
  const prevObj = previous ? withoutManagedFields(previous) : zeroObject(nextObj, schema);
  const c = compareObjects(prevObj, nextObj, schema);
  const changed = filterPrefixes(c.modified.union(c.added), args.resetFields);
  const removed = c.removed;

  for (const [id, e] of managed) {
    e.set = e.set.difference(changed).difference(removed);
    if (e.set.empty()) managed.delete(id);
  }
  const gained = stripMeta(changed);
  if (!gained.empty()) {
    const id = managerIdentifier({ manager, operation: 'Update', apiVersion, subresource });
    const prev = managed.get(id);
    const entry: ManagerEntry = { manager, operation: 'Update', apiVersion, time, set: prev ? gained.union(prev.set) : gained };
    if (subresource) entry.subresource = subresource;
    managed.set(id, entry);
  }
  return encodeManagedFields(managed);
}

/** Every path of a fieldsV1 object, printed as upstream prints paths (e.g. `.spec.replicas`). */
export function fieldsToPaths(fieldsV1: unknown): string[] {
  return FieldSet.fromFieldsV1(fieldsV1).paths().map(pathString);
}
