/**
 * TaintToleration. Filter: the first NoSchedule/NoExecute taint the pod does not tolerate rejects the node,
 * unresolvably, worded "node(s) had untolerated taint {key: value}". Score: the number of PreferNoSchedule
 * taints not tolerated by the pod's PreferNoSchedule (or effect-less) tolerations, reverse-normalized so the
 * fewest intolerable taints scores 100.
 */
import type { Taint } from '../../api/core/v1/node.js';
import type { Toleration } from '../../api/core/v1/pod-types.js';
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
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../framework/types.js';
import { Names } from './names.js';
import { defaultNormalizeScore } from './util/normalize.js';
import { readShared, writeShared } from './util/state.js';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint, taintToleratedBy } from './util/taints.js';

const PRE_SCORE_KEY = 'PreScoreTaintToleration';

export function untoleratedTaintReason(t: Taint): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

export function preferNoScheduleTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export function countIntolerablePreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: Toleration[]): number {
  let n = 0;
  for (const t of taints ?? []) if (t.effect === 'PreferNoSchedule' && !taintToleratedBy(t, tolerations)) n++;
  return n;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  readonly name = Names.TaintToleration;

  filter(_state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const node = nodeInfo.node;
    if (!node) return Status.error('invalid nodeInfo');
    const taint = findMatchingUntoleratedTaint(node.spec?.taints, pi.pod.spec?.tolerations, isDoNotScheduleTaint);
    return taint ? Status.unresolvable(untoleratedTaintReason(taint)) : null;
  }

  preScore(state: CycleState, pi: PodInfo, nodes: NodeInfo[]): PluginStatus {
    if (nodes.length === 0) return null;
    writeShared(state, PRE_SCORE_KEY, preferNoScheduleTolerations(pi.pod.spec?.tolerations));
    return null;
  }

  score(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): number {
    const tolerations = readShared<Toleration[]>(state, PRE_SCORE_KEY) ?? preferNoScheduleTolerations(pi.pod.spec?.tolerations);
    return countIntolerablePreferNoSchedule(nodeInfo.node?.spec?.taints, tolerations);
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(_state: CycleState, _pi: PodInfo, scores: NodeScore[]): PluginStatus {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint, label: 'NodeAddOrTaintChange' },
        queueingHintFn: (pod, oldObj, newObj) => {
          const n = newObj as Node | undefined;
          if (!n) return 'QueueSkip';
          const tolerated = (node: Node) =>
            !findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint);
          if (!tolerated(n)) return 'QueueSkip';
          const o = oldObj as Node | undefined;
          return o && tolerated(o) ? 'QueueSkip' : 'Queue';
        },
      },
      {
        event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations, label: 'UnscheduledPodUpdate' },
        queueingHintFn: (pod, _old, newObj) => ((newObj as Pod | undefined)?.metadata.uid === pod.metadata.uid ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}

export const newTaintToleration: PluginFactory = () => new TaintToleration();
