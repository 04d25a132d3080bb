/** Small fake plugins and builders shared by the scheduler unit tests. */
import type { Node } from '../../../main/api/core/v1/node.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import {
  Status, type FilterPlugin, type NodeInfo, type PluginRegistry, type PodInfo, type ScorePlugin, type NodeScore, type PluginStatus,
  type BindPlugin,
} from '../../../main/scheduler/framework/types.js';
import { createPluginContext, emptyListers } from '../../../main/scheduler/plugin-context.js';
import { Snapshot } from '../../../main/scheduler/framework/snapshot.js';
import { FrameworkRuntime } from '../../../main/scheduler/runtime/framework-runtime.js';
import type { ProfileConfig } from '../../../main/scheduler/framework/profile-config.js';

export function node(name: string, cpu = '4', labels: Record<string, string> = {}): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
}

let uid = 0;
export function pod(name: string, opts: { cpu?: string; priority?: number; node?: string; labels?: Record<string, string>; ns?: string } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: opts.ns ?? 'default', uid: `uid-${name}-${++uid}`, labels: opts.labels },
    spec: {
      containers: [{ name: 'c', resources: { requests: { cpu: opts.cpu ?? '100m' } } }],
      ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
      ...(opts.node ? { nodeName: opts.node } : {}),
    },
  } as Pod;
}

/** Rejects nodes whose name is in `reject` with `reason`. */
export function rejectFilter(name: string, reject: Set<string>, reason: string, unresolvable = false): FilterPlugin {
  return {
    name,
    filter: (_s, _p, ni: NodeInfo): PluginStatus =>
      reject.has(ni.name) ? (unresolvable ? Status.unresolvable(reason) : Status.unschedulable(reason)) : null,
  };
}

/** Fits when requested cpu + pod cpu <= allocatable ("Insufficient cpu"). */
export const cpuFit: FilterPlugin = {
  name: 'CpuFit',
  filter: (_s, p: PodInfo, ni: NodeInfo) =>
    ni.requested.milliCPU + p.requests.milliCPU > ni.allocatable.milliCPU ? Status.unschedulable('Insufficient cpu') : null,
};

/** Scores by a fixed table; optional normalization to 0-100 by max. */
export function tableScore(name: string, table: Record<string, number>, normalize = false): ScorePlugin {
  return {
    name,
    score: (_s, _p, ni) => table[ni.name] ?? 0,
    scoreExtensions: normalize
      ? () => ({
          normalizeScore: (_s, _p, scores: NodeScore[]) => {
            const max = Math.max(...scores.map((s) => s.score));
            for (const s of scores) s.score = max ? Math.floor((s.score * 100) / max) : 0;
            return null;
          },
        })
      : undefined,
  };
}

export const noopBinder: BindPlugin = { name: 'Binder', bind: async () => null };

export function runtime(plugins: Record<string, unknown>, config: Partial<ProfileConfig> & { multiPoint: { name: string; weight?: number }[] }, snapshot = () => new Snapshot()) {
  const registry: PluginRegistry = {};
  for (const [k, v] of Object.entries(plugins)) registry[k] = () => v as never;
  registry.Binder ??= () => noopBinder;
  const ctx = createPluginContext({ schedulerName: 'default-scheduler', listers: emptyListers(), snapshot, nominatedPodsForNode: () => [] });
  const fwk = new FrameworkRuntime(
    { schedulerName: 'default-scheduler', percentageOfNodesToScore: config.percentageOfNodesToScore, plugins: { multiPoint: [...config.multiPoint, { name: 'Binder' }] } },
    registry, ctx,
  );
  ctx.bind(fwk);
  return fwk;
}
