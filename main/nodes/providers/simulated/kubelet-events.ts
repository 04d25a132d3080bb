/**
 * Events the simulated kubelets post about pods (Pulling, Pulled, Created, Started, Killing, BackOff), as
 * core/v1 Events with source.component "kubelet" and source.host the node. A token bucket caps the rate
 * (upstream's event broadcaster also drops under load): bulk runs stay cheap, and `enabled: false` turns
 * events off entirely for benchmarks. Posting is fire-and-forget; a failed event is dropped.
 */
import type { KObject } from '../../../api/meta/object.js';
import { EVENTS, type KubeClient } from '../../../client/kube-client.js';
import { rfc3339, type Clock } from './clock.js';

export interface KubeletEventOptions {
  enabled?: boolean;
  /** Sustained events per second across all simulated nodes (default 100). */
  qps?: number;
  /** Bucket size (default 500). */
  burst?: number;
}

export interface InvolvedPod {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion?: string;
}

export class KubeletEvents {
  private tokens: number;
  private last: number;
  private seq = 0;
  private readonly qps: number;
  private readonly burst: number;
  readonly enabled: boolean;
  dropped = 0;

  constructor(private readonly client: KubeClient, private readonly clock: Clock, opts: KubeletEventOptions = {}) {
    this.enabled = opts.enabled ?? true;
    this.qps = opts.qps ?? 100;
    this.burst = opts.burst ?? 500;
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Records one event about a pod (fieldPath e.g. `spec.containers{web}`); returns whether it was sent. */
  record(node: string, pod: InvolvedPod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): boolean {
    if (!this.enabled || !this.take()) return false;
    const now = this.clock.now();
    const stamp = rfc3339(now);
    // `<pod>.<unix nanoseconds in hex>` as upstream names events; the sequence keeps same-millisecond events apart.
    const nanos = BigInt(Math.floor(now)) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${pod.name}.${nanos.toString(16)}`;
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: pod.namespace },
      involvedObject: {
        kind: 'Pod',
        namespace: pod.namespace,
        name: pod.name,
        uid: pod.uid,
        apiVersion: 'v1',
        ...(pod.resourceVersion ? { resourceVersion: pod.resourceVersion } : {}),
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: 'kubelet', host: node },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: node,
    };
    this.client.create(EVENTS, pod.namespace, event).catch(() => {});
    return true;
  }

  private take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) {
      this.dropped++;
      return false;
    }
    this.tokens--;
    return true;
  }
}
