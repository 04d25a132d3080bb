/**
 * One sync pass of the Job controller over one Job (see main/controllers/job-controller.ts for the steps):
 * classify pods, decide finishing, act on pods, account finished pods through uncountedTerminatedPods, and
 * write the status. The controller (JobSyncHost) owns the queue, expectations, backoff records and writes.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { JobObject } from '../../api/batch/v1/job.js';
import { cloneJson } from '../../api/meta/object.js';
import { isConflict } from '../../client/kube-client.js';
import { formatIndexes, parseIndexes } from './completed-indexes.js';
import {
  BACKOFF_LIMIT_EXCEEDED,
  COMPLETIONS_REACHED,
  DEADLINE_EXCEEDED,
  FAILED_INDEXES,
  MAX_FAILED_INDEXES_EXCEEDED,
  findCondition,
  setCondition,
  type JobCondition,
  type Verdict,
} from './job-conditions.js';
import {
  completionIndex,
  countAnnotation,
  hasTrackingFinalizer,
  INDEX_FAILURE_COUNT_ANNOTATION,
  INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  isIndexed,
  isPodActive,
  isPodFailed,
  isPodReady,
  isPodSucceeded,
  isPodTerminating,
  podFinishTime,
  podRestarts,
} from './job-pods.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

/** upstream DefaultJobPodFailureBackOff / MaxJobPodFailureBackOff. */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

/** What a sync pass needs from the controller. */
export interface JobSyncHost {
  now(): number;
  backoffRecord(key: string): BackoffRecord;
  requeueAfter(key: string, ms: number): void;
  event(job: JobObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
  createPods(key: string, job: JobObject, indexes: (number | undefined)[], failuresOf?: (index: number) => { counted: number; ignored: number }): Promise<number>;
  deletePods(key: string, job: JobObject, pods: Pod[]): Promise<void>;
  removeFinalizers(key: string, pods: Pod[]): Promise<void>;
  writeStatus(job: JobObject, status: JobStatusShape): Promise<JobObject>;
}

/** Consecutive pod failures since the last success (upstream backoffRecord). */
export interface BackoffRecord {
  failures: number;
  lastFailureAt: number;
}

export interface JobStatusShape {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready?: number;
  terminating?: number;
  succeeded?: number;
  failed?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  [k: string]: unknown;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function podFailureBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(MAX_POD_FAILURE_BACKOFF_MS, POD_FAILURE_BACKOFF_MS * 2 ** Math.min(failures - 1, 30));
}

/** One sync of one Job (state of a single pass; see the file comment for the steps). */
export class JobSync {
  private readonly status: JobStatusShape;
  private readonly spec: NonNullable<JobObject['spec']>;
  private readonly indexed: boolean;
  private readonly completions: number | undefined;
  private readonly parallelism: number;
  private readonly nowMs: number;
  private readonly nowIso: string;
  /** Pods deleted by this pass (terminating from now on). */
  private deleted = 0;
  /** backoffLimitPerIndex is set (Indexed Jobs only). */
  private readonly perIndex: boolean;
  private readonly failedIndexes: Set<number>;
  /** Per index: failures counted / ignored so far and when the last one finished (backoffLimitPerIndex). */
  private readonly indexFailures = new Map<number, { counted: number; ignored: number; lastAt: number }>();

  constructor(
    private readonly c: JobSyncHost,
    private readonly key: string,
    private job: JobObject,
    private readonly pods: Pod[],
  ) {
    this.status = cloneJson((job.status ?? {}) as JobStatusShape);
    this.status.conditions ??= [];
    this.spec = job.spec ?? {};
    this.indexed = isIndexed(job);
    this.completions = this.spec.completions ?? undefined;
    this.parallelism = this.spec.parallelism ?? 1;
    this.nowMs = c.now();
    this.nowIso = iso(this.nowMs);
    this.perIndex = this.indexed && this.spec.backoffLimitPerIndex !== undefined && this.spec.backoffLimitPerIndex !== null;
    this.failedIndexes = this.perIndex ? parseIndexes(this.status.failedIndexes, this.completions ?? 0) : new Set();
    if (this.perIndex) this.tallyIndexFailures();
  }

  /**
   * Failures per index from the index's failed pods: a pod carries the counts before it (annotations), plus
   * itself — counted unless podFailurePolicy ignores it.
   */
  private tallyIndexFailures(): void {
    for (const p of this.pods) {
      const ix = completionIndex(p);
      if (ix === undefined || !isPodFailed(p, this.job)) continue;
      const m = this.spec.podFailurePolicy && p.status?.phase === 'Failed' ? matchPodFailurePolicy(this.spec.podFailurePolicy.rules, p) : undefined;
      const ignoredSelf = m !== undefined && !m.countFailed;
      const counted = countAnnotation(p, INDEX_FAILURE_COUNT_ANNOTATION) + (ignoredSelf ? 0 : 1);
      const ignored = countAnnotation(p, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION) + (ignoredSelf ? 1 : 0);
      const prev = this.indexFailures.get(ix);
      const at = podFinishTime(p, this.nowMs);
      if (!prev || counted + ignored > prev.counted + prev.ignored) this.indexFailures.set(ix, { counted, ignored, lastAt: at });
    }
  }

  async run(): Promise<void> {
    const { status, spec, job, pods } = this;
    const conds = status.conditions!;
    const suspended = spec.suspend === true;
    const before = JSON.stringify(job.status ?? {});
    const startedNow = !suspended && !status.startTime;
    if (startedNow) status.startTime = this.nowIso;

    const uncounted = {
      succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []),
      failed: new Set(status.uncountedTerminatedPods?.failed ?? []),
    };
    const completedIndexes = this.indexed ? parseIndexes(status.completedIndexes, this.completions ?? 0) : new Set<number>();
    const validIndex = (p: Pod) => {
      const ix = completionIndex(p);
      return ix !== undefined && ix < (this.completions ?? 0);
    };

    // Finished pods still carrying our finalizer and not yet recorded as uncounted.
    let failure: Verdict | undefined = findCondition(conds, 'FailureTarget') as Verdict | undefined;
    let success: Verdict | undefined = findCondition(conds, 'SuccessCriteriaMet') as Verdict | undefined;
    const newSucceeded: Pod[] = [];
    const newFailed: Pod[] = [];
    const releaseOnly: Pod[] = [];
    for (const p of pods) {
      const uid = p.metadata.uid ?? '';
      if (!hasTrackingFinalizer(p) || uncounted.succeeded.has(uid) || uncounted.failed.has(uid)) continue;
      if (isPodSucceeded(p)) {
        if (!this.indexed || validIndex(p)) newSucceeded.push(p);
        else releaseOnly.push(p);
      } else if (isPodFailed(p, job)) {
        if (this.indexed && !validIndex(p)) releaseOnly.push(p);
        else if (spec.podFailurePolicy && p.status?.phase === 'Failed') {
          const m = matchPodFailurePolicy(spec.podFailurePolicy.rules, p);
          if (m?.message && !failure && !success) failure = { reason: 'PodFailurePolicy', message: m.message };
          if (m?.action === 'FailIndex' && this.perIndex) this.failedIndexes.add(completionIndex(p)!);
          (m && !m.countFailed ? releaseOnly : newFailed).push(p);
        } else newFailed.push(p);
      }
    }

    if (this.perIndex) {
      // An index whose counted failures exceed backoffLimitPerIndex has failed for good.
      for (const p of newFailed) {
        const ix = completionIndex(p)!;
        if ((this.indexFailures.get(ix)?.counted ?? 0) > (spec.backoffLimitPerIndex ?? 0)) this.failedIndexes.add(ix);
      }
    }
    const podByUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    const succeededIndexes = new Set(completedIndexes);
    if (this.indexed) {
      for (const uid of uncounted.succeeded) {
        const p = podByUid.get(uid);
        const ix = p ? completionIndex(p) : undefined;
        if (ix !== undefined && ix < (this.completions ?? 0)) succeededIndexes.add(ix);
      }
      for (const p of newSucceeded) succeededIndexes.add(completionIndex(p)!);
    }
    const succeeded = this.indexed ? succeededIndexes.size : (status.succeeded ?? 0) + uncounted.succeeded.size + newSucceeded.length;
    const failed = (status.failed ?? 0) + uncounted.failed.size + newFailed.length;
    let active = pods.filter(isPodActive);

    // Pod-failure backoff bookkeeping (upstream backoffRecord): a success resets it, failures extend it.
    const record = this.c.backoffRecord(this.key);
    if (newSucceeded.length) record.failures = 0;
    if (newFailed.length) {
      record.failures += newFailed.length;
      record.lastFailureAt = Math.max(record.lastFailureAt, ...newFailed.map((p) => podFinishTime(p, this.nowMs)));
    }

    // Is the Job finishing?
    if (!failure && !success) {
      const backoffLimit = spec.backoffLimit ?? 6;
      // restartPolicy OnFailure: container restarts of running/pending pods count against the limit too.
      const restarts = spec.template?.spec?.restartPolicy === 'OnFailure'
        ? pods.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending').reduce((n, p) => n + podRestarts(p), 0)
        : 0;
      const pastLimitOnFailure = backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit && restarts > 0;
      if ((newFailed.length > 0 && failed > backoffLimit) || pastLimitOnFailure) failure = BACKOFF_LIMIT_EXCEEDED;
      else if (this.perIndex && spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes !== null && this.failedIndexes.size > spec.maxFailedIndexes)
        failure = MAX_FAILED_INDEXES_EXCEEDED;
      else if (this.pastActiveDeadline()) failure = DEADLINE_EXCEEDED;
      else if (spec.activeDeadlineSeconds !== undefined && status.startTime && !suspended)
        this.c.requeueAfter(this.key, Date.parse(status.startTime) + spec.activeDeadlineSeconds * 1000 - this.nowMs);
    }
    if (!failure && !success) success = this.successVerdict(succeeded, succeededIndexes, active.length);
    if (!failure && !success && this.perIndex && this.failedIndexes.size > 0) {
      // Every index has either succeeded or failed for good: the Job fails.
      let open = false;
      for (let ix = 0; ix < (this.completions ?? 0) && !open; ix++) open = !succeededIndexes.has(ix) && !this.failedIndexes.has(ix);
      if (!open) failure = FAILED_INDEXES;
    }

    // Act on pods.
    if (failure || success) {
      // Active pods are deleted keeping their finalizer; every pod still tracked is released in this pass —
      // counted as failed when the Job fails, uncounted when it succeeded.
      await this.deletePods(active);
      const handled = new Set([...newSucceeded, ...newFailed, ...releaseOnly]);
      for (const p of pods) {
        const uid = p.metadata.uid ?? '';
        if (!hasTrackingFinalizer(p) || handled.has(p) || uncounted.succeeded.has(uid) || uncounted.failed.has(uid)) continue;
        if (failure && (!this.indexed || validIndex(p)) && !isPodSucceeded(p)) newFailed.push(p);
        else releaseOnly.push(p);
      }
      active = [];
      if (failure) setCondition(conds, 'FailureTarget', 'True', failure, this.nowIso);
      if (success) setCondition(conds, 'SuccessCriteriaMet', 'True', success, this.nowIso);
    } else if (suspended) {
      // Pods removed by the controller itself (suspend, surplus) lose their finalizer first: they are not failures.
      await this.c.removeFinalizers(this.key, active.filter(hasTrackingFinalizer));
      await this.deletePods(active);
      active = [];
      if (setCondition(conds, 'Suspended', 'True', { reason: 'JobSuspended', message: 'Job suspended' }, this.nowIso)) {
        this.c.event(job, 'Normal', 'Suspended', 'Job suspended');
      }
    } else {
      if (findCondition(conds, 'Suspended')) {
        setCondition(conds, 'Suspended', 'False', { reason: 'JobResumed', message: 'Job resumed' }, this.nowIso);
        // The active deadline counts from the resumption (upstream resets startTime).
        status.startTime = this.nowIso;
        this.c.event(job, 'Normal', 'Resumed', 'Job resumed');
      }
      active = await this.manage(active, succeeded, succeededIndexes);
    }

    // Account finished pods: record uids as uncounted, release them, then count them.
    const toCount = [...newSucceeded, ...newFailed];
    if (this.perIndex) status.failedIndexes = formatIndexes(this.failedIndexes);
    if (this.indexed) {
      // The completion index is enough to avoid recounting: succeeded indexes are recorded at once.
      for (const p of newSucceeded) completedIndexes.add(completionIndex(p)!);
      status.completedIndexes = formatIndexes(completedIndexes);
      status.succeeded = completedIndexes.size;
    }
    const u = (status.uncountedTerminatedPods = {
      succeeded: [...uncounted.succeeded, ...(this.indexed ? [] : newSucceeded.map((p) => p.metadata.uid ?? ''))],
      failed: [...uncounted.failed, ...newFailed.map((p) => p.metadata.uid ?? '')],
    });
    const conditionsChanged = JSON.stringify(conds) !== JSON.stringify(job.status?.conditions ?? []);
    if (toCount.length > 0 || conditionsChanged) {
      this.job = await this.c.writeStatus(this.job, status);
    }
    await this.c.removeFinalizers(this.key, [...toCount, ...releaseOnly]);
    const released = new Set(toCount.map((p) => p.metadata.uid ?? ''));
    const isReleased = (uid: string) => {
      if (released.has(uid)) return true;
      const p = podByUid.get(uid);
      return !p || !hasTrackingFinalizer(p);
    };
    for (const uid of u.succeeded.filter(isReleased)) {
      if (this.indexed) {
        const p = podByUid.get(uid);
        const ix = p ? completionIndex(p) : undefined;
        if (ix !== undefined && ix < (this.completions ?? 0)) completedIndexes.add(ix);
      } else status.succeeded = (status.succeeded ?? 0) + 1;
    }
    status.failed = (status.failed ?? 0) + u.failed.filter(isReleased).length;
    u.succeeded = u.succeeded.filter((x) => !isReleased(x));
    u.failed = u.failed.filter((x) => !isReleased(x));
    if (this.indexed) {
      status.completedIndexes = formatIndexes(completedIndexes);
      status.succeeded = completedIndexes.size;
    }
    status.succeeded ??= 0;
    status.failed ??= 0;

    // Counters and terminal conditions.
    status.active = active.length;
    status.ready = active.filter(isPodReady).length;
    status.terminating = pods.filter(isPodTerminating).length + this.deleted;
    const settled = u.succeeded.length === 0 && u.failed.length === 0 && status.active === 0;
    /** Events for the terminal condition, recorded once the status carrying it is written. */
    const finishEvents: [type: 'Normal' | 'Warning', reason: string, message: string][] = [];
    if ((failure || success) && settled && status.terminating === 0) {
      if (failure) {
        setCondition(conds, 'Failed', 'True', failure, this.nowIso);
        finishEvents.push(['Warning', failure.reason, failure.message]);
      } else {
        setCondition(conds, 'Complete', 'True', success!, this.nowIso);
        status.completionTime = this.nowIso;
        if (this.completions !== undefined && (status.succeeded ?? 0) > this.completions)
          finishEvents.push(['Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached']);
        finishEvents.push(['Normal', 'Completed', 'Job completed']);
      }
    } else if ((failure || success) && !settled) this.c.requeueAfter(this.key, 1000);
    if (JSON.stringify(status) !== before) {
      try {
        await this.c.writeStatus(this.job, status);
      } catch (err) {
        if (isConflict(err)) {
          this.c.requeueAfter(this.key, 1);
          return;
        }
        throw err;
      }
    }
    for (const [type, reason, message] of finishEvents) this.c.event(job, type, reason, message);
  }

  /** Pods the controller removes while the Job runs: finalizer first (not a failure), then delete. */
  private async releaseAndDelete(pods: Pod[]): Promise<void> {
    await this.c.removeFinalizers(this.key, pods.filter(hasTrackingFinalizer));
    await this.deletePods(pods);
  }

  /** With podReplacementPolicy Failed, terminating pods are replaced only once they have failed. */
  private terminatingBlocking(): number {
    const onlyFailed = this.spec.podReplacementPolicy === 'Failed' || this.spec.podFailurePolicy !== undefined;
    return onlyFailed ? this.pods.filter(isPodTerminating).length : 0;
  }

  private async deletePods(pods: Pod[]): Promise<void> {
    await this.c.deletePods(this.key, this.job, pods);
    this.deleted += pods.length;
  }

  private pastActiveDeadline(): boolean {
    const d = this.spec.activeDeadlineSeconds;
    if (d === undefined || !this.status.startTime || this.spec.suspend) return false;
    return this.nowMs - Date.parse(this.status.startTime) >= d * 1000;
  }

  /** SuccessCriteriaMet's verdict when the Job has succeeded, else undefined. */
  private successVerdict(succeeded: number, succeededIndexes: Set<number>, active: number): Verdict | undefined {
    const rules = this.spec.successPolicy?.rules ?? [];
    if (this.indexed && rules.length) {
      for (const [i, rule] of rules.entries()) {
        const wanted = rule.succeededIndexes !== undefined ? parseIndexes(rule.succeededIndexes, this.completions ?? 0) : undefined;
        const hits = wanted ? [...wanted].filter((x) => succeededIndexes.has(x)).length : succeededIndexes.size;
        const needed = rule.succeededCount ?? wanted?.size ?? 0;
        if (wanted && rule.succeededCount === undefined ? hits === wanted.size : hits >= needed)
          return { reason: 'SuccessPolicy', message: `Matched rules at index ${i}` };
      }
    }
    if (this.completions === undefined) return succeeded > 0 && active === 0 ? COMPLETIONS_REACHED : undefined;
    if (this.indexed) return succeededIndexes.size >= this.completions ? COMPLETIONS_REACHED : undefined;
    return succeeded >= this.completions ? COMPLETIONS_REACHED : undefined;
  }

  /** upstream manageJob: creates missing pods (after the failure backoff), deletes surplus ones. Returns the active pods. */
  private async manage(active: Pod[], succeeded: number, succeededIndexes: Set<number>): Promise<Pod[]> {
    const { job } = this;
    let keep = active;
    let wantCreate: (number | undefined)[] = [];
    if (this.indexed) {
      const total = this.completions ?? 0;
      // Active pods with a bad, completed or duplicated index go.
      const seen = new Set<number>();
      const surplus: Pod[] = [];
      keep = [];
      for (const p of [...active].sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')))) {
        const ix = completionIndex(p);
        if (ix === undefined || ix >= total || succeededIndexes.has(ix) || this.failedIndexes.has(ix) || seen.has(ix)) surplus.push(p);
        else {
          seen.add(ix);
          keep.push(p);
        }
      }
      if (keep.length > this.parallelism) surplus.push(...keep.splice(this.parallelism));
      await this.releaseAndDelete(surplus);
      const room = this.parallelism - keep.length - this.terminatingBlocking();
      let soonest = Infinity;
      for (let ix = 0; ix < total && wantCreate.length < room; ix++) {
        if (seen.has(ix) || succeededIndexes.has(ix) || this.failedIndexes.has(ix)) continue;
        const f = this.perIndex ? this.indexFailures.get(ix) : undefined;
        const wait = f && f.counted > 0 ? f.lastAt + podFailureBackoffMs(f.counted) - this.nowMs : 0;
        if (wait > 0) soonest = Math.min(soonest, wait);
        else wantCreate.push(ix);
      }
      if (soonest !== Infinity) this.c.requeueAfter(this.key, soonest);
    } else {
      let want: number;
      // Without completions, once a pod succeeded the running ones are left to finish.
      if (this.completions === undefined) want = succeeded > 0 ? active.length : this.parallelism;
      else want = Math.max(0, Math.min(this.completions - succeeded, this.parallelism));
      if (active.length > want) {
        // Prefer removing pods that are not yet running, then the newest.
        const order = [...active].sort((a, b) => rank(a) - rank(b) || String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')));
        const surplus = order.slice(0, active.length - want);
        await this.releaseAndDelete(surplus);
        return active.filter((p) => !surplus.includes(p));
      }
      wantCreate = new Array<undefined>(Math.max(0, want - keep.length - this.terminatingBlocking())).fill(undefined);
    }
    if (wantCreate.length === 0) return keep;
    const record = this.c.backoffRecord(this.key);
    const wait = record.lastFailureAt + podFailureBackoffMs(record.failures) - this.nowMs;
    if (!this.perIndex && record.failures > 0 && wait > 0) {
      this.c.requeueAfter(this.key, wait);
      return keep;
    }
    const failuresOf = this.perIndex ? (ix: number) => this.indexFailures.get(ix) ?? { counted: 0, ignored: 0 } : undefined;
    await this.c.createPods(this.key, job, wantCreate, failuresOf);
    // The new pods are active from now on; the cache shows them on a later sync.
    return [...keep, ...wantCreate.map(() => ({ metadata: {}, spec: { containers: [] } }) as Pod)];
  }
}

/** Deletion preference: pending/unscheduled pods first, then not-ready, then ready. */
function rank(p: Pod): number {
  if (!p.spec.nodeName) return 0;
  if (p.status?.phase === 'Pending') return 1;
  return isPodReady(p) ? 3 : 2;
}
