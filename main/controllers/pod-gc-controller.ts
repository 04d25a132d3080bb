/**
 * The pod garbage collector ("pod-garbage-collector", upstream's pkg/controller/podgc). Every 20 s it:
 * - terminated pods: when more than --terminated-pod-gc-threshold (default 12500; 0 disables) pods are
 *   Succeeded/Failed, deletes the excess, evicted pods first, then the oldest;
 * - terminating pods on out-of-service nodes: pods being deleted on a node that is not Ready and carries the
 *   `node.kubernetes.io/out-of-service` taint are force-deleted;
 * - orphaned pods: pods bound to a node that does not exist are force-deleted, after the node has been missing
 *   for a 40 s quarantine and a direct GET confirms it is gone; they are first marked Failed with condition
 *   DisruptionTarget (reason DeletionByPodGC);
 * - unscheduled terminating pods: pods being deleted that were never bound are force-deleted.
 * A pod not yet Succeeded/Failed is patched to Failed before its deletion (nothing else would ever finish it).
 * Deletions use grace period 0 and the pod's uid as precondition.
 */
import type { Node } from '../api/core/v1/node.js';
import type { Pod, PodCondition } from '../api/core/v1/pod-types.js';
import { isConflict, isNotFound, NODES, PODS } from '../client/kube-client.js';
import type { Informer } from '../client/informer.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { everyAligned, type Ticker } from '../timing/aligned-ticker.js';

export const POD_GC = 'pod-garbage-collector';
export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12500;
const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

export interface PodGCTimings {
  /** How often a collection runs (upstream's gcCheckPeriod, 20 s). */
  checkPeriodMs: number;
  /** How long a node must be missing before its pods are orphans (upstream's quarantineTime, 40 s). */
  quarantineMs: number;
}

export const DEFAULT_POD_GC_TIMINGS: PodGCTimings = { checkPeriodMs: 20_000, quarantineMs: 40_000 };

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isTerminated = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isEvicted = (p: Pod): boolean => p.status?.reason === 'Evicted';

export class PodGCController implements Controller {
  readonly name = POD_GC;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  /** Node names seen missing, with when they were first missed. */
  private readonly missingNodes = new Map<string, number>();
  private ticker?: Ticker;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext, private readonly timings: PodGCTimings = DEFAULT_POD_GC_TIMINGS) {
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
  }

  run(): void {
    const tick = () => {
      if (this.stopped || this.running) return;
      this.running = this.gc()
        .catch((e: unknown) => this.ctx.log(`${POD_GC}: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.ticker = everyAligned(this.timings.checkPeriodMs, tick);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ticker?.stop();
    await this.running;
  }

  /** One collection pass (exposed for tests). */
  async gc(): Promise<void> {
    const pods = this.pods.store.list();
    const threshold = this.ctx.options.terminatedPodGCThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
    if (threshold > 0) await this.gcTerminated(pods, threshold);
    await this.gcTerminatingOutOfService(pods);
    await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: Pod[], threshold: number): Promise<void> {
    const terminated = pods.filter(isTerminated);
    const excess = terminated.length - threshold;
    if (excess <= 0) return;
    terminated.sort((a, b) => {
      if (isEvicted(a) !== isEvicted(b)) return isEvicted(a) ? -1 : 1;
      return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
        (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
    });
    this.ctx.log(`${POD_GC}: garbage collecting ${excess} terminated pods (threshold ${threshold})`);
    await this.forceDeleteAll(terminated.slice(0, excess));
  }

  private async gcTerminatingOutOfService(pods: Pod[]): Promise<void> {
    const doomed = pods.filter((p) => {
      if (!p.metadata.deletionTimestamp || !p.spec?.nodeName) return false;
      const node = this.nodes.store.get(p.spec.nodeName);
      if (!node || isNodeReady(node)) return false;
      return (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
    });
    await this.forceDeleteAll(doomed);
  }

  private async gcOrphaned(pods: Pod[]): Promise<void> {
    const now = this.ctx.now();
    const existing = new Set(this.nodes.store.keys());
    for (const p of pods) {
      const node = p.spec?.nodeName;
      if (node && !existing.has(node) && !this.missingNodes.has(node)) this.missingNodes.set(node, now);
    }
    const deleted = new Set<string>();
    for (const [node, since] of this.missingNodes) {
      if (existing.has(node)) {
        this.missingNodes.delete(node);
        continue;
      }
      if (now - since < this.timings.quarantineMs) continue;
      this.missingNodes.delete(node);
      try {
        await this.ctx.client.get(NODES, '', node);
      } catch (e) {
        if (isNotFound(e)) deleted.add(node);
        else this.ctx.log(`${POD_GC}: checking node ${node}: ${String(e)}`);
      }
    }
    if (deleted.size === 0) return;
    const orphans = pods.filter((p) => deleted.has(p.spec?.nodeName ?? ''));
    const condition: PodCondition = {
      type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists',
    };
    await this.forceDeleteAll(orphans, condition);
  }

  private async gcUnscheduledTerminating(pods: Pod[]): Promise<void> {
    await this.forceDeleteAll(pods.filter((p) => p.metadata.deletionTimestamp && !p.spec?.nodeName));
  }

  private async forceDeleteAll(pods: Pod[], condition?: PodCondition): Promise<void> {
    await Promise.all(pods.map(async (p) => {
      try {
        await this.markFailedAndDelete(p, condition);
      } catch (e) {
        if (!isNotFound(e) && !isConflict(e)) this.ctx.log(`${POD_GC}: deleting pod ${p.metadata.namespace}/${p.metadata.name}: ${String(e)}`);
      }
    }));
  }

  /** Marks a non-terminal pod Failed (with `condition`), then deletes it with grace period 0. */
  private async markFailedAndDelete(pod: Pod, condition?: PodCondition): Promise<void> {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name!;
    this.ctx.log(`${POD_GC}: force deleting pod ${ns}/${name}`);
    if (!isTerminated(pod)) {
      const status: Record<string, unknown> = { phase: 'Failed' };
      if (condition) status['conditions'] = withCondition(pod.status?.conditions ?? [], condition, rfc3339(this.ctx.now()));
      await this.ctx.client.patch(PODS, ns, name, 'merge', { metadata: { uid: pod.metadata.uid }, status }, { subresource: 'status' });
    }
    await this.ctx.client.delete(PODS, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
  }
}

/** The conditions with `c` set (upstream's UpdatePodCondition: lastTransitionTime moves only on a status change). */
function withCondition(conditions: PodCondition[], c: PodCondition, now: string): PodCondition[] {
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i < 0) return [...conditions, { ...c, lastProbeTime: null, lastTransitionTime: now }];
  const old = conditions[i]!;
  const next = { ...old, ...c, lastTransitionTime: old.status === c.status ? old.lastTransitionTime : now };
  return conditions.map((x, j) => (j === i ? next : x));
}

function isNodeReady(node: Node): boolean {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  return ready?.status === 'True';
}

/** A pod GC with other timings (tests). */
export function podGCControllerFactoryWith(timings: PodGCTimings): ControllerFactory {
  return { name: POD_GC, create: (ctx: ControllerContext) => new PodGCController(ctx, timings) };
}

export const podGCControllerFactory: ControllerFactory = podGCControllerFactoryWith(DEFAULT_POD_GC_TIMINGS);
