/**
 * Bounded in-memory log of scheduling attempts, served read-only as SchedulingDecision objects. Memory is
 * capped on three axes: pods kept (least recently attempted dropped first), attempts kept per pod, and per
 * attempt the number of filter failures and scored nodes recorded (reasonCounts always covers every node).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { SchedulingAttemptRecord, SchedulingDecision } from '../../api/scheduling.pilothouse.dev/v1alpha1/scheduling-decision.js';
import type { Diagnosis } from '../fit-error.js';
import type { NodePluginScores, ScoreTable } from '../runtime/score-table.js';
import { LazyAttempt, topScores, topScoresFromList, type AttemptFields } from './lazy-attempt.js';
import { CODE_NAMES } from '../framework/status.js';

export interface DecisionStoreOptions {
  maxPods?: number;
  maxAttemptsPerPod?: number;
  maxFilterFailures?: number;
  maxScoredNodes?: number;
}

/** What the scheduler reports about one attempt: the recorded fields plus the pod and the raw diagnosis/scores. */
export interface AttemptInput extends AttemptFields {
  pod: Pod;
  schedulerName: string;
  diagnosis?: Diagnosis;
  /** The attempt's scores (what the scheduler passes). */
  scoreTable?: ScoreTable;
  /** Or the same in object form (tests); `weights` then gives plugin → weight. */
  scores?: NodePluginScores[];
  weights?: Map<string, number>;
}

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  schedulerName: string;
  created: number;
  attempts: LazyAttempt[];
}

export class DecisionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxPods: number;
  private readonly maxAttempts: number;
  private readonly maxFailures: number;
  private readonly maxScored: number;

  constructor(opts: DecisionStoreOptions = {}) {
    this.maxPods = opts.maxPods ?? 2000;
    this.maxAttempts = opts.maxAttemptsPerPod ?? 5;
    this.maxFailures = opts.maxFilterFailures ?? 50;
    this.maxScored = opts.maxScoredNodes ?? 10;
  }

  /**
   * Records one attempt. Cheap on purpose (it runs once per scheduling cycle): only the capped detail is
   * copied — the top scored nodes' numbers, the first filter failures and the reason counts — and the API
   * shape (ISO time, per-plugin objects) is built when the decision is read.
   */
  record(a: AttemptInput): void {
    const ns = a.pod.metadata.namespace ?? '';
    const name = a.pod.metadata.name ?? '';
    const key = `${ns}/${name}`;
    const uid = a.pod.metadata.uid ?? '';
    let e = this.entries.get(key);
    if (e && e.uid !== uid) e = undefined; // a new pod with the same name
    this.entries.delete(key);
    e ??= { namespace: ns, name, uid, schedulerName: a.schedulerName, created: a.startedAt, attempts: [] };
    this.entries.set(key, e);
    while (this.entries.size > this.maxPods) this.entries.delete(this.entries.keys().next().value!);

    const rec = new LazyAttempt(a);
    const d = a.diagnosis;
    if (d && d.nodeToStatus.size) {
      const counts: Record<string, number> = {};
      const failures: NonNullable<SchedulingAttemptRecord['filterFailures']> = [];
      for (const [node, s] of d.nodeToStatus) {
        for (const r of s.reasons) counts[r] = (counts[r] ?? 0) + 1;
        if (failures.length < this.maxFailures) failures.push({ node, plugin: s.plugin, code: CODE_NAMES[s.code], reasons: s.reasons.slice() });
      }
      rec.reasonCounts = counts;
      rec.filterFailures = failures;
    }
    if (a.scoreTable && a.scoreTable.nodeCount) rec.scores = topScores(a.scoreTable, this.maxScored, a.node);
    else if (a.scores?.length) rec.scores = topScoresFromList(a.scores, this.maxScored, a.node, a.weights);
    e.attempts.push(rec);
    if (e.attempts.length > this.maxAttempts) e.attempts.splice(0, e.attempts.length - this.maxAttempts);
  }

  /** Marks the latest attempt of a pod bound (binding finished) or failed binding. */
  updateLatest(pod: Pod, patch: Partial<SchedulingAttemptRecord>): void {
    const e = this.entries.get(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
    if (!e || e.uid !== (pod.metadata.uid ?? '')) return;
    const last = e.attempts[e.attempts.length - 1];
    if (last) last.patch(patch);
  }

  get(namespace: string, name: string): SchedulingDecision | undefined {
    const e = this.entries.get(`${namespace}/${name}`);
    return e && this.toObject(e);
  }

  list(namespace?: string): SchedulingDecision[] {
    const out: SchedulingDecision[] = [];
    for (const e of this.entries.values()) if (!namespace || e.namespace === namespace) out.push(this.toObject(e));
    return out;
  }

  get size(): number {
    return this.entries.size;
  }

  private toObject(e: Entry): SchedulingDecision {
    const records = e.attempts.map((a) => a.toRecord());
    const last = records[records.length - 1];
    return {
      apiVersion: 'scheduling.pilothouse.dev/v1alpha1',
      kind: 'SchedulingDecision',
      metadata: { name: e.name, namespace: e.namespace, uid: e.uid, creationTimestamp: new Date(e.created).toISOString().replace(/\.\d{3}Z$/, 'Z') },
      podUID: e.uid,
      schedulerName: e.schedulerName,
      status: {
        result: last?.result,
        node: last?.node ?? last?.nominatedNodeName,
        message: last?.message,
        attempts: last?.attempt ?? 0,
        feasibleNodes: last?.feasibleNodes ?? 0,
        numAllNodes: last?.numAllNodes ?? 0,
        lastAttemptTime: last?.time,
      },
      attempts: records,
    };
  }
}
