/**
 * One attempt's placement decision (schedulePod in schedule_one.go): PreFilter, Filter over a rotating
 * window of nodes until numFeasibleNodesToFind feasible ones are found, PreScore/Score/NormalizeScore with
 * weights, and selection of the highest total (random tie-break). Pure over the snapshot: no I/O.
 */
import { CycleState } from './framework/cycle-state.js';
import type { NodeInfo } from './framework/node-info.js';
import type { PodInfo } from './framework/pod-info.js';
import type { Snapshot } from './framework/snapshot.js';
import { Code, Status } from './framework/status.js';
import { ERR_NO_NODES_AVAILABLE, FitError, newDiagnosis, type Diagnosis } from './fit-error.js';
import type { FrameworkRuntime } from './runtime/framework-runtime.js';
import { ScoreTable, type NodePluginScores } from './runtime/score-table.js';

/** Below this many nodes every node is evaluated (minFeasibleNodesToFind). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never goes below this (minFeasibleNodesPercentageToFind). */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** numFeasibleNodesToFind: all nodes below 100; else percentage (adaptive 50 - n/125, ≥ 5%) but at least 100. */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore ?? 0;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export class SchedulerError extends Error {
  constructor(message: string, readonly status?: Status) {
    super(message);
    this.name = 'SchedulerError';
  }
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
  /** Per-node scores in flat arrays (absent when one node was feasible: upstream skips scoring then). */
  scoreTable?: ScoreTable;
  /** The same in the per-node object shape, built on first access (absent with scoreTable). */
  readonly scores?: NodePluginScores[];
  diagnosis: Diagnosis;
}

export interface AlgorithmOptions {
  /** Global percentageOfNodesToScore (0 = adaptive); a profile's own value wins. */
  percentageOfNodesToScore?: number;
  /** Random source for tie-breaks, [0, 1). */
  random?: () => number;
}

export class ScheduleAlgorithm {
  /** Where the next Filter pass starts, so successive pods spread over all nodes. */
  nextStartNodeIndex = 0;
  private readonly random: () => number;

  constructor(private readonly opts: AlgorithmOptions = {}) {
    this.random = opts.random ?? Math.random;
  }

  /** Throws FitError when no node fits, SchedulerError for internal errors or an empty cluster. */
  schedulePod(fwk: FrameworkRuntime, state: CycleState, pi: PodInfo, snapshot: Snapshot): ScheduleResult {
    if (snapshot.numNodes() === 0) throw new SchedulerError(ERR_NO_NODES_AVAILABLE);
    const { feasible, diagnosis } = this.findNodesThatFitPod(fwk, state, pi, snapshot);
    if (feasible.length === 0) throw new FitError(pi.pod, snapshot.numNodes(), diagnosis);
    const evaluated = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: evaluated, feasibleNodes: 1, diagnosis };
    const table = this.prioritizeNodes(fwk, state, pi, feasible);
    let list: NodePluginScores[] | undefined;
    return {
      suggestedHost: this.selectHostFromTable(table), evaluatedNodes: evaluated, feasibleNodes: feasible.length, scoreTable: table, diagnosis,
      get scores() {
        return (list ??= table.toList());
      },
    };
  }

  findNodesThatFitPod(fwk: FrameworkRuntime, state: CycleState, pi: PodInfo, snapshot: Snapshot): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const diagnosis = newDiagnosis();
    const allNodes = snapshot.list();
    const pre = fwk.runPreFilter(state, pi, allNodes);
    if (pre.status && pre.status.code !== Code.Success) {
      if (!pre.status.isUnschedulable()) throw new SchedulerError(`running PreFilter plugin "${pre.status.plugin}": ${pre.status.message()}`, pre.status);
      for (const n of allNodes) diagnosis.nodeToStatus.set(n.name, pre.status);
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], diagnosis };
    }
    const nominated = pi.pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = snapshot.get(nominated);
      if (ni) {
        const feasible = this.findNodesThatPassFilters(fwk, state, pi, newDiagnosis(), [ni]);
        if (feasible.length) return { feasible, diagnosis };
      }
    }
    let nodes = allNodes;
    const names = pre.result?.nodeNames;
    if (names) {
      nodes = [];
      for (const n of names) {
        const ni = snapshot.get(n);
        if (ni) nodes.push(ni);
      }
      const absent = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.contributors].sort().join(' ')}]`);
      absent.plugin = pre.contributors[0];
      for (const n of allNodes) if (!names.has(n.name)) diagnosis.nodeToStatus.set(n.name, absent);
      for (const p of pre.contributors) diagnosis.unschedulablePlugins.add(p);
    }
    return { feasible: this.findNodesThatPassFilters(fwk, state, pi, diagnosis, nodes, allNodes.length), diagnosis };
  }

  /** Filters from the rotating start index until enough feasible nodes are found. */
  findNodesThatPassFilters(
    fwk: FrameworkRuntime, state: CycleState, pi: PodInfo, diagnosis: Diagnosis, nodes: NodeInfo[], numAllNodes = nodes.length,
  ): NodeInfo[] {
    const n = nodes.length;
    if (n === 0) return [];
    const toFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? this.opts.percentageOfNodesToScore, n);
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex % n;
    if (fwk.filterPlugins.length === 0) {
      for (let i = 0; i < toFind; i++) feasible.push(nodes[(start + i) % n]!);
      this.nextStartNodeIndex = (this.nextStartNodeIndex + toFind) % Math.max(numAllNodes, 1);
      return feasible;
    }
    let processed = 0;
    for (let i = 0; i < n && feasible.length < toFind; i++) {
      const ni = nodes[(start + i) % n]!;
      processed++;
      const s = fwk.runFilterWithNominatedPods(state, pi, ni);
      if (!s) {
        feasible.push(ni);
        continue;
      }
      if (s.code === Code.Error) throw new SchedulerError(`running "${s.plugin}" filter plugin: ${s.message()}`, s);
      diagnosis.nodeToStatus.set(ni.name, s);
      if (s.plugin) diagnosis.unschedulablePlugins.add(s.plugin);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % Math.max(numAllNodes, 1);
    return feasible;
  }

  /** PreScore + Score; without score plugins every node scores 1 (upstream). */
  prioritizeNodes(fwk: FrameworkRuntime, state: CycleState, pi: PodInfo, nodes: NodeInfo[]): ScoreTable {
    if (!fwk.hasScorePlugins()) {
      const t = new ScoreTable(nodes, 0);
      t.totals.fill(1);
      return t;
    }
    const pre = fwk.runPreScore(state, pi, nodes);
    if (pre) throw new SchedulerError(`running PreScore plugin "${pre.plugin}": ${pre.message()}`, pre);
    const { table, status } = fwk.runScore(state, pi, nodes);
    if (status) throw new SchedulerError(`running Score plugin "${status.plugin}": ${status.message()}`, status);
    return table;
  }

  /** selectHost over a ScoreTable: the same walk and the same random() calls. */
  selectHostFromTable(t: ScoreTable): string {
    const totals = t.totals;
    if (totals.length === 0) throw new SchedulerError('empty priorityList');
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      const v = totals[i]!;
      if (v > totals[best]!) {
        best = i;
        ties = 1;
      } else if (v === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return t.nodeName(best);
  }

  /** Highest total wins; ties are broken uniformly at random (reservoir sampling). */
  selectHost(list: NodePluginScores[]): string {
    if (list.length === 0) throw new SchedulerError('empty priorityList');
    let best = list[0]!;
    let ties = 1;
    for (let i = 1; i < list.length; i++) {
      const ns = list[i]!;
      if (ns.totalScore > best.totalScore) {
        best = ns;
        ties = 1;
      } else if (ns.totalScore === best.totalScore) {
        ties++;
        if (this.random() * ties < 1) best = ns;
      }
    }
    return best.name;
  }

  newState(): CycleState {
    return new CycleState();
  }
}
