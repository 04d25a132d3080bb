/** What each subresource answers with and which verbs it serves, as upstream discovery reports them. */
import type { ResourceDescriptor } from '../../api/resource.js';

export interface SubresourceInfo {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export function subresourcesOf(d: ResourceDescriptor): SubresourceInfo[] {
  const s = d.subresources ?? {};
  const same = (name: string, verbs: string[], kind = d.kind): SubresourceInfo => ({ name, group: d.group, version: d.version, kind, verbs });
  const out: SubresourceInfo[] = [];
  if (s.attach) out.push(same('attach', ['create', 'get'], 'PodAttachOptions'));
  if (s.binding) out.push(same('binding', ['create'], 'Binding'));
  if (s.ephemeralcontainers) out.push(same('ephemeralcontainers', ['get', 'patch', 'update']));
  if (s.eviction) out.push({ name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
  if (s.exec) out.push(same('exec', ['create', 'get'], 'PodExecOptions'));
  if (s.finalize) out.push(same('finalize', ['update']));
  if (s.log) out.push(same('log', ['get']));
  if (s.portforward) out.push(same('portforward', ['create', 'get'], 'PodPortForwardOptions'));
  if (s.proxy) out.push(same('proxy', ['create', 'delete', 'get', 'patch', 'update'], `${d.kind}ProxyOptions`));
  if (s.approval) out.push(same('approval', ['get', 'patch', 'update']));
  if (s.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  if (s.status) out.push(same('status', ['get', 'patch', 'update']));
  if (s.token) out.push({ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  return out;
}
