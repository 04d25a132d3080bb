/**
 * Resource arithmetic as kube-scheduler's framework.Resource and resourcehelper.PodRequests: cpu in
 * millicores, memory/ephemeral-storage/scalar resources in (rounded-up) integer units, `pods` as a count.
 * A pod's effective request is max(sum(app containers + restartable init containers), each init container
 * plus the sidecars started before it), plus pod overhead; pod-level `spec.resources.requests` override.
 */
import { parseQuantity, quantityIntValue, quantityMilliValue } from '../../api/meta/quantity.js';
import type { Container, Pod, ResourceList } from '../../api/core/v1/pod-types.js';

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';
export const RESOURCE_PODS = 'pods';

/** Requests assumed for scoring when a container sets none (upstream DefaultMilliCPURequest / DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Native = no domain, or a kubernetes.io/ domain (v1helper.IsNativeResource). */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}
export function isAttachableVolumeResourceName(name: string): boolean {
  return name.startsWith('attachable-volumes-');
}
export function isExtendedResourceName(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith('requests.');
}
/** Scalar resources are tracked in Resource.scalarResources (v1helper.IsScalarResourceName). */
export function isScalarResourceName(name: string): boolean {
  return isExtendedResourceName(name) || isHugePageResourceName(name) || isAttachableVolumeResourceName(name);
}

/** Integer value of a quantity (milli for cpu), rounded up like Quantity.Value()/MilliValue(); 0 if unparseable. */
export function quantityOf(name: string, v: string | number | undefined): number {
  if (v === undefined) return 0;
  const q = parseQuantity(v);
  if (!q) return 0;
  return name === RESOURCE_CPU ? quantityMilliValue(q) : quantityIntValue(q);
}

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  /** Extended resources, hugepages, attachable volumes: name → integer value. */
  scalarResources: Map<string, number> | undefined;

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    r.addList(list);
    return r;
  }

  /** Adds a ResourceList (Resource.Add): unknown non-scalar names are ignored. */
  addList(list: ResourceList | undefined): void {
    if (!list) return;
    for (const name in list) this.addNamed(name, quantityOf(name, list[name]));
  }

  addNamed(name: string, v: number): void {
    switch (name) {
      case RESOURCE_CPU: this.milliCPU += v; break;
      case RESOURCE_MEMORY: this.memory += v; break;
      case RESOURCE_EPHEMERAL_STORAGE: this.ephemeralStorage += v; break;
      case RESOURCE_PODS: this.allowedPodNumber += v; break;
      default:
        if (isScalarResourceName(name)) this.setScalar(name, (this.scalarResources?.get(name) ?? 0) + v);
    }
  }

  /** Value of one named resource (cpu in millicores). */
  get(name: string): number {
    switch (name) {
      case RESOURCE_CPU: return this.milliCPU;
      case RESOURCE_MEMORY: return this.memory;
      case RESOURCE_EPHEMERAL_STORAGE: return this.ephemeralStorage;
      case RESOURCE_PODS: return this.allowedPodNumber;
      default: return this.scalarResources?.get(name) ?? 0;
    }
  }

  set(name: string, v: number): void {
    switch (name) {
      case RESOURCE_CPU: this.milliCPU = v; break;
      case RESOURCE_MEMORY: this.memory = v; break;
      case RESOURCE_EPHEMERAL_STORAGE: this.ephemeralStorage = v; break;
      case RESOURCE_PODS: this.allowedPodNumber = v; break;
      default: this.setScalar(name, v);
    }
  }

  setScalar(name: string, v: number): void {
    (this.scalarResources ??= new Map()).set(name, v);
  }

  add(o: Resource, sign = 1): void {
    this.milliCPU += sign * o.milliCPU;
    this.memory += sign * o.memory;
    this.ephemeralStorage += sign * o.ephemeralStorage;
    this.allowedPodNumber += sign * o.allowedPodNumber;
    if (o.scalarResources) for (const [k, v] of o.scalarResources) this.setScalar(k, (this.scalarResources?.get(k) ?? 0) + sign * v);
  }

  /** Element-wise max (SetMaxResource). */
  setMax(o: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, o.milliCPU);
    this.memory = Math.max(this.memory, o.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, o.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, o.allowedPodNumber);
    if (o.scalarResources) for (const [k, v] of o.scalarResources) this.setScalar(k, Math.max(this.scalarResources?.get(k) ?? 0, v));
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  /** Names with a non-zero value, for display and records. */
  toList(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.milliCPU) out.cpu = this.milliCPU;
    if (this.memory) out.memory = this.memory;
    if (this.ephemeralStorage) out['ephemeral-storage'] = this.ephemeralStorage;
    if (this.allowedPodNumber) out.pods = this.allowedPodNumber;
    if (this.scalarResources) for (const [k, v] of this.scalarResources) if (v) out[k] = v;
    return out;
  }
}

export interface PodRequestOptions {
  /** Per-container defaults for missing requests (scoring uses cpu 100m / memory 200Mi). */
  nonMissingContainerRequests?: { milliCPU: number; memory: number };
  excludeOverhead?: boolean;
}

function containerRequests(c: Container, opts: PodRequestOptions): Resource {
  const req = c.resources?.requests;
  const r = Resource.fromList(req);
  const d = opts.nonMissingContainerRequests;
  if (d) {
    if (!req || req.cpu === undefined) r.milliCPU = d.milliCPU;
    if (!req || req.memory === undefined) r.memory = d.memory;
  }
  return r;
}

/** resourcehelper.PodRequests: the pod's effective requests (see the file comment). */
export function podRequests(pod: Pod, opts: PodRequestOptions = {}): Resource {
  const reqs = new Resource();
  for (const c of pod.spec?.containers ?? []) reqs.add(containerRequests(c, opts));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec?.initContainers ?? []) {
    const cr = containerRequests(c, opts);
    if (c.restartPolicy === 'Always') {
      reqs.add(cr);
      sidecars.add(cr);
      initMax.setMax(sidecars);
    } else {
      cr.add(sidecars);
      initMax.setMax(cr);
    }
  }
  reqs.setMax(initMax);
  const podLevel = pod.spec?.resources?.requests;
  if (podLevel) {
    for (const name of [RESOURCE_CPU, RESOURCE_MEMORY]) {
      if (podLevel[name] !== undefined) reqs.set(name, quantityOf(name, podLevel[name]));
    }
  }
  if (!opts.excludeOverhead && pod.spec?.overhead) reqs.addList(pod.spec.overhead);
  return reqs;
}

/** Requests used for scoring: missing cpu/memory per container count as 100m / 200Mi (non-zero requests). */
export function podNonZeroRequests(pod: Pod): Resource {
  return podRequests(pod, { nonMissingContainerRequests: { milliCPU: DEFAULT_MILLI_CPU_REQUEST, memory: DEFAULT_MEMORY_REQUEST } });
}
