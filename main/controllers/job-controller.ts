/**
 * The Job controller ("job", events as "job-controller"): runs a Job's pods to completion (upstream
 * pkg/controller/job as of 1.32, with finalizer-based tracking).
 *
 * Each sync of a Job:
 * 1. Waits until the cache reflects this controller's own earlier pod creations, deletions and finalizer
 *    removals (expectations; at most 5 min). A finished or deleted Job only releases its pods.
 * 2. Classifies its pods (controller owner uid): active, terminating, and newly finished pods still carrying the
 *    `batch.kubernetes.io/job-tracking` finalizer. Failed pods are matched against spec.podFailurePolicy;
 *    with backoffLimitPerIndex, each index counts its own failures (pod annotations) into failedIndexes.
 * 3. Decides whether the Job is finishing: FailureTarget (PodFailurePolicy, BackoffLimitExceeded,
 *    MaxFailedIndexesExceeded, DeadlineExceeded, FailedIndexes) or SuccessCriteriaMet (CompletionsReached,
 *    SuccessPolicy). A finishing Job deletes its active pods and releases every tracked pod in the same pass;
 *    a suspended one removes its pods (not failures); otherwise missing pods are created (after the pod-failure
 *    backoff, 10 s doubling to 10 min, per index with backoffLimitPerIndex) and surplus ones removed.
 * 4. Accounts finished pods crash-safely: their uids go to status.uncountedTerminatedPods first (Indexed
 *    successes straight to completedIndexes), then their finalizers are removed, then they move to
 *    succeeded/failed.
 * 5. Adds Complete/Failed once no pod is active, terminating or uncounted (completionTime for Complete) and
 *    records Completed or the failure reason as an event.
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { JobObject } from '../api/batch/v1/job.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX, byControllerUid, byNamespace } from '../client/indexers.js';
import { isConflict, isNotFound, JOBS, PODS, objectKey } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { isJobFinished } from './job/job-conditions.js';
import { hasTrackingFinalizer, JOB_TRACKING_FINALIZER, newJobPod } from './job/job-pods.js';
import { claimPods } from './job/pod-adoption.js';
import { JobSync, type BackoffRecord, type JobStatusShape, type JobSyncHost } from './job/job-sync.js';

export const JOB_CONTROLLER_NAME = 'job';
const COMPONENT = 'job-controller';
const DEFAULT_WORKERS = 5;
const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;
const OWN_MANAGER = 'kubernetes.io/job-controller';

/** Writes this controller made that the cache must show before the next sync may trust it. */
interface Expectations {
  since: number;
  /** `ns/name` of created pods. */
  creates: Set<string>;
  /** uids of pods deleted. */
  deletes: Set<string>;
  /** uids of pods whose finalizer was removed. */
  finalizers: Set<string>;
}

class JobController implements Controller, JobSyncHost {
  readonly name = JOB_CONTROLLER_NAME;
  private readonly queue = new WorkQueue<string>();
  private readonly jobs;
  private readonly pods;
  private readonly recorder;
  private readonly expectations = new Map<string, Expectations>();
  private readonly backoff = new Map<string, BackoffRecord>();
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(COMPONENT);
    this.jobs = ctx.informers.informerFor<JobObject>(JOBS);
    this.pods = ctx.informers.informerFor<Pod>(PODS);
    this.pods.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.pods.addIndexer(NAMESPACE_INDEX, byNamespace);
    this.jobs.addHandler({
      onAdd: (j) => this.queue.add(objectKey(j)),
      onUpdate: (_o, j) => this.queue.add(objectKey(j)),
      onDelete: (j) => this.queue.add(objectKey(j)),
    });
    const enqueueOwner = (p: Pod) => {
      const owner = p.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Job' && r.apiVersion.startsWith('batch/'));
      if (owner) this.queue.add(`${p.metadata.namespace ?? ''}/${owner.name}`);
    };
    this.pods.addHandler({ onAdd: enqueueOwner, onUpdate: (_o, p) => enqueueOwner(p), onDelete: enqueueOwner });
  }

  run(): void {
    const n = workersFor(this.ctx.options, this.name, DEFAULT_WORKERS);
    this.stopWorkers = runWorkers(this.queue, n, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`job ${key}: sync failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  // ------------------------------------------------------------------------------------------ expectations

  private expect(key: string): Expectations {
    let e = this.expectations.get(key);
    if (!e) this.expectations.set(key, (e = { since: this.ctx.now(), creates: new Set(), deletes: new Set(), finalizers: new Set() }));
    e.since = this.ctx.now();
    return e;
  }

  /** True when the cache shows every write recorded for `key` (expired expectations count as met). */
  private expectationsMet(key: string, pods: Pod[]): boolean {
    const e = this.expectations.get(key);
    if (!e) return true;
    const byUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    for (const k of e.creates) if (this.pods.store.get(k)) e.creates.delete(k);
    for (const uid of e.deletes) {
      const p = byUid.get(uid);
      if (!p || p.metadata.deletionTimestamp) e.deletes.delete(uid);
    }
    for (const uid of e.finalizers) {
      const p = byUid.get(uid);
      if (!p || !hasTrackingFinalizer(p)) e.finalizers.delete(uid);
    }
    if (e.creates.size + e.deletes.size + e.finalizers.size === 0) {
      this.expectations.delete(key);
      return true;
    }
    if (this.ctx.now() - e.since > EXPECTATIONS_TIMEOUT_MS) {
      this.expectations.delete(key);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------- sync

  private async sync(key: string): Promise<void> {
    const job = this.jobs.store.get(key);
    if (!job) {
      this.expectations.delete(key);
      this.backoff.delete(key);
      await this.releaseOrphans(key);
      return;
    }
    if (job.spec?.managedBy && job.spec.managedBy !== OWN_MANAGER) return;
    const ns = job.metadata.namespace ?? '';
    // Ownership first (adopt matching orphans, release strays), then a fresh pass on the updated cache.
    if (!isJobFinished(job) && (await claimPods(this.ctx.client, job, this.pods.store.byIndex(NAMESPACE_INDEX, ns))) > 0) {
      this.queue.add(key);
      return;
    }
    const pods = this.pods.store.byIndex(CONTROLLER_UID_INDEX, job.metadata.uid ?? '').filter((p) => (p.metadata.namespace ?? '') === ns);
    if (!this.expectationsMet(key, pods)) {
      this.queue.addAfter(key, EXPECTATIONS_TIMEOUT_MS);
      return;
    }
    if (isJobFinished(job) || job.metadata.deletionTimestamp) {
      // Nothing more to run or count: a finished or deleted Job only lets its pods go.
      await this.removeFinalizers(key, pods.filter(hasTrackingFinalizer));
      return;
    }
    await new JobSync(this, key, job, pods).run();
  }

  /** Pods left with the tracking finalizer by a Job that no longer exists lose it (upstream orphan handling). */
  private async releaseOrphans(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const ns = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const orphans = this.pods.store.byIndex(NAMESPACE_INDEX, ns).filter((p) => {
      if (!hasTrackingFinalizer(p)) return false;
      const owner = p.metadata.ownerReferences?.find((r) => r.controller);
      return owner?.kind === 'Job' && owner.name === name;
    });
    await this.removeFinalizers(key, orphans);
  }

  // --------------------------------------------------------------------------------- writes (JobSync uses)

  /** Removes the tracking finalizer from `pods` (in parallel); pods already gone are fine. */
  async removeFinalizers(key: string, pods: Pod[]): Promise<void> {
    if (pods.length === 0) return;
    const e = this.expect(key);
    const errors: unknown[] = [];
    await Promise.all(
      pods.map(async (p) => {
        const finalizers = p.metadata.finalizers ?? [];
        const i = finalizers.indexOf(JOB_TRACKING_FINALIZER);
        if (i < 0) return;
        e.finalizers.add(p.metadata.uid ?? '');
        try {
          await this.ctx.client.patch(PODS, p.metadata.namespace ?? '', p.metadata.name ?? '', 'json', [
            { op: 'test', path: `/metadata/finalizers/${i}`, value: JOB_TRACKING_FINALIZER },
            { op: 'remove', path: `/metadata/finalizers/${i}` },
          ]);
        } catch (err) {
          e.finalizers.delete(p.metadata.uid ?? '');
          if (!isNotFound(err)) errors.push(err);
        }
      }),
    );
    if (errors.length) throw errors[0];
  }

  async createPods(key: string, job: JobObject, indexes: (number | undefined)[], failuresOf?: (index: number) => { counted: number; ignored: number }): Promise<number> {
    const e = this.expect(key);
    let created = 0;
    let firstError: unknown;
    await Promise.all(
      indexes.map(async (index) => {
        try {
          const pod = await this.ctx.client.create<Pod>(PODS, job.metadata.namespace ?? '', newJobPod(job, index, index !== undefined ? failuresOf?.(index) : undefined));
          created++;
          if (!this.pods.store.get(objectKey(pod))) e.creates.add(objectKey(pod));
          this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
        } catch (err) {
          firstError ??= err;
          this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
    if (firstError !== undefined) throw firstError;
    return created;
  }

  async deletePods(key: string, job: JobObject, pods: Pod[]): Promise<void> {
    if (pods.length === 0) return;
    const e = this.expect(key);
    let firstError: unknown;
    await Promise.all(
      pods.map(async (p) => {
        e.deletes.add(p.metadata.uid ?? '');
        try {
          await this.ctx.client.delete(PODS, p.metadata.namespace ?? '', p.metadata.name ?? '', { preconditions: { uid: p.metadata.uid } });
          this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
        } catch (err) {
          e.deletes.delete(p.metadata.uid ?? '');
          if (isNotFound(err) || isConflict(err)) return;
          firstError ??= err;
          this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
    if (firstError !== undefined) throw firstError;
  }

  async writeStatus(job: JobObject, status: JobStatusShape): Promise<JobObject> {
    return this.ctx.client.update<JobObject>(JOBS, job.metadata.namespace ?? '', { ...job, status } as JobObject, { subresource: 'status' });
  }

  backoffRecord(key: string): BackoffRecord {
    let r = this.backoff.get(key);
    if (!r) this.backoff.set(key, (r = { failures: 0, lastFailureAt: 0 }));
    return r;
  }

  now(): number {
    return this.ctx.now();
  }

  event(job: JobObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(job, type, reason, message);
  }

  requeueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, Math.max(1, Math.ceil(ms)));
  }
}

export const jobControllerFactory: ControllerFactory = {
  name: JOB_CONTROLLER_NAME,
  create: (ctx) => new JobController(ctx),
};
