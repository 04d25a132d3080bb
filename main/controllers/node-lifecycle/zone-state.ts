/**
 * Zones and disruption (upstream node lifecycle controller): nodes are grouped by region/zone labels; a zone
 * whose nodes are all not Ready is in FullDisruption, one with more than 2 and at least 55 % not Ready in
 * PartialDisruption, else Normal. NoExecute tainting runs through a per-zone token bucket whose rate follows the
 * zone state (--node-eviction-rate 0.1/s; partial disruption: --secondary-node-eviction-rate 0.01/s in zones
 * larger than --large-cluster-size-threshold 50, else 0). When every zone is fully disrupted the controller
 * assumes its own connectivity is at fault and stops tainting altogether.
 */
import type { Node } from '../../api/core/v1/node.js';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

export const EVICTION_RATE_QPS = 0.1;
export const SECONDARY_EVICTION_RATE_QPS = 0.01;
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;

/** nodetopology.GetZoneKey: "<region>:\0:<zone>", or "" without either label. */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\u0000:${zone}`;
}

/** ComputeZoneState over the Ready statuses (undefined = no Ready condition) of a zone's nodes. */
export function computeZoneState(readyStatuses: readonly (string | undefined)[]): ZoneState {
  const ready = readyStatuses.filter((s) => s === 'True').length;
  const notReady = readyStatuses.length - ready;
  if (ready === 0 && notReady > 0) return 'FullDisruption';
  if (notReady > 2 && notReady / (notReady + ready) >= UNHEALTHY_ZONE_THRESHOLD) return 'PartialDisruption';
  return 'Normal';
}

export function zoneRate(state: ZoneState, zoneSize: number): number {
  if (state === 'PartialDisruption') return zoneSize > LARGE_CLUSTER_SIZE_THRESHOLD ? SECONDARY_EVICTION_RATE_QPS : 0;
  return EVICTION_RATE_QPS;
}

/** flowcontrol token bucket with burst 1; qps 0 never admits. */
export class TokenBucket {
  private tokens = 1;
  private last: number;

  constructor(private qps: number, private readonly now: () => number) {
    this.last = now();
  }

  setRate(qps: number): void {
    this.refill();
    this.qps = qps;
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(1, this.tokens + ((t - this.last) / 1000) * this.qps);
    this.last = t;
  }
}
