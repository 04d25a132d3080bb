/**
 * The scheduler plugin contract, modelled on kube-scheduler's framework (pkg/scheduler/framework/interface.go).
 *
 * A profile runs its plugins at extension points in this order per attempt:
 *   PreEnqueue (queue admission) → QueueSort → PreFilter → Filter (per node) → PostFilter (only when no
 *   node fits; preemption) → PreScore → Score (per feasible node) → NormalizeScore → ×weight →
 *   Reserve → [assume] → PreBind → Bind → PostBind; Unreserve on any failure after Reserve.
 *
 * Conventions (binding for every plugin):
 * - Statuses: return `null` for Success; `Status.unschedulable(reason)` when the node cannot take the pod but
 *   preemption might help; `Status.unresolvable(reason)` when preemption cannot help; `Status.error(e)` for
 *   internal errors; `Status.skip()` from PreFilter/PreScore to opt out of Filter/Score for this pod.
 *   Reasons are the exact upstream strings (they are counted into "0/N nodes are available: ..." messages).
 * - Filter, Score, PreFilter, PreScore, Reserve are synchronous and must not perform I/O: they read the
 *   Snapshot and PluginContext listers. PostFilter, PreBind and Bind may be async.
 * - NodeInfo/PodInfo/Pod objects handed to plugins are shared: never mutate them.
 * - Per-attempt data goes in CycleState under the plugin's name (or a name-derived key).
 * - Plugin factories are registered by name in a PluginRegistry; main/scheduler/plugins/registry.ts exports
 *   `inTreeRegistry` (name → factory) for the plugins in main/scheduler/plugins/.
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KObject } from '../../api/meta/object.js';
import type { CycleState } from './cycle-state.js';
import type { ClusterEventWithHint } from './events.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import type { Snapshot } from './snapshot.js';
import type { PluginStatus, Status } from './status.js';

export * from './status.js';
export * from './cycle-state.js';
export * from './resource.js';
export * from './pod-info.js';
export * from './host-ports.js';
export * from './node-info.js';
export * from './snapshot.js';
export * from './events.js';

/** Highest score a Score plugin may return after normalization (framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;
/** Largest sum of weights a profile may have (framework.MaxTotalScore guard); informational. */
export const MAX_TOTAL_SCORE = Number.MAX_SAFE_INTEGER;

export interface Plugin {
  /** The registry name, e.g. "NodeResourcesFit". */
  readonly name: string;
}

/** PreFilter may narrow the nodes to evaluate (e.g. NodeAffinity with a metadata.name matchFields). */
export interface PreFilterResult {
  /** undefined = all nodes; a set = only these nodes are evaluated. */
  nodeNames?: Set<string>;
}

export interface PreFilterOutcome {
  result?: PreFilterResult;
  status: PluginStatus;
}

/**
 * Incremental updates of PreFilter state when preemption simulates removing victims (or adding nominated
 * pods) on a node: mutate the CycleState data written by this plugin's PreFilter.
 */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: PodInfo, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): PluginStatus;
  removePod(state: CycleState, podToSchedule: PodInfo, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): PluginStatus;
}

export interface PreFilterPlugin extends Plugin {
  /** `nodes` are all nodes of the snapshot. */
  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): PreFilterOutcome;
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): PluginStatus;
}

/** Statuses of the nodes that failed Filter (or all nodes when PreFilter failed), by node name. */
export type NodeToStatus = Map<string, Status>;

export interface PostFilterResult {
  /** Node the pod is nominated to after preemption; '' clears a previous nomination. */
  nominatedNodeName?: string;
}

export interface PostFilterOutcome {
  result?: PostFilterResult;
  /** Success when the pod may fit after preemption; Unschedulable with a message otherwise. */
  status: PluginStatus;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filteredNodeStatuses: NodeToStatus): Promise<PostFilterOutcome> | PostFilterOutcome;
}

export interface PreScorePlugin extends Plugin {
  /** `nodes` are the feasible nodes. Return Status.skip() to skip this plugin's Score for the pod. */
  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): PluginStatus;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScoreExtensions {
  /** Rescales `scores` in place into [0, MAX_NODE_SCORE]. */
  normalizeScore(state: CycleState, pod: PodInfo, scores: NodeScore[]): PluginStatus;
}

export interface ScorePlugin extends Plugin {
  /** A score (any integer before normalization; [0, 100] if the plugin has no normalizeScore), or an error Status. */
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status;
  scoreExtensions?(): ScoreExtensions | undefined;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): PluginStatus;
  /** Must be idempotent: may run although reserve() never ran for this plugin. */
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginStatus>;
}

export interface BindPlugin extends Plugin {
  /** Return Status.skip() to let the next bind plugin handle the pod. */
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginStatus>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: PodInfo, nodeName: string): void;
}

/** Runs before a pod enters the active queue; non-success keeps it parked (e.g. SchedulingGates). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): PluginStatus;
}

export interface EnqueueExtensions extends Plugin {
  /** Events that may make a pod this plugin rejected schedulable; [] = never requeue for this plugin. */
  eventsToRegister(): ClusterEventWithHint[];
}

/** Read access to objects a plugin needs that are not in the Snapshot. */
export interface ObjectLister<T extends KObject = KObject> {
  /** Cluster-scoped objects: namespace is ''. */
  get(namespace: string, name: string): T | undefined;
  /** All objects, or those in one namespace. */
  list(namespace?: string): T[];
}

export interface PluginListers {
  persistentVolumeClaims: ObjectLister;
  persistentVolumes: ObjectLister;
  storageClasses: ObjectLister;
  /** For namespaceSelector in pod affinity terms. */
  namespaces: ObjectLister;
  /** Workload selectors, for PodTopologySpread's system default constraints. */
  services: ObjectLister;
  replicationControllers: ObjectLister;
  replicaSets: ObjectLister;
  statefulSets: ObjectLister;
  /** PodDisruptionBudgets, used by preemption. */
  podDisruptionBudgets: ObjectLister;
  /** PriorityClasses. */
  priorityClasses: ObjectLister;
}

/** What a plugin factory receives (framework.Handle, trimmed to what plugins use). */
export interface PluginContext {
  /** The snapshot of the attempt in progress (valid inside PreFilter..PostFilter/Score). */
  snapshot(): Snapshot;
  listers: PluginListers;
  /** Labels of a namespace (for namespaceSelector), undefined when unknown. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  /** Injected clock (ms since epoch). */
  now(): number;
  /** The profile the plugin runs in. */
  schedulerName: string;
  /**
   * Runs the profile's Filter plugins (with nominated pods of higher/equal priority taken into account)
   * for `pod` on `nodeInfo`; used by preemption to test candidates.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): PluginStatus;
  /** Runs the profile's PreFilterExtensions.addPod/removePod (preemption simulation). */
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): PluginStatus;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): PluginStatus;
  /** Pods nominated to a node (by preemption) that are not yet bound. */
  nominatedPodsForNode(nodeName: string): PodInfo[];
  /** Optional fast check: false when no pod is nominated anywhere (saves a per-node lookup in Filter). */
  hasNominatedPods?(): boolean;
  log(message: string): void;
}

/** Creates one plugin instance for one profile. `args` come from the profile's pluginArgs[name]. */
export type PluginFactory = (args: unknown, ctx: PluginContext) => Plugin;

/** Plugin name → factory. */
export type PluginRegistry = Record<string, PluginFactory>;

/** Node, re-exported for plugins' convenience. */
export type { Node, Pod };
