/**
 * Standard informer indexes (client-go's cache.NamespaceIndex and the indexes controllers add): add one with
 * `informer.addIndexer(NAME, fn)` and read with `informer.store.byIndex(NAME, value)`. Controllers sharing an
 * informer add the same named index with the same function (adding again re-indexes, harmlessly).
 */
import type { KObject } from '../api/meta/object.js';

export const NAMESPACE_INDEX = 'namespace';
export const OWNER_UID_INDEX = 'owner-uid';
export const CONTROLLER_UID_INDEX = 'controller-uid';
export const NODE_NAME_INDEX = 'spec.nodeName';

export const byNamespace = (o: KObject): string[] => [o.metadata.namespace ?? ''];

/** Every owner's uid. */
export const byOwnerUid = (o: KObject): string[] => (o.metadata.ownerReferences ?? []).map((r) => r.uid);

/** The uid of the managing controller (the owner reference with controller: true), if any. */
export const byControllerUid = (o: KObject): string[] => {
  const c = o.metadata.ownerReferences?.find((r) => r.controller);
  return c ? [c.uid] : [];
};

/** Pods by the node they are bound to (unbound pods are not indexed). */
export const byNodeName = (o: KObject): string[] => {
  const n = (o as { spec?: { nodeName?: string } }).spec?.nodeName;
  return n ? [n] : [];
};
