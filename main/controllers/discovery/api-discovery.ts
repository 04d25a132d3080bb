/**
 * Discovery for controllers that act on every resource type (garbage collector, namespace controller): reads the
 * legacy discovery documents (`/api/v1`, `/apis`, `/apis/<group>/<version>`) through the client, as client-go's
 * discovery client does, and answers RESTMapper questions (apiVersion + kind → resource).
 *
 * Contract: a group version whose document cannot be read is reported in `failed` (upstream's
 * ErrGroupDiscoveryFailed) while every other group is still returned; only a failure of `/api/v1` or `/apis`
 * itself rejects. Subresources (`pods/status`) are not resources and are left out.
 */
import type { KubeClient, ResourceRef } from '../../client/kube-client.js';

export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: string[];
  /** True when this is the group's preferred version. */
  preferred: boolean;
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** groupVersion → error message, for group versions whose document could not be read. */
  failed: Map<string, string>;
}

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface APIGroupList {
  groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

export const groupVersionOf = (r: { group: string; version: string }): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** Splits an apiVersion ("apps/v1", "v1") into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function resourcesOf(doc: unknown, group: string, version: string, preferred: boolean): DiscoveredResource[] {
  const list = (doc as APIResourceList | undefined)?.resources ?? [];
  return list
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ group, version, plural: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [], preferred }));
}

/** Every resource of every served group version. */
export async function discoverResources(client: KubeClient): Promise<DiscoveryResult> {
  const [core, groups] = await Promise.all([client.getRaw('/api/v1'), client.getRaw('/apis') as Promise<APIGroupList>]);
  const resources = resourcesOf(core, '', 'v1', true);
  const failed = new Map<string, string>();
  const versions = (groups.groups ?? []).flatMap((g) =>
    g.versions.map((v) => ({ group: g.name, version: v.version, preferred: (g.preferredVersion?.version ?? g.versions[0]?.version) === v.version })));
  const docs = await Promise.allSettled(versions.map((v) => client.getRaw(`/apis/${v.group}/${v.version}`)));
  docs.forEach((d, i) => {
    const v = versions[i]!;
    if (d.status === 'fulfilled') resources.push(...resourcesOf(d.value, v.group, v.version, v.preferred));
    else failed.set(groupVersionOf(v), d.reason instanceof Error ? d.reason.message : String(d.reason));
  });
  return { resources, failed };
}

/** Maps apiVersion + kind to the resource serving it (client-go's RESTMapper over one discovery result). */
export class ResourceMapper {
  private readonly byKind = new Map<string, DiscoveredResource>();

  constructor(resources: readonly DiscoveredResource[]) {
    for (const r of resources) {
      const key = `${groupVersionOf(r)}|${r.kind}`;
      // A kind served by several resources of one version (rare) maps to the first, as upstream's priority mapper.
      if (!this.byKind.has(key)) this.byKind.set(key, r);
    }
  }

  /** The resource for `apiVersion`/`kind`, or undefined when that version does not serve the kind. */
  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }
}

/** True when `r` supports every verb in `verbs`. */
export const supportsVerbs = (r: DiscoveredResource, ...verbs: string[]): boolean => verbs.every((v) => r.verbs.includes(v));
