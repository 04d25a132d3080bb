/**
 * Service ClusterIP and NodePort allocation (kube-apiserver's service REST): on create, on type changes, and
 * release on delete. Explicit values are checked for range and uniqueness with upstream's messages.
 */
import { goStringSlice, goValued } from '../../api/core/v1/service-go-values.js';
import { invalid as fieldInvalid, type FieldError } from '../../api/meta/field-errors.js';
import type { KObject } from '../../api/meta/object.js';
import type { IpAllocator } from '../allocators/ip-allocator.js';
import type { PortAllocator } from '../allocators/port-allocator.js';
import { invalid } from '../http/api-error.js';
import type { KindHooks } from '../registry/resource-storage.js';

interface ServicePort {
  port?: number; nodePort?: number; protocol?: string; name?: string;
}
interface ServiceLike extends KObject {
  spec?: {
    type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: ServicePort[];
    ipFamilies?: string[]; ipFamilyPolicy?: string; allocateLoadBalancerNodePorts?: boolean;
  };
}

const needsClusterIP = (s: ServiceLike) => s.spec?.type !== 'ExternalName' && s.spec?.clusterIP !== 'None';
const needsNodePorts = (s: ServiceLike) =>
  s.spec?.type === 'NodePort' || (s.spec?.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false);

/** spec.clusterIPs errors show the bad value as Go's %#v of the slice: `[]string{"10.96.0.1"}`, unquoted. */
const clusterIPsInvalid = (ips: string[], detail: string) => goValued('FieldValueInvalid', 'spec.clusterIPs', goStringSlice(ips), detail);

export interface ServiceAllocators {
  ips: IpAllocator;
  ports: PortAllocator;
}

/** Records what an existing Service holds (used to rebuild allocator state at start). */
export function claimExisting(svc: ServiceLike, a: ServiceAllocators): void {
  const ip = svc.spec?.clusterIP;
  if (ip && ip !== 'None' && a.ips.contains(ip)) a.ips.allocate(ip);
  for (const p of svc.spec?.ports ?? []) if (p.nodePort) a.ports.allocate(p.nodePort);
}

function allocate(svc: ServiceLike, old: ServiceLike | undefined, a: ServiceAllocators): () => void {
  const undo: (() => void)[] = [];
  const errs: FieldError[] = [];
  const spec = (svc.spec ??= {});
  const oldIp = old?.spec?.clusterIP;

  if (needsClusterIP(svc)) {
    if (!spec.clusterIP && oldIp && oldIp !== 'None') spec.clusterIP = oldIp;
    if (spec.clusterIP && spec.clusterIP !== oldIp) {
      const err = a.ips.allocate(spec.clusterIP);
      if (err) errs.push(clusterIPsInvalid([spec.clusterIP], err));
      else undo.push(() => a.ips.release(spec.clusterIP!));
    } else if (!spec.clusterIP) {
      const ip = a.ips.allocateNext();
      if (!ip) errs.push(clusterIPsInvalid([], 'failed to allocate IP: range is full'));
      else {
        spec.clusterIP = ip;
        undo.push(() => a.ips.release(ip));
      }
    }
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  } else if (spec.clusterIP === 'None') {
    spec.clusterIPs = ['None'];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  } else {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }

  const oldPorts = new Set((old?.spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
  if (needsNodePorts(svc)) {
    const ports = spec.ports ?? [];
    // Explicit ports are claimed before any is picked, so a picked port can never take one a later entry names.
    ports.forEach((p, i) => {
      if (!p.nodePort || oldPorts.has(p.nodePort)) return;
      const err = a.ports.allocate(p.nodePort);
      if (err) errs.push(fieldInvalid(`spec.ports[${i}].nodePort`, p.nodePort, err));
      else undo.push(() => a.ports.release(p.nodePort!));
    });
    ports.forEach((p, i) => {
      if (p.nodePort) return;
      const port = a.ports.allocateNext();
      if (port === undefined) errs.push(fieldInvalid(`spec.ports[${i}].nodePort`, 0, 'failed to allocate a nodePort: range is full'));
      else {
        p.nodePort = port;
        undo.push(() => a.ports.release(port));
      }
    });
  } else {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  const rollback = () => undo.forEach((f) => f());
  if (errs.length) {
    rollback();
    throw invalid('', 'Service', svc.metadata.name ?? '', errs);
  }
  return rollback;
}

/** After a committed update, frees what the old object held and the new one no longer does. */
function releaseDropped(svc: ServiceLike, old: ServiceLike, a: ServiceAllocators): void {
  const ip = old.spec?.clusterIP;
  if (ip && ip !== 'None' && ip !== svc.spec?.clusterIP) a.ips.release(ip);
  const kept = new Set((svc.spec?.ports ?? []).map((p) => p.nodePort));
  for (const p of old.spec?.ports ?? []) if (p.nodePort && !kept.has(p.nodePort)) a.ports.release(p.nodePort);
}

export function serviceHooks(a: ServiceAllocators): KindHooks {
  return {
    async beforeCreate(obj, ctx) {
      const undo = allocate(obj as ServiceLike, undefined, a);
      return ctx.dryRun ? undo : () => undo();
    },
    async beforeUpdate(obj, old, ctx) {
      const undo = allocate(obj as ServiceLike, old as ServiceLike, a);
      if (!ctx.dryRun) releaseDropped(obj as ServiceLike, old as ServiceLike, a);
      return undo;
    },
    afterDelete(obj) {
      const s = obj as ServiceLike;
      if (s.spec?.clusterIP && s.spec.clusterIP !== 'None') a.ips.release(s.spec.clusterIP);
      for (const p of s.spec?.ports ?? []) if (p.nodePort) a.ports.release(p.nodePort);
    },
  };
}
