/**
 * core/v1 Service descriptor: defaults (SetDefaults_Service), the registry's create/update preparation
 * (IP family initialisation, keeping allocated values across updates, wiping fields a type change made
 * meaningless), validation, and the `kubectl get svc` columns.
 *
 * IP and node-port allocation belongs to the API server; it asks `serviceNeedsClusterIP`,
 * `serviceNodePortsNeeded` and `serviceNeedsHealthCheckNodePort` what to allocate, and must allocate
 * before `validate` runs (upstream allocates in BeginCreate, ahead of validation).
 */
import { nameIsDNS1035Label } from '../../meta/name-validation.js';
import { ageColumn, col, formatLabels, nameColumn } from '../../table/columns.js';
import { defineResource } from '../../resource.js';
import { parseIP } from './service-ip.js';
import { ServiceSchema } from './service-schema.js';
import type { Service, ServicePort } from './service-types.js';
import { externallyAccessible, needsHealthCheck, validateService, validateServiceStatus, validateServiceUpdate } from './service-validation.js';

export type { Service, ServicePort, ServiceSpec } from './service-types.js';
export { ServiceSchema, ServicePort as ServicePortSchema, ServiceSpec as ServiceSpecSchema } from './service-schema.js';

export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

const needsClusterIPType = (svc: Service) => svc.spec?.type !== 'ExternalName';
const needsNodePortType = (svc: Service) => svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';

/** True when the service must get a cluster IP allocated (not ExternalName, not headless, none given). */
export function serviceNeedsClusterIP(svc: Service): boolean {
  return needsClusterIPType(svc) && !svc.spec?.clusterIP;
}

/**
 * Indexes into spec.ports of the ports that must get a node port allocated: NodePort services, and
 * LoadBalancer services unless allocateLoadBalancerNodePorts is false. Upstream gives ports that share
 * a port number (e.g. 53/TCP and 53/UDP) the same node port.
 */
export function serviceNodePortsNeeded(svc: Service): number[] {
  const t = svc.spec?.type;
  if (t !== 'NodePort' && !(t === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false)) return [];
  const out: number[] = [];
  (svc.spec?.ports ?? []).forEach((p, i) => {
    if (!p.nodePort) out.push(i);
  });
  return out;
}

/** True when a LoadBalancer/Local service still lacks its health-check node port. */
export function serviceNeedsHealthCheckNodePort(svc: Service): boolean {
  return needsHealthCheck(svc) && !svc.spec?.healthCheckNodePort;
}

function defaultService(svc: Service): void {
  const s = (svc.spec ??= {});
  if (!s.sessionAffinity) s.sessionAffinity = 'None';
  if (s.sessionAffinity === 'None') delete s.sessionAffinityConfig;
  if (s.sessionAffinity === 'ClientIP') {
    const t = s.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (t === undefined || t === null) s.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!s.type) s.type = 'ClusterIP';
  for (const p of s.ports ?? []) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(svc) && !s.externalTrafficPolicy) s.externalTrafficPolicy = 'Cluster';
  if ((s.internalTrafficPolicy === undefined || s.internalTrafficPolicy === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(s.type))
    s.internalTrafficPolicy = 'Cluster';
  if (s.type === 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null) s.allocateLoadBalancerNodePorts = true;
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
  // Old clients set only the singular field; the plural starts from it (normalizeClusterIPs).
  if (s.clusterIP && !s.clusterIPs?.length) s.clusterIPs = [s.clusterIP];
}

/** Single-stack cluster: policy SingleStack and the family of the given IP, else IPv4. */
function initIPFamilies(svc: Service, old?: Service): void {
  const s = svc.spec!;
  if (!needsClusterIPType(svc)) return;
  if (old && needsClusterIPType(old)) {
    if ((s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === null) && old.spec?.ipFamilyPolicy) s.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    if (!s.ipFamilies?.length && old.spec?.ipFamilies?.length) s.ipFamilies = [...old.spec.ipFamilies];
  }
  if (s.ipFamilyPolicy === undefined || s.ipFamilyPolicy === null) s.ipFamilyPolicy = 'SingleStack';
  if (!s.ipFamilies?.length) {
    const fams = (s.clusterIPs ?? []).map((ip) => parseIP(ip)?.family).filter((f): f is 'IPv4' | 'IPv6' => !!f);
    s.ipFamilies = fams.length ? fams : ['IPv4'];
  }
}

/** Keeps values the server allocated when an update omits them (upstream patchAllocatedValues). */
function patchAllocatedValues(svc: Service, old: Service): void {
  const s = svc.spec!;
  const o = old.spec ?? {};
  if (needsClusterIPType(old) && needsClusterIPType(svc)) {
    if (!s.clusterIP && o.clusterIP) s.clusterIP = o.clusterIP;
    if (!s.clusterIPs?.length && o.clusterIPs?.length) s.clusterIPs = [...o.clusterIPs];
  }
  if (needsNodePortType(old) && needsNodePortType(svc)) {
    const used = (x: ServicePort[] | undefined) => new Set((x ?? []).map((p) => p.nodePort ?? 0).filter((n) => n));
    const oldUsed = used(o.ports);
    const newUsed = used(s.ports);
    const byName = new Map((o.ports ?? []).map((p) => [p.name ?? '', p.nodePort ?? 0]));
    for (const p of s.ports ?? []) {
      if (p.nodePort) continue;
      const prev = byName.get(p.name ?? '') ?? 0;
      if (prev && !(oldUsed.has(prev) && newUsed.has(prev))) p.nodePort = prev;
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !s.healthCheckNodePort && o.healthCheckNodePort)
    s.healthCheckNodePort = o.healthCheckNodePort;
}

const sameList = (a: unknown[] | undefined, b: unknown[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/** Clears fields the new type does not use, when the user left them as they were (dropTypeDependentFields). */
function dropTypeDependentFields(svc: Service, old: Service): void {
  const s = svc.spec!;
  const o = old.spec ?? {};
  if (needsClusterIPType(old) && !needsClusterIPType(svc)) {
    if ((s.clusterIP ?? '') === (o.clusterIP ?? '') && sameList(s.clusterIPs, o.clusterIPs)) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (sameList(s.ipFamilies, o.ipFamilies)) delete s.ipFamilies;
    if ((s.ipFamilyPolicy ?? null) === (o.ipFamilyPolicy ?? null)) delete s.ipFamilyPolicy;
  }
  const nodePorts = (x: ServicePort[] | undefined) => (x ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePortType(old) && !needsNodePortType(svc) && sameList(nodePorts(s.ports), nodePorts(o.ports)))
    for (const p of s.ports ?? []) delete p.nodePort;
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && (s.healthCheckNodePort ?? 0) === (o.healthCheckNodePort ?? 0))
    delete s.healthCheckNodePort;
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (typeof s.allocateLoadBalancerNodePorts === 'boolean' && s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts)
      delete s.allocateLoadBalancerNodePorts;
    if ((s.loadBalancerClass ?? null) === (o.loadBalancerClass ?? null)) delete s.loadBalancerClass;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && (s.externalTrafficPolicy ?? '') === (o.externalTrafficPolicy ?? ''))
    delete s.externalTrafficPolicy;
  if (s.type !== 'LoadBalancer' && svc.status) svc.status = { ...svc.status, loadBalancer: {} };
}

/** Cluster-IP / singular-plural reconciliation on update (normalizeClusterIPs). */
function normalizeClusterIPsOnUpdate(svc: Service, old: Service): void {
  const s = svc.spec!;
  const o = old.spec ?? {};
  const same = sameList(s.clusterIPs, o.clusterIPs);
  if (o.clusterIP && !s.clusterIP && same) delete s.clusterIPs;
  if (o.clusterIP && s.clusterIP && s.clusterIP !== o.clusterIP && same) s.clusterIPs = [s.clusterIP];
  if (s.clusterIP && !s.clusterIPs?.length) s.clusterIPs = [s.clusterIP];
}

/** EXTERNAL-IP column (server-side tables use the wide, unclipped form). */
export function serviceExternalIP(svc: Service): string {
  const s = svc.spec ?? {};
  const ext = s.externalIPs ?? [];
  switch (s.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((x) => x))];
      if (ext.length) return [...lb, ...ext].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return s.externalName ?? '';
  }
  return '<unknown>';
}

/** PORT(S) column: `80/TCP`, `80:30080/TCP`, comma-separated; `<none>` without ports. */
export function servicePorts(svc: Service): string {
  const parts = (svc.spec?.ports ?? []).map((p) =>
    p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`,
  );
  return parts.length ? parts.join(',') : '<none>';
}

export const services = defineResource<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  // Service names become DNS labels (<name>.<ns>.svc), so they follow DNS-1035: start with a letter.
  nameRule: nameIsDNS1035Label,
  schema: ServiceSchema,
  subresources: { status: true, proxy: true },
  defaults: defaultService,
  strategy: {
    prepareForCreate(svc) {
      svc.spec ??= {};
      initIPFamilies(svc);
    },
    prepareForUpdate(svc, old) {
      svc.spec ??= {};
      patchAllocatedValues(svc, old);
      normalizeClusterIPsOnUpdate(svc, old);
      dropTypeDependentFields(svc, old);
      initIPFamilies(svc, old);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
    prepareForStatusUpdate(svc, old) {
      if (old.spec) svc.spec = old.spec;
    },
    validateStatusUpdate: (svc) => validateServiceStatus(svc),
  },
  fieldSelectors: {
    'spec.clusterIP': (svc) => svc.spec?.clusterIP ?? '',
    'spec.type': (svc) => svc.spec?.type ?? '',
  },
  columns: [
    nameColumn<Service>(),
    col<Service>('Type', (s) => s.spec?.type ?? '', { description: 'How the service is exposed.' }),
    col<Service>('Cluster-IP', (s) => (s.spec?.clusterIPs?.length ? s.spec.clusterIPs[0]! : '<none>'), { description: 'Virtual IP of the service.' }),
    col<Service>('External-IP', serviceExternalIP, { description: 'Addresses the service is reachable on from outside the cluster.' }),
    col<Service>('Port(s)', servicePorts, { description: 'Ports the service exposes.' }),
    ageColumn<Service>(),
    col<Service>('Selector', (s) => formatLabels(s.spec?.selector), {
      priority: 1,
      description: 'Labels of the pods the service routes to.',
    }),
  ],
});
