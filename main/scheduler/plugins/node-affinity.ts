/**
 * NodeAffinity. PreFilter: skipped for pods without nodeSelector/required affinity; narrows the nodes to the
 * names in metadata.name matchFields when every required term names nodes (no node at all when the terms
 * contradict: "pod affinity terms conflict"). Filter: nodeSelector AND required terms, unresolvably
 * rejected as "node(s) didn't match Pod's node affinity/selector"; an optional profile-level addedAffinity is
 * enforced first ("node(s) didn't match scheduler-enforced node affinity"). Score: sum of the weights of the
 * matching preferred terms (plus addedAffinity's), normalized so the best node scores 100.
 */
import {
  ActionType,
  MAX_NODE_SCORE,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Node,
  type NodeInfo,
  type NodeScore,
  type Pod,
  type PluginFactory,
  type PluginStatus,
  type PodInfo,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../framework/types.js';
import { Names } from './names.js';
import { defaultNormalizeScore } from './util/normalize.js';
import {
  CompiledNodeSelector,
  nodeAffinityOf,
  OBJECT_NAME_FIELD,
  PreferredSchedulingTerms,
  RequiredNodeAffinity,
  type NodeAffinitySpec,
} from './util/node-selector.js';
import { readShared, writeShared } from './util/state.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinitySpec;
}

const PRE_FILTER_KEY = 'PreFilterNodeAffinity';
const PRE_SCORE_KEY = 'PreScoreNodeAffinity';

/** PreFilterResult narrowing: undefined = all nodes; a set (possibly empty) = only those names. */
export function nodeNamesFromMatchFields(pod: Pod): Set<string> | undefined {
  const terms = nodeAffinityOf(pod)?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    // A term without a metadata.name In requirement admits every node (terms are ORed).
    if (!termNames) return undefined;
    names = names ? new Set([...names, ...termNames]) : termNames;
  }
  return names;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  readonly name = Names.NodeAffinity;
  private readonly addedNodeSelector: CompiledNodeSelector | undefined;
  private readonly addedPrefSchedTerms: PreferredSchedulingTerms | undefined;

  constructor(args: NodeAffinityArgs = {}) {
    const added = args.addedAffinity;
    if (added?.requiredDuringSchedulingIgnoredDuringExecution) {
      this.addedNodeSelector = new CompiledNodeSelector(added.requiredDuringSchedulingIgnoredDuringExecution);
    }
    if (added?.preferredDuringSchedulingIgnoredDuringExecution?.length) {
      this.addedPrefSchedTerms = new PreferredSchedulingTerms(added.preferredDuringSchedulingIgnoredDuringExecution);
    }
  }

  preFilter(state: CycleState, pi: PodInfo): PreFilterOutcome {
    const pod = pi.pod;
    const required = nodeAffinityOf(pod)?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && !pod.spec?.nodeSelector) return { status: Status.skip() };
    writeShared(state, PRE_FILTER_KEY, new RequiredNodeAffinity(pod));
    const names = nodeNamesFromMatchFields(pod);
    if (names && names.size === 0) return { status: Status.unresolvable(ERR_REASON_CONFLICT) };
    return { status: null, result: names ? { nodeNames: names } : undefined };
  }

  filter(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return Status.unresolvable(ERR_REASON_ENFORCED);
    const req = readShared<RequiredNodeAffinity>(state, PRE_FILTER_KEY) ?? new RequiredNodeAffinity(pi.pod);
    return req.match(node) ? null : Status.unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pi: PodInfo): PluginStatus {
    const terms = new PreferredSchedulingTerms(nodeAffinityOf(pi.pod)?.preferredDuringSchedulingIgnoredDuringExecution);
    if (terms.length === 0 && !this.addedPrefSchedTerms) return Status.skip();
    writeShared(state, PRE_SCORE_KEY, terms);
    return null;
  }

  score(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): number | Status {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    let count = this.addedPrefSchedTerms ? this.addedPrefSchedTerms.score(node) : 0;
    const terms =
      readShared<PreferredSchedulingTerms>(state, PRE_SCORE_KEY) ??
      new PreferredSchedulingTerms(nodeAffinityOf(pi.pod)?.preferredDuringSchedulingIgnoredDuringExecution);
    count += terms.score(node);
    return count;
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(_state: CycleState, _pi: PodInfo, scores: NodeScore[]): PluginStatus {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAddOrLabelChange' },
        queueingHintFn: (pod, oldObj, newObj) => {
          const n = newObj as Node | undefined;
          if (!n) return 'QueueSkip';
          if (this.addedNodeSelector && !this.addedNodeSelector.match(n)) return 'QueueSkip';
          const req = new RequiredNodeAffinity(pod);
          if (!req.match(n)) return 'QueueSkip';
          const o = oldObj as Node | undefined;
          return o && req.match(o) ? 'QueueSkip' : 'Queue';
        },
      },
    ];
  }
}

export const newNodeAffinity: PluginFactory = (args) => new NodeAffinity((args ?? {}) as NodeAffinityArgs);
