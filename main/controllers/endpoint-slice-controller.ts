/**
 * The EndpointSlice controller ("endpointslice", events as "endpoint-slice-controller"): for every Service with a
 * selector it keeps discovery.k8s.io/v1 EndpointSlices (addressType IPv4) named `<service>-<random>`, labelled
 * kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by, owned by the Service, holding at most
 * maxEndpointsPerSlice (100) endpoints each, one set of slices per distinct resolved port list. Each selected pod
 * with an IP becomes an endpoint with conditions ready (Ready and not terminating, or publishNotReadyAddresses),
 * serving (Ready) and terminating (deletionTimestamp set), its nodeName, zone (from the Node's
 * topology.kubernetes.io/zone label) and targetRef; pods on a Node the cache does not know are left out (and the
 * service retried) unless it publishes not-ready addresses. A service without endpoints gets one empty
 * placeholder slice.
 * Reconciling keeps endpoints in the slice already holding them (minimal churn), fills slices with room, and
 * creates or deletes slices as needed. Upstream: pkg/controller/endpointslice + staging k8s.io/endpointslice.
 */
import type { Node } from '../api/core/v1/node.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Service } from '../api/core/v1/service-types.js';
import type { EndpointSlice } from '../api/discovery.k8s.io/v1/endpoint-slice.js';
import { jsonEqual } from '../api/meta/json-equal.js';
import { ENDPOINTSLICES, isNotFound, NODES, objectKey, PODS, SERVICES } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { findPort, hasSelector, isHeadless, isPodReady, shouldPodBeInEndpoints, shouldSetHostname } from './endpoints/pod-endpoint-rules.js';
import { podHandlers, podsSelectedBy } from './endpoints/service-pod-index.js';
import { SliceTracker } from './endpoints/slice-tracker.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY_CONTROLLER = 'endpointslice-controller.k8s.io';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
const SERVICE_INDEX = 'endpointslice-service';

type SliceEndpoint = NonNullable<EndpointSlice['endpoints']>[number];
type SlicePort = NonNullable<EndpointSlice['ports']>[number];

const portsKey = (ps: readonly SlicePort[]) => JSON.stringify(ps.map((p) => [p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? null]));
const endpointKey = (e: SliceEndpoint) => e.targetRef?.uid || (e.addresses ?? []).join(',');

/** The slice ports `pod` resolves for the service's ports, in service port order, deduplicated. */
function slicePorts(pod: Pod, svc: Service): SlicePort[] {
  const out: SlicePort[] = [];
  const seen = new Set<string>();
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const p: SlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
    const k = portsKey([p]);
    if (!seen.has(k)) seen.add(k), out.push(p);
  }
  return out;
}

/** upstream podToEndpoint. */
export function podToEndpoint(pod: Pod, node: Node | undefined, svc: Service): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const zone = node?.metadata.labels?.[ZONE_LABEL];
  return {
    addresses: [pod.status!.podIP!],
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec.hostname } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
  };
}

/**
 * Desired endpoints of the service, grouped by their resolved port list. A pod whose Node is unknown is left out
 * (listed in `skipped`; the service is retried) unless the service publishes not-ready addresses.
 */
export function desiredEndpoints(svc: Service, pods: readonly Pod[], nodeOf: (name: string) => Node | undefined, skipped: string[] = []): Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }> {
  const groups = new Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const node = nodeOf(pod.spec.nodeName ?? '');
    if (!node && svc.spec?.publishNotReadyAddresses !== true) {
      skipped.push(`skipping Pod ${pod.metadata.name} for Service ${svc.metadata.namespace}/${svc.metadata.name}: Node ${pod.spec.nodeName ?? ''} Not Found`);
      continue;
    }
    const ports = slicePorts(pod, svc);
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(podToEndpoint(pod, node, svc));
  }
  return groups;
}

/** The labels every slice of `svc` carries (upstream setEndpointSliceLabels). */
export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL) continue;
    labels[k] = v;
  }
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = svc.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = MANAGED_BY_CONTROLLER;
  return labels;
}

/** generateName prefix: the service name and a dash, shortened so the generated name stays a valid label. */
function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return prefix.length > 58 ? `${prefix.slice(0, 57)}-` : prefix;
}

interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

/**
 * What to write so that the service's slices hold exactly `groups`: endpoints stay in the slice that holds them
 * when it has the same ports; new endpoints fill slices with room before new slices are made.
 */
export function planSlices(svc: Service, groups: Map<string, { ports: SlicePort[]; endpoints: SliceEndpoint[] }>, existing: readonly EndpointSlice[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(svc);
  const owner = { apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
  const fresh = (ports: SlicePort[], endpoints: SliceEndpoint[]): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: slicePrefix(svc.metadata.name ?? ''), namespace: svc.metadata.namespace, labels: { ...labels }, ownerReferences: [{ ...owner }] },
    addressType: 'IPv4',
    endpoints,
    ports,
  });
  const byPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (s.addressType !== 'IPv4') {
      plan.delete.push(s);
      continue;
    }
    const k = portsKey(s.ports ?? []);
    byPorts.set(k, [...(byPorts.get(k) ?? []), s]);
  }
  const totalEndpoints = [...groups.values()].reduce((n, g) => n + g.endpoints.length, 0);
  if (totalEndpoints === 0) {
    // One placeholder (no ports, no endpoints) stands for a service without endpoints.
    const placeholder = byPorts.get(portsKey([]))?.find((s) => (s.endpoints ?? []).length === 0);
    for (const s of existing) if (s !== placeholder && !plan.delete.includes(s)) plan.delete.push(s);
    if (!placeholder) plan.create.push(fresh([], []));
    else if (!jsonEqual(placeholder.metadata.labels ?? {}, labels)) plan.update.push(withContent(placeholder, labels, [], []));
    return plan;
  }
  for (const g of groups.values()) {
    const key = portsKey(g.ports);
    const slices = byPorts.get(key) ?? [];
    byPorts.delete(key);
    const wanted = new Map(g.endpoints.map((e) => [endpointKey(e), e]));
    // Keep each endpoint where it is; collect the rest.
    const contents = slices.map((s) => {
      const kept: SliceEndpoint[] = [];
      for (const e of s.endpoints ?? []) {
        const k = endpointKey(e);
        const w = wanted.get(k);
        if (w && kept.length < maxPerSlice) kept.push(w), wanted.delete(k);
      }
      return kept;
    });
    const leftovers = [...wanted.values()];
    for (const kept of contents) while (kept.length < maxPerSlice && leftovers.length) kept.push(leftovers.shift()!);
    slices.forEach((s, i) => {
      const kept = contents[i]!;
      if (kept.length === 0) plan.delete.push(s);
      else if (!jsonEqual(s.endpoints ?? [], kept) || !jsonEqual(s.metadata.labels ?? {}, labels) || !jsonEqual(s.ports ?? [], g.ports))
        plan.update.push(withContent(s, labels, g.ports, kept));
    });
    while (leftovers.length) plan.create.push(fresh(g.ports, leftovers.splice(0, maxPerSlice)));
  }
  for (const rest of byPorts.values()) plan.delete.push(...rest);
  return plan;
}

function withContent(s: EndpointSlice, labels: Record<string, string>, ports: SlicePort[], endpoints: SliceEndpoint[]): EndpointSlice {
  const copy = structuredClone(s);
  copy.metadata.labels = { ...labels };
  copy.ports = ports;
  copy.endpoints = endpoints;
  return copy;
}

class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  private readonly queue = new WorkQueue<string>();
  private readonly tracker = new SliceTracker();
  /** Services that left out pods of Nodes not (yet) in the cache: synced again when a Node appears. */
  private readonly awaitingNodes = new Set<string>();
  private readonly services;
  private readonly pods;
  private readonly slices;
  private readonly nodes;
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.informerFor<Service>(SERVICES);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.slices = ctx.informers.informerFor<EndpointSlice>(ENDPOINTSLICES);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.slices.addIndexer(SERVICE_INDEX, (s) => {
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_CONTROLLER ? [`${s.metadata.namespace}/${svc}`] : [];
    });
    const enqueue = (o: { metadata: { namespace?: string; name?: string } }) => this.queue.add(objectKey(o));
    this.services.addHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.pods.addHandler(podHandlers(this.services, (k) => this.queue.add(k)));
    const sliceChanged = (s: EndpointSlice) => {
      if (s.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_CONTROLLER) return;
      const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (svc) this.queue.add(`${s.metadata.namespace}/${svc}`);
    };
    this.slices.addHandler({ onAdd: sliceChanged, onUpdate: (_o, n) => sliceChanged(n), onDelete: sliceChanged });
    // A node's zone label feeds the endpoints of pods on it.
    this.nodes.addHandler({
      onAdd: () => {
        for (const k of this.awaitingNodes) this.queue.add(k);
      },
      onUpdate: (o, n) => {
        if (o.metadata.labels?.[ZONE_LABEL] === n.metadata.labels?.[ZONE_LABEL]) return;
        for (const s of this.services.store.list()) if (hasSelector(s)) this.queue.add(objectKey(s));
      },
    });
  }

  run(): void {
    this.stopWorkers = runWorkers(this.queue, workersFor(this.ctx.options, this.name, 5), (k) => this.sync(k), {
      onError: (key, err) => this.ctx.log(`endpointslice: sync ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  private async sync(key: string): Promise<void> {
    const namespace = key.slice(0, key.indexOf('/'));
    const existing = this.slices.store.byIndex(SERVICE_INDEX, key);
    if (!this.tracker.upToDate(key, (name) => this.slices.store.getByName(namespace, name))) {
      this.queue.addAfter(key, 100); // our own writes are not in the cache yet
      return;
    }
    const svc = this.services.store.get(key);
    if (!svc || svc.spec?.type === 'ExternalName') {
      // Upstream leaves a deleted service's slices to the garbage collector (they are owned); deleting them here
      // as well makes no difference to the outcome and works without one.
      for (const s of existing) await this.deleteSlice(key, s);
      if (!svc) this.tracker.forget(key), this.awaitingNodes.delete(key);
      return;
    }
    if (!hasSelector(svc)) return;
    const skipped: string[] = [];
    const groups = desiredEndpoints(svc, podsSelectedBy(this.pods, svc), (n) => this.nodes.store.get(n), skipped);
    const plan = planSlices(svc, groups, existing);
    for (const s of plan.delete) await this.deleteSlice(key, s);
    for (const s of plan.update) this.tracker.wrote(key, await this.ctx.client.update<EndpointSlice>(ENDPOINTSLICES, namespace, s));
    for (const s of plan.create) this.tracker.wrote(key, await this.ctx.client.create<EndpointSlice>(ENDPOINTSLICES, namespace, s));
    if (!skipped.length) return void this.awaitingNodes.delete(key);
    this.awaitingNodes.add(key);
    throw new Error(skipped.join('; ')); // retried with backoff, and when a Node appears
  }

  private async deleteSlice(key: string, s: EndpointSlice): Promise<void> {
    try {
      await this.ctx.client.delete(ENDPOINTSLICES, s.metadata.namespace ?? '', s.metadata.name ?? '', { preconditions: { uid: s.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.tracker.deleted(key, s.metadata.name ?? '');
  }
}

export const endpointSliceControllerFactory: ControllerFactory = {
  name: 'endpointslice',
  create: (ctx) => new EndpointSliceController(ctx),
};
