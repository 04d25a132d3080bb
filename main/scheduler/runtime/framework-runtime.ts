/**
 * One profile's instantiated plugins and the runners for each extension point (frameworkruntime.frameworkImpl).
 * Plugins are created once per profile from the registry; `plugins.multiPoint` enables each one at every
 * extension point it implements, in order; per-point lists override (see profile-config.ts).
 */
import { PodInfo } from '../framework/pod-info.js';
import { ScoreTable } from './score-table.js';
import type { NodeInfo } from '../framework/node-info.js';
import { CycleState } from '../framework/cycle-state.js';
import { Code, Status, type PluginStatus } from '../framework/status.js';
import type { ClusterEventWithHint } from '../framework/events.js';
import type { ExtensionPoint, PluginRef, ProfileConfig } from '../framework/profile-config.js';
import {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  type BindPlugin,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type NodeToStatus,
  type Plugin,
  type PluginContext,
  type PluginRegistry,
  type PostBindPlugin,
  type PostFilterOutcome,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
} from '../framework/types.js';

/** Which method marks a plugin as implementing an extension point. */
const POINT_METHOD: Record<ExtensionPoint, string> = {
  preEnqueue: 'preEnqueue', queueSort: 'less', preFilter: 'preFilter', filter: 'filter', postFilter: 'postFilter',
  preScore: 'preScore', score: 'score', reserve: 'reserve', preBind: 'preBind', bind: 'bind', postBind: 'postBind',
};

export type { NodePluginScores, PluginScore } from './score-table.js';

export class ProfileConfigError extends Error {}

export class FrameworkRuntime {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number }[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  private readonly instances = new Map<string, Plugin>();

  constructor(config: ProfileConfig, registry: PluginRegistry, readonly ctx: PluginContext) {
    this.schedulerName = config.schedulerName;
    this.percentageOfNodesToScore = config.percentageOfNodesToScore;
    const multi = config.plugins.multiPoint ?? [];
    const weights = new Map<string, number>();
    for (const r of multi) if (r.weight !== undefined) weights.set(r.name, r.weight);
    for (const r of config.plugins.score ?? []) if (r.weight !== undefined) weights.set(r.name, r.weight);
    const instance = (name: string): Plugin => {
      let p = this.instances.get(name);
      if (!p) {
        const factory = registry[name];
        if (!factory) throw new ProfileConfigError(`profile "${config.schedulerName}": plugin "${name}" does not exist`);
        p = factory(config.pluginArgs?.[name], ctx);
        this.instances.set(name, p);
      }
      return p;
    };
    const listFor = (point: ExtensionPoint): Plugin[] => {
      const explicit: PluginRef[] | undefined = config.plugins[point];
      const refs = explicit ?? multi;
      const out: Plugin[] = [];
      for (const r of refs) {
        const p = instance(r.name);
        const implemented = typeof (p as unknown as Record<string, unknown>)[POINT_METHOD[point]] === 'function';
        if (!implemented) {
          if (explicit) throw new ProfileConfigError(`profile "${config.schedulerName}": plugin "${r.name}" does not extend ${point}`);
          continue;
        }
        out.push(p);
      }
      return out;
    };
    this.preEnqueuePlugins.push(...(listFor('preEnqueue') as PreEnqueuePlugin[]));
    this.preFilterPlugins.push(...(listFor('preFilter') as PreFilterPlugin[]));
    this.filterPlugins.push(...(listFor('filter') as FilterPlugin[]));
    this.postFilterPlugins.push(...(listFor('postFilter') as PostFilterPlugin[]));
    this.preScorePlugins.push(...(listFor('preScore') as PreScorePlugin[]));
    for (const p of listFor('score') as ScorePlugin[]) this.scorePlugins.push({ plugin: p, weight: weights.get(p.name) ?? 1 });
    this.reservePlugins.push(...(listFor('reserve') as ReservePlugin[]));
    this.preBindPlugins.push(...(listFor('preBind') as PreBindPlugin[]));
    this.bindPlugins.push(...(listFor('bind') as BindPlugin[]));
    this.postBindPlugins.push(...(listFor('postBind') as PostBindPlugin[]));
    if (this.bindPlugins.length === 0) throw new ProfileConfigError(`profile "${config.schedulerName}": at least one bind plugin is needed`);
  }

  plugin(name: string): Plugin | undefined {
    return this.instances.get(name);
  }

  /**
   * Plugin name → events it registered (undefined = all events, for plugins without EnqueueExtensions),
   * for every plugin that can reject a pod (PreEnqueue, PreFilter, Filter, Reserve, PreBind).
   */
  enqueueHints(): Map<string, ClusterEventWithHint[] | undefined> {
    const out = new Map<string, ClusterEventWithHint[] | undefined>();
    for (const p of this.instances.values()) {
      const ee = p as Partial<EnqueueExtensions>;
      out.set(p.name, typeof ee.eventsToRegister === 'function' ? ee.eventsToRegister() : undefined);
    }
    return out;
  }

  runPreEnqueue(pod: PodInfo['pod']): { plugin: string; status: Status } | null {
    for (const p of this.preEnqueuePlugins) {
      const s = p.preEnqueue(pod);
      if (s && s.code !== Code.Success) return { plugin: p.name, status: s.withPlugin(p.name) };
    }
    return null;
  }

  /**
   * RunPreFilterPlugins: Skip marks the plugin's Filter as skipped; a rejection stops the run; results
   * intersect. An empty intersection is UnschedulableAndUnresolvable.
   */
  runPreFilter(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): { result?: PreFilterResult; status: PluginStatus; contributors: string[] } {
    let result: PreFilterResult | undefined;
    const contributors: string[] = [];
    for (const p of this.preFilterPlugins) {
      let out;
      try {
        out = p.preFilter(state, pi, nodes);
      } catch (e) {
        return { status: Status.error(e as Error).withPlugin(p.name), contributors };
      }
      const s = out.status;
      if (s && s.code === Code.Skip) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (s && s.code !== Code.Success) {
        s.withPlugin(p.name);
        return { status: s, contributors };
      }
      if (out.result?.nodeNames) {
        contributors.push(p.name);
        if (!result?.nodeNames) result = { nodeNames: new Set(out.result.nodeNames) };
        else result = { nodeNames: new Set([...result.nodeNames].filter((n) => out.result!.nodeNames!.has(n))) };
        if (result.nodeNames!.size === 0) {
          const msg = `node(s) didn't satisfy plugin(s) [${contributors.join(' ')}] simultaneously`;
          return { result, status: Status.unresolvable(msg).withPlugin(p.name), contributors };
        }
      }
    }
    return { result, status: null, contributors };
  }

  /** RunFilterPlugins: the first rejecting plugin decides the node's status. */
  runFilter(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const plugins = this.activeFilterPlugins(state);
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      let s: PluginStatus;
      try {
        s = p.filter(state, pi, nodeInfo);
      } catch (e) {
        s = Status.error(e as Error);
      }
      if (s && s.code !== Code.Success) {
        s.plugin = p.name;
        if (s.code !== Code.Error && !s.isUnschedulable()) return Status.error(`plugin ${p.name} returned ${s.code} from Filter`).withPlugin(p.name);
        return s;
      }
    }
    return null;
  }

  /**
   * The Filter plugins not skipped by PreFilter, computed once per attempt instead of a Set lookup per
   * plugin per node. Cached on the state; recomputed if the skip set was replaced or changed size (it only
   * grows during PreFilter, before any Filter runs).
   */
  private activeFilterPlugins(state: CycleState): FilterPlugin[] {
    const skip = state.skipFilterPlugins;
    const c = state.filterPluginsCache;
    if (c && c.owner === this && c.skip === skip && c.skipSize === skip.size) return c.plugins as FilterPlugin[];
    const plugins = skip.size ? this.filterPlugins.filter((p) => !skip.has(p.name)) : this.filterPlugins;
    state.filterPluginsCache = { owner: this, skip, skipSize: skip.size, plugins };
    return plugins;
  }

  /**
   * RunFilterPluginsWithNominatedPods: first with nominated pods of priority ≥ the pod's added to the node
   * (they must still fit afterwards), then, if any were added and that passed, again without them.
   */
  runFilterWithNominatedPods(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    if (this.ctx.hasNominatedPods?.() === false) return this.runFilter(state, pi, nodeInfo);
    const nominated = this.ctx.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilter(state, pi, nodeInfo);
    const prio = pi.pod.spec?.priority ?? 0;
    const adds = nominated.filter((n) => (n.pod.spec?.priority ?? 0) >= prio && n.uid !== pi.uid);
    if (adds.length === 0) return this.runFilter(state, pi, nodeInfo);
    const st = state.clone();
    const ni = nodeInfo.clone();
    for (const a of adds) {
      ni.addPod(a);
      const s = this.runPreFilterAddPod(st, pi, a, ni);
      if (s && s.code !== Code.Success) return s;
    }
    const withNominated = this.runFilter(st, pi, ni);
    if (withNominated) return withNominated;
    return this.runFilter(state, pi, nodeInfo);
  }

  runPreFilterAddPod(state: CycleState, pi: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.addPod(state, pi, toAdd, nodeInfo);
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  runPreFilterRemovePod(state: CycleState, pi: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.removePod(state, pi, toRemove, nodeInfo);
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  /** RunPostFilterPlugins: the first plugin that makes the pod schedulable wins; otherwise messages are joined. */
  async runPostFilter(state: CycleState, pi: PodInfo, statuses: NodeToStatus): Promise<PostFilterOutcome & { plugin?: string }> {
    let result: PostFilterOutcome['result'];
    const reasons: string[] = [];
    for (const p of this.postFilterPlugins) {
      let out: PostFilterOutcome;
      try {
        out = await p.postFilter(state, pi, statuses);
      } catch (e) {
        return { status: Status.error(e as Error).withPlugin(p.name), plugin: p.name };
      }
      const s = out.status;
      if (!s || s.code === Code.Success) return { ...out, plugin: p.name };
      if (s.code === Code.Error) return { ...out, status: s.withPlugin(p.name), plugin: p.name };
      if (s.code !== Code.Skip) reasons.push(...s.reasons);
      if (out.result) result = out.result;
    }
    return { result, status: new Status(Code.Unschedulable, reasons) };
  }

  runPreScore(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): PluginStatus {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pi, nodes);
      if (s && s.code === Code.Skip) {
        state.skipScorePlugins.add(p.name);
        continue;
      }
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  /**
   * RunScorePlugins: score, normalize, weight. Results go into a ScoreTable (flat arrays); plugins with
   * NormalizeScore get a NodeScore list reused across attempts (the contract: rescale in place, keep no
   * reference), plugins without it write straight into the table.
   */
  runScore(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): { table: ScoreTable; status: PluginStatus } {
    const n = nodes.length;
    const skip = state.skipScorePlugins;
    let active = 0;
    for (const { plugin } of this.scorePlugins) if (!skip.has(plugin.name)) active++;
    const table = new ScoreTable(nodes, active);
    const { raw, normalized, totals } = table;
    for (const { plugin, weight } of this.scorePlugins) {
      if (skip.size && skip.has(plugin.name)) continue;
      const base = table.plugins.length * n;
      for (let i = 0; i < n; i++) {
        const r = plugin.score(state, pi, nodes[i]!);
        if (typeof r !== 'number') return { table, status: r.withPlugin(plugin.name) };
        raw[base + i] = r;
      }
      const ext = plugin.scoreExtensions?.();
      if (ext) {
        const list = this.nodeScoreList(nodes, raw, base);
        const s = ext.normalizeScore(state, pi, list);
        if (s && s.code !== Code.Success) return { table, status: s.withPlugin(plugin.name) };
        for (let i = 0; i < n; i++) normalized[base + i] = list[i]!.score;
      } else {
        for (let i = 0; i < n; i++) normalized[base + i] = raw[base + i]!;
      }
      for (let i = 0; i < n; i++) {
        const v = normalized[base + i]!;
        if (v > MAX_NODE_SCORE || v < MIN_NODE_SCORE) {
          return {
            table,
            status: Status.error(`plugin "${plugin.name}" returns an invalid score ${v}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`).withPlugin(plugin.name),
          };
        }
        totals[i] += v * weight;
      }
      table.plugins.push(plugin.name);
      table.weights.push(weight);
    }
    return { table, status: null };
  }

  private readonly scratchScores: NodeScore[] = [];

  /** The reusable NodeScore list for NormalizeScore, filled with one plugin's raw scores. */
  private nodeScoreList(nodes: NodeInfo[], raw: number[], base: number): NodeScore[] {
    const list = this.scratchScores;
    for (let i = list.length; i < nodes.length; i++) list.push({ name: '', score: 0 });
    list.length = nodes.length;
    for (let i = 0; i < nodes.length; i++) {
      const e = list[i]!;
      e.name = nodes[i]!.name;
      e.score = raw[base + i]!;
    }
    return list;
  }

  runReserve(state: CycleState, pi: PodInfo, nodeName: string): PluginStatus {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pi, nodeName);
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  /** Unreserve runs in reverse order. */
  runUnreserve(state: CycleState, pi: PodInfo, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) {
      try {
        this.reservePlugins[i]!.unreserve(state, pi, nodeName);
      } catch (e) {
        this.ctx.log(`unreserve ${this.reservePlugins[i]!.name}: ${(e as Error).message}`);
      }
    }
  }

  async runPreBind(state: CycleState, pi: PodInfo, nodeName: string): Promise<PluginStatus> {
    for (const p of this.preBindPlugins) {
      const s = await p.preBind(state, pi, nodeName);
      if (s && s.code !== Code.Success) return s.withPlugin(p.name);
    }
    return null;
  }

  /** The first bind plugin that does not Skip binds. */
  async runBind(state: CycleState, pi: PodInfo, nodeName: string): Promise<PluginStatus> {
    for (const p of this.bindPlugins) {
      const s = await p.bind(state, pi, nodeName);
      if (s && s.code === Code.Skip) continue;
      return s ? s.withPlugin(p.name) : null;
    }
    return Status.skip();
  }

  runPostBind(state: CycleState, pi: PodInfo, nodeName: string): void {
    for (const p of this.postBindPlugins) p.postBind(state, pi, nodeName);
  }

  newCycleState(): CycleState {
    return new CycleState();
  }
}
