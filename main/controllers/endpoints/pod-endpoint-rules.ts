/**
 * Which pods back a Service and on which ports — the rules the endpoints and EndpointSlice controllers share
 * (upstream pkg/controller/util/endpoint and podutil): a pod needs an IP; terminal pods (by restart policy) are
 * left out; readiness is the pod's Ready condition; a named targetPort resolves against the pod's container ports.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service, ServicePort } from '../../api/core/v1/service-types.js';

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * endpointutil.ShouldPodBeInEndpoints: the pod has an IP, is not terminating (unless `includeTerminating`), and
 * is not in a phase it can never leave (Never: Succeeded/Failed; OnFailure: Succeeded).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status.phase;
  switch (pod.spec.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/** endpointutil.ShouldSetHostname: the pod sets a hostname and its subdomain is this service's name. */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec.hostname && pod.spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/**
 * podutil.FindPort: the container port a service port targets on `pod`. A numeric (or absent → the service port)
 * targetPort is used as is; a name must match a container port of the same protocol, else undefined.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** A service whose endpoints the controllers compute: a non-empty selector (an absent one means endpoints by hand). */
export function hasSelector(svc: Service): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}
