/**
 * RFC 7386 JSON Merge Patch as evanphx/json-patch v4 `MergePatch` applies it for
 * `application/merge-patch+json`: objects merge recursively, `null` deletes a member, anything else
 * (arrays included) replaces. Nulls inside newly added objects are dropped. A patch that is `null` or a
 * scalar is rejected ("Invalid JSON Patch", 400); an array patch replaces the whole document.
 */
import { PatchError } from './errors.js';
import { cloneJson, isObject } from '../../api/meta/object.js';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return pruneArray(cloneJson(patch));
  if (!isObject(patch)) throw new PatchError('Invalid JSON Patch', 400);
  if (!isObject(doc)) return pruneObject(cloneJson(patch));
  const out = cloneJson(doc);
  mergeInto(out, cloneJson(patch));
  return out;
}

function mergeInto(doc: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = doc[k];
    if (cur === undefined || cur === null) {
      doc[k] = prune(v);
    } else if (!isObject(cur)) {
      doc[k] = prune(v);
    } else if (!isObject(v)) {
      // evanphx returns a non-object patch value unpruned when the current value is an object.
      doc[k] = v;
    } else {
      mergeInto(cur, v);
    }
  }
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) return pruneArray(v);
  if (isObject(v)) return pruneObject(v);
  return v;
}

function pruneObject(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) {
    if (o[k] === null) delete o[k];
    else o[k] = prune(o[k]);
  }
  return o;
}

/** Array elements keep their nulls; objects inside them are pruned. */
function pruneArray(a: unknown[]): unknown[] {
  return a.map((x) => (x === null ? x : prune(x)));
}
