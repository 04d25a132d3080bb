/** Storage keys: `/<group or core>/<plural>/<namespace>/<name>` (namespaced) or `/<group or core>/<plural>/<name>`. */
import type { ResourceDescriptor } from '../../api/resource.js';

/** `group/plural` of where the descriptor's objects are stored (its storage mapping, or itself). */
export function storageResource(d: ResourceDescriptor): { group: string; plural: string } {
  if (!d.storage) return { group: d.group, plural: d.plural };
  const r = d.storage.resource;
  const slash = r.lastIndexOf('/');
  return slash < 0 ? { group: '', plural: r } : { group: r.slice(0, slash), plural: r.slice(slash + 1) };
}

export function resourcePrefix(d: ResourceDescriptor): string {
  const { group, plural } = storageResource(d);
  return `/${group || 'core'}/${plural}/`;
}

/** Prefix of all objects of the resource in `namespace` ('' = all namespaces / cluster-scoped). */
export function listPrefix(d: ResourceDescriptor, namespace: string): string {
  const base = resourcePrefix(d);
  return d.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(d: ResourceDescriptor, namespace: string, name: string): string {
  const base = resourcePrefix(d);
  return d.namespaced ? `${base}${namespace}/${name}` : `${base}${name}`;
}
