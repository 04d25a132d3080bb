/**
 * Server-side apply (`application/apply-patch+yaml`), after structured-merge-diff's Updater.Apply and
 * apimachinery's field-manager chain:
 *  1. merge the configuration into the live object (schema-aware: associative lists by key, sets by
 *     value, atomic lists/maps replaced);
 *  2. the applier now owns exactly the fields its configuration sets;
 *  3. prune: fields the applier set last time but omits now are removed, unless another applier owns them;
 *  4. conflicts: fields whose value changes and that another manager owns → 409, unless `force`, which
 *     moves them to the applier; fields the change removes leave every other manager;
 *  5. for manager "kubectl", conflicts only on fields that still match the client-side
 *     `last-applied-configuration` are forced (the CSA → SSA upgrade path), and that annotation is kept
 *     in sync with what was applied.
 * The entry's time only moves when the object actually changed.
 */
import { cloneJson, isObject, type KObject } from '../../api/meta/object.js';
import type { Schema } from '../../api/schema/schema.js';
import { ApplyConflictError, PatchError, type ApplyConflict } from './errors.js';
import { jsonEqual } from './go-format.js';
import { pathString, type Path } from './fieldpath/path-element.js';
import { FieldSet } from './fieldpath/set.js';
import { compareObjects, mergeObjects, removeItems, toFieldSet } from './fieldpath/typed.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  filterPrefixes,
  managerIdentifier,
  printManager,
  stripMeta,
  withoutManagedFields,
  type Managed,
} from './managed-fields.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ServerSideApplyArgs {
  live: KObject | undefined;
  applied: KObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  time: string;
  schema: Schema | undefined;
  /** Field paths the strategy resets for this endpoint (e.g. [['status']]); never owned by the applier. */
  resetFields?: string[][];
}

export function serverSideApply(args: ServerSideApplyArgs): KObject {
  const { live, applied, manager, apiVersion } = args;
  if (!isObject(applied)) throw new PatchError('error decoding YAML: object expected', 400);
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw new PatchError('metadata.managedFields must be nil', 400);
  }
  if ((applied.apiVersion ?? '') !== apiVersion) {
    throw new PatchError(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${apiVersion}`,
      400,
    );
  }
  let managed: Managed;
  try {
    managed = decodeManagedFields(live?.metadata?.managedFields);
  } catch (e) {
    throw new PatchError(`failed to decode managed fields: ${(e as Error).message}`, 500);
  }

  let result: { object: Record<string, unknown>; managed: Managed; changed: boolean };
  try {
    result = applyOnce(args, managed, args.force);
  } catch (e) {
    if (!(e instanceof ConflictPaths) || manager !== 'kubectl' || !live) throw e;
    const allowed = allowedConflictsFromLastApplied(live, args);
    if (!allowed) throw e;
    const remaining = e.paths.filter((p) => !allowed.has(p.path));
    if (remaining.length > 0) throw conflictError(remaining);
    result = applyOnce(args, managed, true);
  }

  const id = managerIdentifier({ manager, operation: 'Apply' });
  // Cloned: merging shares untouched subtrees with the live object, which callers must not see mutated.
  const object = cloneJson(result.changed ? result.object : withoutManagedFields(live)) as KObject;
  if (result.changed) {
    const entry = result.managed.get(id);
    if (entry) entry.time = args.time;
  }
  if (manager === 'kubectl' && live?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
    object.metadata = { ...object.metadata, annotations: { ...object.metadata?.annotations, [LAST_APPLIED_ANNOTATION]: buildLastApplied(applied) } };
  }
  const entries = encodeManagedFields(result.managed);
  object.metadata = { ...object.metadata };
  if (entries.length > 0) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
  return object;
}

class ConflictPaths extends ApplyConflictError {
  constructor(
    message: string,
    conflicts: ApplyConflict[],
    readonly paths: { id: string; path: Path }[],
  ) {
    super(message, conflicts);
  }
}

function applyOnce(
  args: ServerSideApplyArgs,
  before: Managed,
  force: boolean,
): { object: Record<string, unknown>; managed: Managed; changed: boolean } {
  const { schema, manager, apiVersion } = args;
  const managed: Managed = new Map([...before].map(([k, e]) => [k, { ...e, set: e.set.copy() }]));
  const live = withoutManagedFields(args.live);
  const config = cloneJson(args.applied) as Record<string, unknown>;
  const id = managerIdentifier({ manager, operation: 'Apply' });

  const merged = mergeObjects(live, config, schema) as Record<string, unknown>;
  const lastSet = managed.get(id)?.set;
  const configSet = stripMeta(filterPrefixes(toFieldSet(config, schema, true), args.resetFields));
  const previous = managed.get(id);
  managed.set(id, { manager, operation: 'Apply', apiVersion, set: configSet, ...(previous?.time ? { time: previous.time } : {}) });

  const object = prune(merged, managed, lastSet, schema) as Record<string, unknown>;

  const c = compareObjects(live, object, schema);
  const changed = filterPrefixes(c.modified.union(c.added), args.resetFields);
  const conflicts: { id: string; path: Path }[] = [];
  for (const [other, e] of managed) {
    if (other === id) continue;
    e.set.intersection(changed).iterate((path) => conflicts.push({ id: other, path }));
  }
  if (!force && conflicts.length > 0) throw conflictError(conflicts);
  for (const [other, e] of managed) {
    if (other === id) continue;
    e.set = e.set.difference(changed).difference(c.removed);
    if (e.set.empty()) managed.delete(other);
  }
  if (configSet.empty()) managed.delete(id);
  return { object, managed, changed: !jsonEqual(live, object) };
}

/** Removes what the applier owned last time and no applier owns now (smd Updater.prune). */
function prune(merged: unknown, managed: Managed, lastSet: FieldSet | undefined, schema: Schema | undefined): unknown {
  if (!lastSet || lastSet.empty()) return merged;
  let pruned = removeItems(merged, lastSet, schema);
  let owned = new FieldSet();
  for (const e of managed.values()) if (e.operation === 'Apply') owned = owned.union(e.set);
  const mergedSet = toFieldSet(merged, schema);
  pruned = removeItems(merged, mergedSet.difference(toFieldSet(pruned, schema).union(owned)), schema);
  return removeItems(merged, mergedSet.difference(toFieldSet(pruned, schema)).intersection(lastSet), schema);
}

function conflictError(conflicts: { id: string; path: Path }[]): ConflictPaths {
  const ids = [...new Set(conflicts.map((c) => c.id))].sort();
  const ordered = ids.flatMap((id) => conflicts.filter((c) => c.id === id));
  let message: string;
  if (ordered.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(ordered[0]!.id)}: ${pathString(ordered[0]!.path)}`;
  } else {
    const lines: string[] = [];
    for (const id of ids) {
      lines.push(`conflicts with ${printManager(id)}:`);
      for (const c of ordered) if (c.id === id) lines.push(`- ${pathString(c.path)}`);
    }
    message = `Apply failed with ${ordered.length} conflicts: ${lines.join('\n')}`;
  }
  return new ConflictPaths(
    message,
    ordered.map((c) => ({ manager: printManager(c.id), field: pathString(c.path) })),
    ordered,
  );
}

/** Fields whose live value still equals the client-side last-applied configuration. */
function allowedConflictsFromLastApplied(live: KObject, args: ServerSideApplyArgs): FieldSet | undefined {
  const text = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== args.apiVersion) return undefined;
  const set = toFieldSet(last, args.schema);
  const c = compareObjects(last, withoutManagedFields(live), args.schema);
  return set.difference(c.modified).difference(c.added).difference(c.removed);
}

/** The annotation value kubectl would write: the applied object without the annotation, keys sorted, plus "\n". */
function buildLastApplied(applied: KObject): string {
  const copy = cloneJson(applied);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}
