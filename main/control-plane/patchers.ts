/** Wires the patch engines into the API server, turning their typed errors into Status errors. */
import { applyJsonPatch } from '../apiserver/patch/json-patch.js';
import { applyMergePatch } from '../apiserver/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../apiserver/patch/strategic-merge-patch.js';
import { serverSideApply } from '../apiserver/patch/server-side-apply.js';
import { updateManagedFields } from '../apiserver/patch/managed-fields.js';
import { ApplyConflictError, PatchError } from '../apiserver/patch/errors.js';
import { ApiError } from '../apiserver/http/api-error.js';
import type { Patchers } from '../apiserver/handlers/server-core.js';

function toApiError(err: unknown): unknown {
  if (err instanceof ApplyConflictError) {
    return new ApiError(409, 'Conflict', err.message, {
      causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field })),
    });
  }
  if (err instanceof PatchError) return new ApiError(err.code, err.reason, err.statusMessage ?? err.message);
  return err;
}

function guarded<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => R {
  return (...a: A) => {
    try {
      return f(...a);
    } catch (err) {
      throw toApiError(err);
    }
  };
}

export const patchers: Patchers = {
  json: guarded(applyJsonPatch),
  merge: guarded(applyMergePatch),
  strategic: guarded(applyStrategicMergePatch),
  apply: guarded(serverSideApply),
  managedFields: guarded(updateManagedFields),
};
