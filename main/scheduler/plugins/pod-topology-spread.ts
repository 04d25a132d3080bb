/**
 * PodTopologySpread: hard constraints (DoNotSchedule) as PreFilter/Filter, soft ones (ScheduleAnyway) as
 * PreScore/Score. Pods without constraints get the profile's defaults (System: hostname maxSkew 3, zone
 * maxSkew 5, both ScheduleAnyway) with a selector from the workload selecting them. A node lacking a
 * constraint's topology key is rejected unresolvably ("... (missing required label)"); a skew violation is
 * Unschedulable, since removing pods can fix it.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { matchesLabels } from '../../api/meta/label-selector.js';
import {
  ActionType,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginContext,
  type PluginFactory,
  type PluginStatus,
  type PodInfo,
  type PreFilterExtensions,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../framework/types.js';
import { Names } from './names.js';
import {
  defaultSelector,
  filterConstraints,
  SYSTEM_DEFAULT_CONSTRAINTS,
  type SpreadConstraint,
  type TopologySpreadConstraintSpec,
  type UnsatisfiableAction,
} from './pod-topology-spread-common.js';
import {
  computeSpreadFilterState,
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  spreadFilter,
  SpreadFilterState,
} from './pod-topology-spread-filter.js';
import { computeSpreadScoreState, normalizeSpreadScores, spreadScore, type SpreadScoreState } from './pod-topology-spread-score.js';
import { readShared, writeShared } from './util/state.js';

export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraintSpec[];
  /** System (default): upstream's built-in defaults; List: `defaultConstraints`. */
  defaultingType?: 'System' | 'List';
}

const PRE_FILTER_KEY = 'PreFilterPodTopologySpread';
const PRE_SCORE_KEY = 'PreScorePodTopologySpread';

export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions, PreFilterExtensions
{
  readonly name = Names.PodTopologySpread;
  private readonly defaultConstraints: TopologySpreadConstraintSpec[];
  private readonly systemDefaulted: boolean;

  constructor(private readonly ctx: PluginContext | undefined, args: PodTopologySpreadArgs = {}) {
    this.systemDefaulted = (args.defaultingType ?? 'System') === 'System';
    this.defaultConstraints = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : args.defaultConstraints ?? [];
  }

  /** getConstraints / initPreScoreState's constraint choice for one action. */
  constraints(pod: Pod, action: UnsatisfiableAction): SpreadConstraint[] {
    const own = (pod.spec?.topologySpreadConstraints ?? []) as unknown as TopologySpreadConstraintSpec[];
    const labels = pod.metadata.labels ?? {};
    if (own.length > 0) return filterConstraints(own, labels, action);
    const cs = filterConstraints(this.defaultConstraints, labels, action);
    if (cs.length === 0) return [];
    const selector = defaultSelector(pod, this.ctx?.listers);
    if (selector.length === 0) return [];
    return cs.map((c) => ({ ...c, selector }));
  }

  private allNodes(fallback: NodeInfo[]): NodeInfo[] {
    return this.ctx ? this.ctx.snapshot().list() : fallback;
  }

  preFilter(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): PreFilterOutcome {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraints(pi.pod, 'DoNotSchedule');
    } catch (e) {
      return { status: Status.error(e as Error) };
    }
    if (constraints.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, computeSpreadFilterState(pi.pod, constraints, nodes));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const s = state.read<SpreadFilterState>(PRE_FILTER_KEY);
    if (s && nodeInfo.node) s.updateWithPod(toAdd.pod, pod.pod, nodeInfo.node, 1);
    return null;
  }

  removePod(state: CycleState, pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const s = state.read<SpreadFilterState>(PRE_FILTER_KEY);
    if (s && nodeInfo.node) s.updateWithPod(toRemove.pod, pod.pod, nodeInfo.node, -1);
    return null;
  }

  filter(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const s = state.read<SpreadFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
    switch (spreadFilter(s, pi.pod, node)) {
      case 'missingLabel':
        return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      case 'skew':
        return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      default:
        return null;
    }
  }

  preScore(state: CycleState, pi: PodInfo, filteredNodes: NodeInfo[]): PluginStatus {
    const all = this.allNodes(filteredNodes);
    if (filteredNodes.length === 0 || all.length === 0) return Status.skip();
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraints(pi.pod, 'ScheduleAnyway');
    } catch (e) {
      return Status.error(e as Error);
    }
    if (constraints.length === 0) return Status.skip();
    // Only explicit constraints (or List defaults) require every topology key: with System defaults a node
    // without a zone label still takes part in hostname spreading.
    const requireAll = (pi.pod.spec?.topologySpreadConstraints ?? []).length > 0 || !this.systemDefaulted;
    writeShared(state, PRE_SCORE_KEY, computeSpreadScoreState(pi.pod, constraints, filteredNodes, all, requireAll));
    return null;
  }

  score(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): number | Status {
    const s = readShared<SpreadScoreState>(state, PRE_SCORE_KEY);
    if (!s) return Status.error(`reading "${PRE_SCORE_KEY}" from cycleState: not found`);
    return spreadScore(s, pi.pod, nodeInfo);
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(state: CycleState, _pi: PodInfo, scores: NodeScore[]): PluginStatus {
    const s = readShared<SpreadScoreState>(state, PRE_SCORE_KEY);
    if (s) normalizeSpreadScores(s, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete, label: 'AssignedPodChange' },
        queueingHintFn: (pod, oldObj, newObj) => {
          const changed = (newObj ?? oldObj) as Pod | undefined;
          if (!changed || (changed.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return 'QueueSkip';
          const cs = this.constraints(pod, 'DoNotSchedule');
          const hit = (p: Pod | undefined) => !!p && cs.some((c) => matchesLabels(c.selector, p.metadata.labels));
          return hit(oldObj as Pod | undefined) || hit(newObj as Pod | undefined) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: {
          resource: 'Node',
          actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint,
          label: 'NodeChange',
        },
      },
    ];
  }
}

export const newPodTopologySpread: PluginFactory = (args, ctx) => new PodTopologySpread(ctx, (args ?? {}) as PodTopologySpreadArgs);
