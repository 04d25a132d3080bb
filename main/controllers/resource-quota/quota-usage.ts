/**
 * What a ResourceQuota's status.used reports (upstream pkg/quota/v1/evaluator/core and the generic object-count
 * evaluator): for every resource named in spec.hard, the namespace's current usage.
 * - pods / count/pods, cpu|requests.cpu, memory|requests.memory, ephemeral-storage|requests.ephemeral-storage,
 *   limits.*, requests.<extended>: pods that are not terminal (nor past their deletion grace period) and match the
 *   quota's scopes; a pod's request (limit) is max(sum over containers, largest init container) plus overhead;
 * - services (services.loadbalancers, services.nodeports: node ports across ports of NodePort/LoadBalancer);
 * - persistentvolumeclaims, requests.storage and <class>.storageclass.storage.k8s.io/{requests.storage,
 *   persistentvolumeclaims};
 * - configmaps, secrets, replicationcontrollers, resourcequotas and count/<resource>[.<group>] for the kinds in
 *   COUNTED_KINDS.
 * Resources nothing here can measure are left out of status.used, as upstream does without an evaluator.
 */
import { computePodQOS } from '../../api/core/v1/pod-qos.js';
import type { PodSpec } from '../../api/core/v1/pod-types.js';
import type { ResourceQuota, ScopedResourceSelectorRequirement } from '../../api/core/v1/resource-quota.js';
import type { KObject } from '../../api/meta/object.js';
import { addQuantities, compareQuantities, formatQuantity, newQuantity, parseQuantity, type Quantity } from '../../api/meta/quantity.js';

export interface PodLike extends KObject {
  spec?: PodSpec & { activeDeadlineSeconds?: number; priorityClassName?: string; overhead?: Record<string, string | number> };
  status?: { phase?: string };
}
export interface ServiceLike extends KObject {
  spec?: { type?: string; ports?: { nodePort?: number }[] };
}
export interface ClaimLike extends KObject {
  spec?: { storageClassName?: string; resources?: { requests?: Record<string, string | number> } };
}

/** The namespace's objects, by the plural used in count/<plural>[.<group>]. */
export type NamespaceObjects = ReadonlyMap<string, readonly KObject[]>;

/** Object-count resources: quota name → the key of NamespaceObjects. */
export const COUNTED_KINDS: Record<string, string> = {
  pods: 'pods', services: 'services', configmaps: 'configmaps', secrets: 'secrets', replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas', persistentvolumeclaims: 'persistentvolumeclaims',
  'count/pods': 'pods', 'count/services': 'services', 'count/configmaps': 'configmaps', 'count/secrets': 'secrets',
  'count/replicationcontrollers': 'replicationcontrollers', 'count/resourcequotas': 'resourcequotas',
  'count/persistentvolumeclaims': 'persistentvolumeclaims',
  'count/deployments.apps': 'deployments.apps', 'count/replicasets.apps': 'replicasets.apps', 'count/statefulsets.apps': 'statefulsets.apps',
  'count/daemonsets.apps': 'daemonsets.apps', 'count/jobs.batch': 'jobs.batch', 'count/cronjobs.batch': 'cronjobs.batch',
};

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const COMPUTE_ALIASES: Record<string, string> = { cpu: 'requests.cpu', memory: 'requests.memory', 'ephemeral-storage': 'requests.ephemeral-storage' };

/** A pod uses quota until it is terminal or past its deletion grace period (upstream QuotaV1Pod). */
export function podCountsForQuota(pod: PodLike, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const del = pod.metadata.deletionTimestamp;
  const grace = pod.metadata.deletionGracePeriodSeconds;
  if (del && grace !== undefined && nowMs > Date.parse(del) + grace * 1000) return false;
  return true;
}

function scopeMatches(scope: string, pod: PodLike, req?: ScopedResourceSelectorRequirement): boolean {
  const spec = pod.spec ?? ({} as NonNullable<PodLike['spec']>);
  switch (scope) {
    case 'Terminating': return spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating': return spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds < 0;
    case 'BestEffort': return computePodQOS(spec) === 'BestEffort';
    case 'NotBestEffort': return computePodQOS(spec) !== 'BestEffort';
    case 'PriorityClass': {
      const pc = spec.priorityClassName ?? '';
      if (!req) return !!pc;
      switch (req.operator) {
        case 'In': return (req.values ?? []).includes(pc);
        case 'NotIn': return !(req.values ?? []).includes(pc);
        case 'Exists': return !!pc;
        case 'DoesNotExist': return !pc;
        default: return false;
      }
    }
    case 'CrossNamespacePodAffinity': {
      const terms = [
        ...((spec.affinity as { podAffinity?: Record<string, unknown[]> } | undefined)?.podAffinity?.['requiredDuringSchedulingIgnoredDuringExecution'] ?? []),
        ...((spec.affinity as { podAntiAffinity?: Record<string, unknown[]> } | undefined)?.podAntiAffinity?.['requiredDuringSchedulingIgnoredDuringExecution'] ?? []),
      ] as { namespaces?: string[]; namespaceSelector?: unknown }[];
      return terms.some((t) => !!t.namespaceSelector || (t.namespaces?.length ?? 0) > 0);
    }
    default: return false;
  }
}

/** The pod matches every scope of the quota (spec.scopes and spec.scopeSelector). */
export function podMatchesQuotaScopes(quota: ResourceQuota, pod: PodLike): boolean {
  for (const s of quota.spec?.scopes ?? []) if (!scopeMatches(s, pod)) return false;
  for (const r of quota.spec?.scopeSelector?.matchExpressions ?? []) if (!scopeMatches(r.scopeName, pod, r)) return false;
  return true;
}

/** The quota selects by scope: it then measures pods only. */
export const hasScopes = (q: ResourceQuota): boolean => (q.spec?.scopes?.length ?? 0) > 0 || (q.spec?.scopeSelector?.matchExpressions?.length ?? 0) > 0;

function add(into: Map<string, Quantity>, name: string, v: string | number | undefined): void {
  if (v === undefined) return;
  const q = parseQuantity(v);
  if (!q) return;
  const prev = into.get(name);
  into.set(name, prev ? addQuantities(prev, q) : q);
}

/** requests or limits of one pod: max(sum of containers, each init container) + overhead, per resource. */
export function podResources(pod: PodLike, which: 'requests' | 'limits'): Map<string, Quantity> {
  const sum = new Map<string, Quantity>();
  for (const c of pod.spec?.containers ?? []) for (const [n, v] of Object.entries(c.resources?.[which] ?? {})) add(sum, n, v as string | number);
  for (const c of pod.spec?.initContainers ?? [])
    for (const [n, v] of Object.entries(c.resources?.[which] ?? {})) {
      const q = parseQuantity(v as string | number);
      const cur = sum.get(n);
      if (q && (!cur || compareQuantities(q, cur) > 0)) sum.set(n, q);
    }
  for (const [n, v] of Object.entries(pod.spec?.overhead ?? {})) if (sum.has(n) || which === 'requests') add(sum, n, v);
  return sum;
}

const zero = () => newQuantity(0);
const count = (n: number) => String(n);

/** status.used for `quota` over the namespace's objects (only the resources in spec.hard). */
export function quotaUsage(quota: ResourceQuota, objects: NamespaceObjects, nowMs: number): Record<string, string> {
  const hard = Object.keys(quota.spec?.hard ?? {});
  const scoped = hasScopes(quota);
  const pods = ((objects.get('pods') ?? []) as PodLike[]).filter((p) => podCountsForQuota(p, nowMs) && podMatchesQuotaScopes(quota, p));
  let podTotals: { requests: Map<string, Quantity>; limits: Map<string, Quantity> } | undefined;
  const totals = () => {
    if (podTotals) return podTotals;
    podTotals = { requests: new Map(), limits: new Map() };
    for (const p of pods)
      for (const which of ['requests', 'limits'] as const)
        for (const [n, q] of podResources(p, which)) {
          const prev = podTotals[which].get(n);
          podTotals[which].set(n, prev ? addQuantities(prev, q) : q);
        }
    return podTotals;
  };
  const claims = (objects.get('persistentvolumeclaims') ?? []) as ClaimLike[];
  const services = (objects.get('services') ?? []) as ServiceLike[];
  const used: Record<string, string> = {};
  for (const name of hard) {
    const resource = COMPUTE_ALIASES[name] ?? name;
    if (resource === 'pods' || resource === 'count/pods') used[name] = count(pods.length);
    else if (resource.startsWith('requests.') && resource !== 'requests.storage') used[name] = formatQuantity(totals().requests.get(resource.slice('requests.'.length)) ?? zero());
    else if (resource.startsWith('limits.')) used[name] = formatQuantity(totals().limits.get(resource.slice('limits.'.length)) ?? zero());
    else if (scoped) continue; // pod scopes select pods only
    else if (resource === 'services.loadbalancers') used[name] = count(services.filter((s) => s.spec?.type === 'LoadBalancer').length);
    else if (resource === 'services.nodeports')
      used[name] = count(services.filter((s) => s.spec?.type === 'NodePort' || s.spec?.type === 'LoadBalancer').reduce((n, s) => n + (s.spec?.ports ?? []).filter((p) => p.nodePort).length, 0));
    else if (resource === 'requests.storage') used[name] = formatQuantity(sumStorage(claims));
    else if (resource.includes(STORAGE_CLASS_SUFFIX)) {
      const [cls, what] = resource.split(STORAGE_CLASS_SUFFIX) as [string, string];
      const ofClass = claims.filter((c) => (c.spec?.storageClassName ?? '') === cls);
      if (what === 'requests.storage') used[name] = formatQuantity(sumStorage(ofClass));
      else if (what === 'persistentvolumeclaims') used[name] = count(ofClass.length);
    } else if (COUNTED_KINDS[resource]) used[name] = count(objects.get(COUNTED_KINDS[resource]!)?.length ?? 0);
  }
  return used;
}

function sumStorage(claims: readonly ClaimLike[]): Quantity {
  let total = zero();
  for (const c of claims) {
    const q = parseQuantity(c.spec?.resources?.requests?.['storage'] ?? 0);
    if (q) total = addQuantities(total, q);
  }
  return total;
}

/**
 * Whether `resource` (a name in spec.hard) measures objects of `kindKey` (the NamespaceObjects key: `pods`,
 * `services`, `deployments.apps`, ...) — upstream's evaluator MatchingResources, as quota admission uses it.
 */
export function resourceMeasuresKind(resource: string, kindKey: string): boolean {
  const r = COMPUTE_ALIASES[resource] ?? resource;
  if (COUNTED_KINDS[r] === kindKey) return true;
  switch (kindKey) {
    case 'pods':
      return (r.startsWith('requests.') && r !== 'requests.storage') || r.startsWith('limits.');
    case 'services':
      return r === 'services.loadbalancers' || r === 'services.nodeports';
    case 'persistentvolumeclaims':
      return r === 'requests.storage' || r.includes(STORAGE_CLASS_SUFFIX);
    default:
      return false;
  }
}
