/**
 * Wiring shared by the endpoints and EndpointSlice controllers: which service keys a pod change concerns, and
 * the pods a service selects. Both read the shared Service and Pod informers; services are found through the
 * namespace index (a namespace rarely holds so many services that a scan matters).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Service } from '../../api/core/v1/service-types.js';
import { matchesLabels, selectorFromSet } from '../../api/meta/label-selector.js';
import type { Informer } from '../../client/informer.js';
import { NAMESPACE_INDEX } from '../../client/indexers.js';
import { objectKey } from '../../client/kube-client.js';
import { hasSelector } from './pod-endpoint-rules.js';

/** Keys of the services (with selectors) in the pod's namespace that select the pod. */
export function servicesSelecting(services: Informer<Service>, pod: Pod): string[] {
  const out: string[] = [];
  for (const svc of services.store.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
    if (hasSelector(svc) && matchesLabels(selectorFromSet(svc.spec!.selector), pod.metadata.labels)) out.push(objectKey(svc));
  }
  return out;
}

/** The pods of the service's namespace its selector matches, in name order (stable output). */
export function podsSelectedBy(pods: Informer<Pod>, svc: Service): Pod[] {
  const sel = selectorFromSet(svc.spec?.selector);
  return pods.store
    .byIndex(NAMESPACE_INDEX, svc.metadata.namespace ?? '')
    .filter((p) => matchesLabels(sel, p.metadata.labels))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** What of a pod the endpoints depend on (upstream podEndpointsChanged + label changes), as a comparable string. */
function endpointRelevantState(p: Pod): string {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return JSON.stringify([
    p.metadata.labels ?? {},
    p.metadata.deletionTimestamp ?? null,
    p.status?.podIP ?? null,
    p.status?.podIPs ?? null,
    p.status?.phase ?? null,
    ready ?? null,
    p.spec?.nodeName ?? null,
    p.spec?.hostname ?? null,
    p.spec?.subdomain ?? null,
  ]);
}

/**
 * Pod handlers that enqueue every service selecting the pod before or after the change (a label change can move
 * a pod from one service to another). Updates that change nothing endpoints care about are ignored.
 */
export function podHandlers(services: Informer<Service>, enqueue: (serviceKey: string) => void) {
  const touch = (...pods: Pod[]) => {
    const keys = new Set<string>();
    for (const p of pods) for (const k of servicesSelecting(services, p)) keys.add(k);
    for (const k of keys) enqueue(k);
  };
  return {
    onAdd: (p: Pod) => touch(p),
    onUpdate: (old: Pod, cur: Pod) => {
      if (endpointRelevantState(old) === endpointRelevantState(cur)) return;
      touch(old, cur);
    },
    onDelete: (p: Pod) => touch(p),
  };
}
