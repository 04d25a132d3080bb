/** Quality of service class of a pod (upstream ComputePodQOS): BestEffort, Burstable or Guaranteed. */
import { addQuantities, compareQuantities, parseQuantity, type Quantity } from '../../meta/quantity.js';
import type { PodSpec, ResourceList } from './pod-types.js';

const QOS_RESOURCES = ['cpu', 'memory'];

function positive(v: unknown): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const q = parseQuantity(v);
  return q && q.mantissa > 0n ? q : undefined;
}

function accumulate(into: Map<string, Quantity>, list: ResourceList | undefined): Set<string> {
  const found = new Set<string>();
  for (const [name, v] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.includes(name)) continue;
    const q = positive(v);
    if (!q) continue;
    found.add(name);
    const prev = into.get(name);
    into.set(name, prev ? addQuantities(prev, q) : q);
  }
  return found;
}

/** Ephemeral containers never count: they cannot declare resources. */
export function computePodQOS(spec: PodSpec): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    accumulate(requests, c.resources?.requests);
    const found = accumulate(limits, c.resources?.limits);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
