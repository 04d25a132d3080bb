/**
 * Discovery documents derived from the resource registry: aggregated discovery (apidiscovery.k8s.io v2 and
 * v2beta1, same shape) and the legacy APIVersions / APIGroupList / APIGroup / APIResourceList.
 */
import { ALL_VERBS, type ResourceDescriptor } from '../../api/resource.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { subresourcesOf } from './subresource-kinds.js';

export function verbsOf(d: ResourceDescriptor): string[] {
  if (d.verbs) return [...d.verbs];
  if (d.virtual) return ['create'];
  if (d.readOnly) return ['get', 'list'];
  return [...ALL_VERBS];
}

const visible = (ds: ResourceDescriptor[]) => ds.filter((d) => !d.hidden).sort((a, b) => a.plural.localeCompare(b.plural));

function aggregatedResource(d: ResourceDescriptor) {
  const r: Record<string, unknown> = {
    resource: d.plural,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: verbsOf(d),
  };
  if (d.shortNames?.length) r.shortNames = d.shortNames;
  if (d.categories?.length) r.categories = d.categories;
  const subs = subresourcesOf(d);
  if (subs.length)
    r.subresources = subs.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  return r;
}

/** `/api` (core only) or `/apis` (every other group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(registry: ResourceRegistry, which: 'api' | 'apis', version: 'v2' | 'v2beta1') {
  const groups = registry.groups().filter((g) => (which === 'api' ? g.name === '' : g.name !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: g.name ? { name: g.name, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: visible(registry.resourcesOf(g.name, v)).map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().filter((g) => g.name !== '').map((g) => groupEntry(g.name, g.versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string) {
  const g = registry.groups().find((x) => x.name === group);
  if (!g || !group) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.name, g.versions) };
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const ds = registry.resourcesOf(group, version);
  if (ds.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const d of visible(ds)) {
    const r: Record<string, unknown> = {
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: verbsOf(d),
    };
    if (d.shortNames?.length) r.shortNames = d.shortNames;
    if (d.categories?.length) r.categories = d.categories;
    resources.push(r);
    for (const s of subresourcesOf(d)) {
      const sub: Record<string, unknown> = { name: `${d.plural}/${s.name}`, singularName: '', namespaced: d.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== d.group || s.version !== d.version) {
        sub.group = s.group;
        sub.version = s.version;
      }
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
