/**
 * One recorded scheduling attempt, kept compact: plain numbers and strings plus the capped score detail in
 * flat arrays. The API shape (SchedulingAttemptRecord, with an ISO time and per-plugin score objects) is
 * built by toRecord() when a SchedulingDecision is read — reads are rare, attempts are not.
 */
import type { DecisionResult, SchedulingAttemptRecord } from '../../api/scheduling.pilothouse.dev/v1alpha1/scheduling-decision.js';
import type { NodePluginScores, ScoreTable } from '../runtime/score-table.js';

type ScoreRecords = NonNullable<SchedulingAttemptRecord['scores']>;

/** The top nodes' scores: names/totals per node; raw/normalized at [node × plugins.length + plugin]. */
export interface CompactScores {
  plugins: string[];
  weights: number[];
  names: string[];
  totals: number[];
  raw: number[];
  normalized: number[];
}

export interface AttemptFields {
  attempt: number;
  startedAt: number;
  durationMs: number;
  result: DecisionResult;
  node?: string;
  message?: string;
  nominatedNodeName?: string;
  victims?: string[];
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
}

export class LazyAttempt {
  readonly attempt: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly result: DecisionResult;
  readonly node: string | undefined;
  readonly message: string | undefined;
  readonly nominatedNodeName: string | undefined;
  readonly victims: string[] | undefined;
  readonly numAllNodes: number;
  readonly evaluatedNodes: number;
  readonly feasibleNodes: number;
  reasonCounts: SchedulingAttemptRecord['reasonCounts'];
  filterFailures: SchedulingAttemptRecord['filterFailures'];
  scores: CompactScores | ScoreRecords | undefined;
  /** Later changes (binding finished or failed), applied over the built record. */
  private patches: Partial<SchedulingAttemptRecord> | undefined;

  constructor(a: AttemptFields) {
    this.attempt = a.attempt;
    this.startedAt = a.startedAt;
    this.durationMs = a.durationMs;
    this.result = a.result;
    this.node = a.node;
    this.message = a.message;
    this.nominatedNodeName = a.nominatedNodeName;
    this.victims = a.victims;
    this.numAllNodes = a.numAllNodes;
    this.evaluatedNodes = a.evaluatedNodes;
    this.feasibleNodes = a.feasibleNodes;
  }

  patch(p: Partial<SchedulingAttemptRecord>): void {
    this.patches = this.patches ? Object.assign(this.patches, p) : { ...p };
  }

  /** A fresh SchedulingAttemptRecord (callers may keep or change it). */
  toRecord(): SchedulingAttemptRecord {
    const rec: SchedulingAttemptRecord = {
      attempt: this.attempt,
      time: new Date(this.startedAt).toISOString(),
      durationMilliseconds: Math.round(this.durationMs * 1000) / 1000,
      result: this.result,
      numAllNodes: this.numAllNodes,
      evaluatedNodes: this.evaluatedNodes,
      feasibleNodes: this.feasibleNodes,
    };
    if (this.node) rec.node = this.node;
    if (this.message) rec.message = this.message;
    if (this.nominatedNodeName) rec.nominatedNodeName = this.nominatedNodeName;
    if (this.victims?.length) rec.victims = this.victims;
    if (this.reasonCounts) rec.reasonCounts = this.reasonCounts;
    if (this.filterFailures) rec.filterFailures = this.filterFailures;
    if (this.scores) rec.scores = Array.isArray(this.scores) ? this.scores : expand(this.scores);
    if (this.patches) Object.assign(rec, this.patches);
    return rec;
  }
}

function expand(c: CompactScores): ScoreRecords {
  const P = c.plugins.length;
  return c.names.map((node, j) => ({
    node,
    total: c.totals[j]!,
    plugins: c.plugins.map((plugin, p) => {
      const normalized = c.normalized[j * P + p]!;
      return { plugin, raw: c.raw[j * P + p]!, normalized, weight: c.weights[p]!, weighted: normalized * c.weights[p]! };
    }),
  }));
}

/** The `k` best-scored nodes (a stable sort by total, descending) plus the chosen node if not among them. */
export function topScores(t: ScoreTable, k: number, chosen: string | undefined): CompactScores {
  const idx = t.topIndexes(k);
  if (chosen && !idx.some((i) => t.nodeName(i) === chosen)) {
    const i = t.indexOf(chosen);
    if (i >= 0) idx.push(i);
  }
  const n = t.nodeCount;
  const P = t.plugins.length;
  const c: CompactScores = { plugins: t.plugins.slice(), weights: t.weights.slice(), names: [], totals: [], raw: [], normalized: [] };
  for (const i of idx) {
    c.names.push(t.nodeName(i));
    c.totals.push(t.totals[i]!);
    for (let p = 0; p < P; p++) {
      c.raw.push(t.raw[p * n + i]!);
      c.normalized.push(t.normalized[p * n + i]!);
    }
  }
  return c;
}

/** The same selection over scores in object form, with weights by plugin name. */
export function topScoresFromList(list: NodePluginScores[], k: number, chosen: string | undefined, weights?: Map<string, number>): ScoreRecords {
  const sorted = list.slice().sort((x, y) => y.totalScore - x.totalScore);
  const top = sorted.slice(0, k);
  if (chosen && !top.some((s) => s.name === chosen)) {
    const c = sorted.find((s) => s.name === chosen);
    if (c) top.push(c);
  }
  return top.map((s) => ({
    node: s.name,
    total: s.totalScore,
    plugins: s.scores.map((p) => ({ plugin: p.plugin, raw: p.raw, normalized: p.normalized, weight: weights?.get(p.plugin) ?? 1, weighted: p.weighted })),
  }));
}
