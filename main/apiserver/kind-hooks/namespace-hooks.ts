/**
 * Namespace deletion: a namespace with finalizers (spec.finalizers ["kubernetes"] by default) becomes
 * Terminating; the namespace controller empties it and clears the finalizers through `finalize`.
 */
import type { KObject } from '../../api/meta/object.js';
import type { KindHooks } from '../registry/resource-storage.js';

interface NamespaceLike extends KObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}

export const namespaceHooks: KindHooks = {
  markForDeletion(obj, now) {
    const ns = obj as NamespaceLike;
    const pending = (ns.spec?.finalizers?.length ?? 0) > 0 || (ns.metadata.finalizers?.length ?? 0) > 0;
    if (!pending) return false;
    ns.metadata.deletionTimestamp ??= now;
    ns.metadata.deletionGracePeriodSeconds ??= 0;
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    return true;
  },
  shouldDeleteDuringUpdate(obj) {
    return !((obj as NamespaceLike).spec?.finalizers?.length);
  },
};

/** Kinds that a PUT may create (upstream AllowCreateOnUpdate). */
export const createOnUpdateHooks: KindHooks = { allowCreateOnUpdate: true };
