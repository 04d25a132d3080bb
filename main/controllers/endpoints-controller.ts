/**
 * The endpoints controller ("endpoints", events as "endpoint-controller"): keeps one core/v1 Endpoints per Service
 * with a selector, named like the service, listing the selected pods' IPs — ready pods under `addresses`, the rest
 * under `notReadyAddresses` (all under `addresses` with publishNotReadyAddresses) — grouped into subsets of
 * addresses sharing the same resolved ports. Services without a selector are left alone (their Endpoints are
 * written by hand); a deleted service's Endpoints are deleted. Upstream: pkg/controller/endpoint.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints } from '../api/core/v1/endpoints.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Service } from '../api/core/v1/service-types.js';
import { jsonEqual } from '../api/meta/json-equal.js';
import { ENDPOINTS, isAlreadyExists, isConflict, isNotFound, objectKey, PODS, SERVICES } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { findPort, hasSelector, isHeadless, isPodReady, shouldPodBeInEndpoints, shouldSetHostname } from './endpoints/pod-endpoint-rules.js';
import { podHandlers, podsSelectedBy } from './endpoints/service-pod-index.js';

/** Endpoints hold at most this many addresses; beyond it they are truncated and annotated (upstream maxCapacity). */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const portKey = (p: EndpointPort) => `${p.name ?? ''}\u0000${p.port}\u0000${p.protocol ?? ''}`;
const portsKey = (ps: EndpointPort[]) => ps.map(portKey).join('\u0001');

/** upstream LessEndpointAddress: by IP (as bytes of the string), then target uid. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** The ports of `svc` that `pod` resolves (all of them for a numeric targetPort); sorted, deduplicated. */
function podPorts(pod: Pod, svc: Service): EndpointPort[] {
  const out = new Map<string, EndpointPort>();
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
    out.set(portKey(ep), ep);
  }
  return [...out.values()].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : a.port - b.port));
}

/** The desired subsets for `svc` over the selected pods, and whether they were truncated to MAX_ENDPOINTS_CAPACITY. */
export function computeSubsets(svc: Service, pods: readonly Pod[]): { subsets: EndpointSubset[]; truncated: boolean } {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const headlessWithoutPorts = isHeadless(svc) && (svc.spec?.ports ?? []).length === 0;
  for (const pod of pods) {
    if (!pod.status?.podIP || (!tolerateUnready && pod.metadata.deletionTimestamp)) continue;
    const ports = headlessWithoutPorts ? [] : podPorts(pod, svc);
    if (!headlessWithoutPorts && ports.length === 0) continue;
    const ready = tolerateUnready || isPodReady(pod);
    if (!ready && !shouldPodBeInEndpoints(pod, false)) continue;
    const addr: EndpointAddress = {
      ip: pod.status.podIP,
      ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
      ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (ready ? g.ready : g.notReady).push(addr);
  }
  let budget = MAX_ENDPOINTS_CAPACITY;
  let truncated = false;
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  // Ready addresses are kept first when over capacity, as upstream's truncation prefers them.
  for (const g of sorted) {
    g.ready.sort(compareAddresses);
    if (g.ready.length > budget) (g.ready = g.ready.slice(0, budget)), (truncated = true);
    budget -= g.ready.length;
  }
  for (const g of sorted) {
    g.notReady.sort(compareAddresses);
    if (g.notReady.length > budget) (g.notReady = g.notReady.slice(0, budget)), (truncated = true);
    budget -= g.notReady.length;
  }
  const subsets = sorted
    .filter((g) => g.ready.length + g.notReady.length > 0)
    .map((g) => ({
      ...(g.ready.length ? { addresses: g.ready } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
  return { subsets, truncated };
}

/** The labels of the Endpoints: the service's, plus service.kubernetes.io/headless for headless services. */
function endpointsLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

class EndpointsController implements Controller {
  readonly name = 'endpoints';
  private readonly queue = new WorkQueue<string>();
  private readonly services;
  private readonly pods;
  private readonly endpoints;
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.informerFor<Service>(SERVICES);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.endpoints = ctx.informers.informerFor<Endpoints>(ENDPOINTS);
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) => this.queue.add(objectKey(o));
    this.services.addHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.pods.addHandler(podHandlers(this.services, (k) => this.queue.add(k)));
    // An Endpoints changed or deleted behind our back is recomputed (for services we manage).
    this.endpoints.addHandler({
      onUpdate: (_o, n) => {
        if (this.services.store.get(objectKey(n))) enqueue(n);
      },
      onDelete: (e) => {
        if (this.services.store.get(objectKey(e))) enqueue(e);
      },
    });
  }

  run(): void {
    this.stopWorkers = runWorkers(this.queue, workersFor(this.ctx.options, this.name, 5), (k) => this.sync(k), {
      onError: (key, err) => this.ctx.log(`endpoints: sync ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  private async sync(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const svc = this.services.store.get(key);
    if (!svc) {
      // The service is gone: its Endpoints go too (no ownerReference links them).
      if (!this.endpoints.store.get(key)) return;
      await this.ctx.client.delete(ENDPOINTS, namespace, name).catch((e) => {
        if (!isNotFound(e)) throw e;
      });
      return;
    }
    if (!hasSelector(svc)) return;
    const { subsets, truncated } = computeSubsets(svc, podsSelectedBy(this.pods, svc));
    const current = this.endpoints.store.get(key);
    const labels = endpointsLabels(svc);
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (current && jsonEqual(current.subsets ?? [], subsets) && jsonEqual(current.metadata.labels ?? {}, labels) && jsonEqual(current.metadata.annotations ?? {}, annotations)) return;
    const desired: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: current
        ? { ...structuredClone(current.metadata), labels, annotations }
        : { name, namespace, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      subsets,
    };
    try {
      if (current) await this.ctx.client.update(ENDPOINTS, namespace, desired);
      else await this.ctx.client.create(ENDPOINTS, namespace, desired);
    } catch (e) {
      // A stale cache (someone else wrote first): retry with backoff once the informer caught up.
      if (isConflict(e) || isAlreadyExists(e) || isNotFound(e)) throw new Error(`Endpoints ${key} changed meanwhile, retrying: ${(e as Error).message}`);
      throw e;
    }
  }
}

export const endpointsControllerFactory: ControllerFactory = {
  name: 'endpoints',
  create: (ctx) => new EndpointsController(ctx),
};
