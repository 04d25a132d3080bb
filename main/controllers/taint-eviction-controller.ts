/**
 * The taint eviction controller ("taint-eviction-controller", events as "taint-eviction-controller"): deletes the
 * pods bound to a node with NoExecute taints they do not tolerate — at once when some taint is not tolerated at
 * all, else after the smallest tolerationSeconds among the tolerations used (never when none sets seconds).
 * A scheduled eviction keeps its start time while the node stays tainted (a taint change cannot postpone it) and
 * is cancelled when the taints go or the pod starts tolerating them. Before deleting, the pod gets the
 * DisruptionTarget condition (DeletionByTaintManager); events: TaintManagerEviction "Marking for deletion Pod
 * ns/name" and "Cancelling deletion of Pod ns/name". Upstream: pkg/controller/tainteviction (split out of the
 * node lifecycle controller in 1.29).
 */
import type { Node, Taint } from '../api/core/v1/node.js';
import type { Pod, Toleration } from '../api/core/v1/pod-types.js';
import { NODE_NAME_INDEX, byNodeName } from '../client/indexers.js';
import { isNotFound, NODES, objectKey, PODS } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import { toleratesTaint } from '../scheduler/plugins/util/taints.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';

const COMPONENT = 'taint-eviction-controller';
const MAX_RETRIES = 5;

/**
 * GetMatchingTolerations + getMinTolerationTime: undefined if some taint is not tolerated (evict now); else the
 * least tolerationSeconds of the tolerations used, in ms (Infinity when none limits it; ≤ 0 seconds means 0).
 */
export function tolerationWindowMs(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): number | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return undefined;
    used.push(t);
  }
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    min = Math.min(min, Math.max(0, t.tolerationSeconds) * 1000);
  }
  return min;
}

interface Scheduled {
  createdAt: number;
  fireAt: number;
  timer: NodeJS.Timeout;
}

class TaintEvictionController implements Controller {
  readonly name = COMPONENT;
  private readonly pods;
  private readonly nodes;
  private readonly recorder;
  private readonly scheduled = new Map<string, Scheduled>();
  /** Pods due for deletion (keys ns/name). */
  private readonly evictions = new WorkQueue<string>();
  private stopWorkers?: () => Promise<void>;
  private running = false;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(COMPONENT);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.pods.addIndexer(NODE_NAME_INDEX, byNodeName);
    this.pods.addHandler({
      onAdd: (p) => this.running && this.processPod(p),
      onUpdate: (_o, p) => this.running && this.processPod(p),
      onDelete: (p) => this.cancel(objectKey(p), false),
    });
    this.nodes.addHandler({
      onAdd: (n) => this.running && this.processNode(n),
      onUpdate: (o, n) => {
        if (this.running && JSON.stringify(noExecute(o)) !== JSON.stringify(noExecute(n))) this.processNode(n);
      },
      onDelete: (n) => {
        for (const p of this.pods.store.byIndex(NODE_NAME_INDEX, n.metadata.name ?? '')) this.cancel(objectKey(p), false);
      },
    });
  }

  run(): void {
    this.running = true;
    this.stopWorkers = runWorkers(this.evictions, 8, (key) => this.evict(key), {
      maxRetries: MAX_RETRIES,
      onError: (key, err) => this.ctx.log(`${COMPONENT}: deleting pod ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
    for (const n of this.nodes.store.list()) this.processNode(n);
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const s of this.scheduled.values()) clearTimeout(s.timer);
    this.scheduled.clear();
    await this.stopWorkers?.();
  }

  private processNode(node: Node): void {
    for (const p of this.pods.store.byIndex(NODE_NAME_INDEX, node.metadata.name ?? '')) this.processPod(p, node);
  }

  /** processPodOnNode. */
  private processPod(pod: Pod, node?: Node): void {
    const key = objectKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || pod.metadata.deletionTimestamp) return this.cancel(key, false);
    node ??= this.nodes.store.get(nodeName);
    const taints = node ? noExecute(node) : [];
    if (!taints.length) return this.cancel(key, true);
    const window = tolerationWindowMs(taints, pod.spec.tolerations);
    const now = this.ctx.now();
    if (window === undefined) return this.schedule(key, now, now);
    if (window === Infinity) return this.cancel(key, true);
    const existing = this.scheduled.get(key);
    let start = now;
    if (existing) {
      start = existing.createdAt;
      if (existing.fireAt <= start + window) return; // already due no later than the new decision
    }
    this.schedule(key, start, start + window);
  }

  private schedule(key: string, createdAt: number, fireAt: number): void {
    const prev = this.scheduled.get(key);
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => {
      this.scheduled.delete(key);
      this.evictions.add(key);
    }, Math.max(0, fireAt - this.ctx.now()));
    this.scheduled.set(key, { createdAt, fireAt, timer });
  }

  private cancel(key: string, announce: boolean): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    clearTimeout(s.timer);
    this.scheduled.delete(key);
    if (announce) this.recorder.event(podRef(key), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** addConditionAndDeletePod: DisruptionTarget condition, event, delete. */
  private async evict(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    let pod: Pod;
    try {
      pod = await this.ctx.client.get<Pod>(PODS, namespace, name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (pod.metadata.deletionTimestamp) return;
    // The node may have recovered while the eviction waited for a worker.
    const node = pod.spec.nodeName ? this.nodes.store.get(pod.spec.nodeName) : undefined;
    const taints = node ? noExecute(node) : [];
    const window = tolerationWindowMs(taints, pod.spec.tolerations);
    if (!taints.length || window === Infinity) return;
    this.recorder.event(podRef(key), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: new Date(this.ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      lastProbeTime: null,
    });
    try {
      await this.ctx.client.update<Pod>(PODS, namespace, { ...pod, status: { ...(pod.status ?? {}), conditions } }, { subresource: 'status' });
      await this.ctx.client.delete(PODS, namespace, name, { preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}

/** The events' object: the pod by namespace and name only, as upstream reports it. */
const podRef = (key: string) => {
  const [namespace, name] = key.split('/') as [string, string];
  return { apiVersion: 'v1', kind: 'Pod', namespace, name };
};

const noExecute = (node: Node): Taint[] => (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');

export const taintEvictionControllerFactory: ControllerFactory = {
  name: COMPONENT,
  create: (ctx) => new TaintEvictionController(ctx),
};
