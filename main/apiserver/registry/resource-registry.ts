/**
 * The set of resources this server serves: built-in descriptors plus those derived from
 * CustomResourceDefinitions at run time. Discovery, OpenAPI and routing all read from here.
 */
import type { ResourceDescriptor } from '../../api/resource.js';

/** Upstream's order of groups in discovery; unknown groups (CRDs) follow alphabetically. */
const GROUP_ORDER = [
  '', 'apiregistration.k8s.io', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'autoscaling', 'batch', 'certificates.k8s.io', 'networking.k8s.io', 'policy', 'rbac.authorization.k8s.io',
  'storage.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'node.k8s.io', 'discovery.k8s.io', 'flowcontrol.apiserver.k8s.io', 'metrics.k8s.io',
];

export interface GroupInfo {
  name: string;
  /** Versions in preference order (first = preferred). */
  versions: string[];
}

export class ResourceRegistry {
  private readonly builtins: ResourceDescriptor[];
  private dynamic = new Map<string, ResourceDescriptor[]>();
  private byPath = new Map<string, ResourceDescriptor>();
  private listeners = new Set<() => void>();
  private generation = 0;
  private byResource = new Map<string, ResourceDescriptor | undefined>();
  private groupsMemo: GroupInfo[] | undefined;

  constructor(builtins: ResourceDescriptor[]) {
    this.builtins = builtins;
    this.reindex();
  }

  /** Changes whenever the served set changes (discovery and OpenAPI caches key on it). */
  get version(): number {
    return this.generation;
  }

  all(): ResourceDescriptor[] {
    return [...this.builtins, ...[...this.dynamic.values()].flat()];
  }

  find(group: string, version: string, plural: string): ResourceDescriptor | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  findKind(group: string, version: string, kind: string): ResourceDescriptor | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.kind === kind && !d.virtual);
  }

  /** The descriptor whose storage holds `group/plural` objects (for owner lookups, GC). */
  findByResource(group: string, plural: string): ResourceDescriptor | undefined {
    // Memoised per generation (admission and GC ask for every write); reindex drops the memo.
    const key = `${group}/${plural}`;
    if (this.byResource.has(key)) return this.byResource.get(key);
    const d = this.groups().find((g) => g.name === group)?.versions
      .map((v) => this.find(group, v, plural))
      .find((d) => d !== undefined);
    this.byResource.set(key, d);
    return d;
  }

  /** Groups in discovery order; a fresh copy each call (callers may mutate it), computed once per generation. */
  groups(): GroupInfo[] {
    this.groupsMemo ??= this.computeGroups();
    return this.groupsMemo.map((g) => ({ name: g.name, versions: [...g.versions] }));
  }

  private computeGroups(): GroupInfo[] {
    const map = new Map<string, string[]>();
    for (const d of this.all()) {
      const versions = map.get(d.group) ?? [];
      if (!versions.includes(d.version)) versions.push(d.version);
      map.set(d.group, versions);
    }
    const rank = (g: string) => {
      const i = GROUP_ORDER.indexOf(g);
      return i < 0 ? GROUP_ORDER.length : i;
    };
    return [...map.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([name, versions]) => ({ name, versions }));
  }

  resourcesOf(group: string, version: string): ResourceDescriptor[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  /** Replaces the dynamic descriptors registered under `owner` (e.g. a CRD name). */
  setDynamic(owner: string, descriptors: ResourceDescriptor[]): void {
    if (descriptors.length === 0) this.dynamic.delete(owner);
    else this.dynamic.set(owner, descriptors);
    this.reindex();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private reindex(): void {
    const byPath = new Map<string, ResourceDescriptor>();
    for (const d of this.all()) byPath.set(`${d.group}/${d.version}/${d.plural}`, d);
    this.byPath = byPath;
    this.byResource = new Map();
    this.groupsMemo = undefined;
    this.generation++;
    for (const l of this.listeners) l();
  }
}
