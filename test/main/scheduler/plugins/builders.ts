/**
 * Small node/pod builders and a fake PluginContext for the plugin table tests, plus helpers that run a
 * plugin's extension points the way the framework does (PreFilter → Filter per node; PreScore → Score →
 * NormalizeScore).
 */
import type { Node, Taint } from '../../../../main/api/core/v1/node.js';
import type { Container, Pod, Toleration } from '../../../../main/api/core/v1/pod-types.js';
import type { KObject } from '../../../../main/api/meta/object.js';
import {
  Code,
  CycleState,
  NodeInfo,
  PodInfo,
  Snapshot,
  type FilterPlugin,
  type NodeScore,
  type ObjectLister,
  type PluginContext,
  type PluginListers,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../../../../main/scheduler/framework/types.js';

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: number;
  ephemeral?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(name: string, o: NodeOpts = {}): Node {
  const allocatable: Record<string, string> = { pods: String(o.pods ?? 110), ...(o.extra ?? {}) };
  if (o.cpu !== undefined) allocatable.cpu = o.cpu;
  if (o.memory !== undefined) allocatable.memory = o.memory;
  if (o.ephemeral !== undefined) allocatable['ephemeral-storage'] = o.ephemeral;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: o.labels ?? {} },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable, capacity: allocatable },
  };
}

/** A container with requests; `req` like { cpu: '1', memory: '1' }. */
export function ctr(req: Record<string, string> = {}, extra: Partial<Container> = {}): Container {
  return { name: `c${Math.random().toString(36).slice(2, 7)}`, image: 'img', resources: { requests: req }, ...extra };
}

let podSeq = 0;
export interface PodOpts {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  containers?: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Toleration[];
  overhead?: Record<string, string>;
  priority?: number;
  topologySpreadConstraints?: Record<string, unknown>[];
  volumes?: Record<string, unknown>[];
  schedulingGates?: { name: string }[];
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  deleting?: boolean;
}

export function makePod(o: PodOpts = {}): Pod {
  const name = o.name ?? `p${++podSeq}`;
  const ns = o.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      uid: `uid-${ns}-${name}-${++podSeq}`,
      labels: o.labels,
      ownerReferences: o.ownerReferences,
      deletionTimestamp: o.deleting ? '2024-01-01T00:00:00Z' : undefined,
    },
    spec: {
      containers: o.containers ?? [ctr()],
      initContainers: o.initContainers,
      nodeName: o.nodeName,
      nodeSelector: o.nodeSelector,
      affinity: o.affinity,
      tolerations: o.tolerations,
      overhead: o.overhead,
      priority: o.priority,
      topologySpreadConstraints: o.topologySpreadConstraints,
      volumes: o.volumes as Pod['spec']['volumes'],
      schedulingGates: o.schedulingGates,
    },
  };
}

/** A pod requesting exactly these resources in one container (cpu as quantity text). */
export function podReq(req: Record<string, string>, o: PodOpts = {}): Pod {
  return makePod({ containers: [ctr(req)], ...o });
}

export function nodeInfo(node: Node, ...pods: Pod[]): NodeInfo {
  return new NodeInfo(node, ...pods.map((p) => ({ ...p, spec: { ...p.spec, nodeName: node.metadata.name } })));
}

class ListLister implements ObjectLister {
  constructor(private readonly items: KObject[]) {}
  get(namespace: string, name: string): KObject | undefined {
    return this.items.find((o) => (o.metadata.namespace ?? '') === namespace && o.metadata.name === name);
  }
  list(namespace?: string): KObject[] {
    return namespace === undefined ? this.items : this.items.filter((o) => (o.metadata.namespace ?? '') === namespace);
  }
}

export type ListerData = Partial<Record<keyof PluginListers, KObject[]>>;

export function fakeContext(nodes: NodeInfo[], data: ListerData = {}): PluginContext {
  const snapshot = Snapshot.from(nodes);
  const keys: (keyof PluginListers)[] = [
    'persistentVolumeClaims', 'persistentVolumes', 'storageClasses', 'namespaces', 'services',
    'replicationControllers', 'replicaSets', 'statefulSets', 'podDisruptionBudgets', 'priorityClasses',
  ];
  const listers = Object.fromEntries(keys.map((k) => [k, new ListLister(data[k] ?? [])])) as unknown as PluginListers;
  return {
    snapshot: () => snapshot,
    listers,
    namespaceLabels: (ns) => (data.namespaces ?? []).find((n) => n.metadata.name === ns)?.metadata.labels ?? (ns ? {} : undefined),
    now: () => 0,
    schedulerName: 'default-scheduler',
    runFilterPluginsWithNominatedPods: () => null,
    runPreFilterExtensionAddPod: () => null,
    runPreFilterExtensionRemovePod: () => null,
    nominatedPodsForNode: () => [],
    log: () => {},
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

/** What a Filter run yields for a node: 'fits', or the status code name and reasons. */
export type FilterOutcome = 'fits' | { code: Code; reasons: string[] };

function outcome(s: Status | null | undefined): FilterOutcome {
  if (!s || s.code === Code.Success) return 'fits';
  return { code: s.code, reasons: s.reasons };
}

/**
 * Runs PreFilter (if any) then Filter on each node; a PreFilter Skip means "fits everywhere", a PreFilter
 * rejection is reported for every node, and a PreFilterResult excluding a node reports it as 'excluded'.
 */
export function runFilter(
  plugin: Partial<PreFilterPlugin> & FilterPlugin,
  pod: Pod,
  nodes: NodeInfo[],
  state = new CycleState(),
): Map<string, FilterOutcome | 'excluded'> {
  const pi = new PodInfo(pod);
  const out = new Map<string, FilterOutcome | 'excluded'>();
  if (plugin.preFilter) {
    const pre = plugin.preFilter(state, pi, nodes);
    if (pre.status?.code === Code.Skip) {
      for (const n of nodes) out.set(n.name, 'fits');
      return out;
    }
    if (pre.status && pre.status.code !== Code.Success) {
      for (const n of nodes) out.set(n.name, outcome(pre.status));
      return out;
    }
    const names = pre.result?.nodeNames;
    for (const n of nodes) {
      if (names && !names.has(n.name)) out.set(n.name, 'excluded');
      else out.set(n.name, outcome(plugin.filter(state, pi, n)));
    }
    return out;
  }
  for (const n of nodes) out.set(n.name, outcome(plugin.filter(state, pi, n)));
  return out;
}

export function filterOne(plugin: Partial<PreFilterPlugin> & FilterPlugin, pod: Pod, node: NodeInfo, all: NodeInfo[] = [node]): FilterOutcome | 'excluded' {
  return runFilter(plugin, pod, all).get(node.name)!;
}

export const unschedulable = (...reasons: string[]): FilterOutcome => ({ code: Code.Unschedulable, reasons });
export const unresolvable = (...reasons: string[]): FilterOutcome => ({ code: Code.UnschedulableAndUnresolvable, reasons });

/** PreScore → Score → NormalizeScore over `nodes`; returns name → final score (skip → all 0). */
export function runScore(plugin: Partial<PreScorePlugin> & ScorePlugin, pod: Pod, nodes: NodeInfo[], state = new CycleState()): Record<string, number> {
  const pi = new PodInfo(pod);
  if (plugin.preScore) {
    const s = plugin.preScore(state, pi, nodes);
    if (s?.code === Code.Skip) return Object.fromEntries(nodes.map((n) => [n.name, 0]));
    if (s && s.code !== Code.Success) throw new Error(`preScore: ${s.message()}`);
  }
  const scores: NodeScore[] = nodes.map((n) => {
    const r = plugin.score(state, pi, n);
    if (typeof r !== 'number') throw new Error(`score: ${r.message()}`);
    return { name: n.name, score: r };
  });
  plugin.scoreExtensions?.()?.normalizeScore(state, pi, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}
