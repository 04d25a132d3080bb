/**
 * InterPodAffinity: required pod affinity / anti-affinity (the incoming pod's and existing pods'
 * anti-affinity) as Filter, preferred terms both ways as Score. Any topologyKey; namespaces by list or by
 * namespaceSelector. Filter reasons are upstream's; a failed affinity is unresolvable (preemption cannot add
 * matching pods), failed anti-affinity is Unschedulable (removing pods can help). See the -filter and -score
 * files for the counting rules.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import {
  ActionType,
  affinityTermMatches,
  PodInfo,
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
  type PreFilterExtensions,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../framework/types.js';
import {
  ERR_REASON_AFFINITY,
  ERR_REASON_ANTI_AFFINITY,
  ERR_REASON_EXISTING_ANTI_AFFINITY,
  existingAntiAffinityCounts,
  incomingAffinityCounts,
  InterPodAffinityFilterState,
  mergeNamespaces,
  satisfyExistingPodsAntiAffinity,
  satisfyPodAffinity,
  satisfyPodAntiAffinity,
} from './inter-pod-affinity-filter.js';
import { computeTopologyScore, normalizeInterPodAffinity, scoreNode, type InterPodAffinityScoreState } from './inter-pod-affinity-score.js';
import { Names } from './names.js';
import { readShared, writeShared } from './util/state.js';

export interface InterPodAffinityArgs {
  /** Score added per existing pod's required affinity term the incoming pod matches (0-100, default 1). */
  hardPodAffinityWeight?: number;
  /** Skip scoring existing pods' preferred terms when the incoming pod has none. */
  ignorePreferredTermsOfExistingPods?: boolean;
}

const PRE_FILTER_KEY = 'PreFilterInterPodAffinity';
const PRE_SCORE_KEY = 'PreScoreInterPodAffinity';

export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions, PreFilterExtensions
{
  readonly name = Names.InterPodAffinity;
  private readonly hardPodAffinityWeight: number;
  private readonly ignorePreferredTermsOfExistingPods: boolean;

  constructor(private readonly ctx: PluginContext | undefined, args: InterPodAffinityArgs = {}) {
    this.hardPodAffinityWeight = args.hardPodAffinityWeight ?? 1;
    this.ignorePreferredTermsOfExistingPods = args.ignorePreferredTermsOfExistingPods ?? false;
  }

  private namespaces(): { name: string; labels: Record<string, string> }[] {
    return (this.ctx?.listers.namespaces.list() ?? []).map((ns) => ({ name: ns.metadata.name ?? '', labels: ns.metadata.labels ?? {} }));
  }

  private nsLabels(ns: string): Record<string, string> | undefined {
    return this.ctx?.namespaceLabels(ns);
  }

  preFilter(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): PreFilterOutcome {
    const withAnti = this.ctx ? this.ctx.snapshot().havePodsWithRequiredAntiAffinityList : nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    const list = () => this.namespaces();
    const affinity = mergeNamespaces(pi.requiredAffinityTerms, list);
    const anti = mergeNamespaces(pi.requiredAntiAffinityTerms, list);
    const nsLabels = this.nsLabels(pi.pod.metadata.namespace ?? '');
    const existing = existingAntiAffinityCounts(pi.pod, nsLabels, withAnti);
    const [affinityCounts, antiCounts] = incomingAffinityCounts(affinity, anti, nodes);
    if (existing.size === 0 && affinity.length === 0 && anti.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, new InterPodAffinityFilterState(pi, affinity, anti, nsLabels, existing, affinityCounts, antiCounts));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _pod: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const s = state.read<InterPodAffinityFilterState>(PRE_FILTER_KEY);
    if (s && nodeInfo.node) s.updateWithPod(toAdd, nodeInfo.node, 1);
    return null;
  }

  removePod(state: CycleState, _pod: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const s = state.read<InterPodAffinityFilterState>(PRE_FILTER_KEY);
    if (s && nodeInfo.node) s.updateWithPod(toRemove, nodeInfo.node, -1);
    return null;
  }

  filter(state: CycleState, _pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const s = state.read<InterPodAffinityFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.error(`reading "${PRE_FILTER_KEY}" from cycleState: not found`);
    if (!satisfyPodAffinity(s, node)) return Status.unresolvable(ERR_REASON_AFFINITY);
    if (!satisfyPodAntiAffinity(s, node)) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
    if (!satisfyExistingPodsAntiAffinity(s, node)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return null;
  }

  preScore(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): PluginStatus {
    if (nodes.length === 0) return null;
    const hasConstraints = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
    if (this.ignorePreferredTermsOfExistingPods && !hasConstraints) return Status.skip();
    const snap = this.ctx?.snapshot();
    const allNodes = snap ? (hasConstraints ? snap.list() : snap.havePodsWithAffinityList) : nodes;
    const list = () => this.namespaces();
    const terms = { affinity: mergeNamespaces(pi.preferredAffinityTerms, list), antiAffinity: mergeNamespaces(pi.preferredAntiAffinityTerms, list) };
    const nsLabels = this.nsLabels(pi.pod.metadata.namespace ?? '');
    const topologyScore = computeTopologyScore(pi, terms, nsLabels, allNodes, hasConstraints, this.hardPodAffinityWeight);
    if (topologyScore.size === 0) return Status.skip();
    writeShared<InterPodAffinityScoreState>(state, PRE_SCORE_KEY, { topologyScore });
    return null;
  }

  score(state: CycleState, _pi: PodInfo, nodeInfo: NodeInfo): number | Status {
    const s = readShared<InterPodAffinityScoreState>(state, PRE_SCORE_KEY);
    if (!s || !nodeInfo.node) return 0;
    return scoreNode(s, nodeInfo.node);
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(state: CycleState, _pi: PodInfo, scores: NodeScore[]): PluginStatus {
    const s = readShared<InterPodAffinityScoreState>(state, PRE_SCORE_KEY);
    if (!s || s.topologyScore.size === 0) return null;
    normalizeInterPodAffinity(scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete, label: 'AssignedPodChange' },
        queueingHintFn: (pod, oldObj, newObj) => podChangeMayHelp(pod, oldObj as Pod | undefined, newObj as Pod | undefined, this.ctx),
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAddOrLabelChange' } },
    ];
  }
}

/**
 * isSchedulableAfterPodChange, simplified: an added/relabelled pod may satisfy the target's required
 * affinity; a deleted pod may have blocked it through anti-affinity (either direction).
 */
function podChangeMayHelp(target: Pod, oldPod: Pod | undefined, newPod: Pod | undefined, ctx: PluginContext | undefined): 'Queue' | 'QueueSkip' {
  const ti = new PodInfo(target);
  if (newPod) {
    if (ti.requiredAffinityTerms.length === 0) return 'QueueSkip';
    const nsLabels = ctx?.namespaceLabels(newPod.metadata.namespace ?? '');
    return ti.requiredAffinityTerms.some((t) => affinityTermMatches(t, newPod, nsLabels)) ? 'Queue' : 'QueueSkip';
  }
  if (!oldPod) return 'Queue';
  const nsLabels = ctx?.namespaceLabels(oldPod.metadata.namespace ?? '');
  if (ti.requiredAntiAffinityTerms.some((t) => affinityTermMatches(t, oldPod, nsLabels))) return 'Queue';
  const oi = new PodInfo(oldPod);
  const targetNs = ctx?.namespaceLabels(target.metadata.namespace ?? '');
  return oi.requiredAntiAffinityTerms.some((t) => affinityTermMatches(t, target, targetNs)) ? 'Queue' : 'QueueSkip';
}

export const newInterPodAffinity: PluginFactory = (args, ctx) => new InterPodAffinity(ctx, (args ?? {}) as InterPodAffinityArgs);
