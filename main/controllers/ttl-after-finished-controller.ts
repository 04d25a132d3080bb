/**
 * The TTL-after-finished controller ("ttl-after-finished"; upstream pkg/controller/ttlafterfinished): a Job that
 * finished (Complete or Failed) with spec.ttlSecondsAfterFinished set is deleted that many seconds after the
 * finishing condition's lastTransitionTime. Before deleting, the Job is read fresh from the API and checked
 * again, and the delete carries a uid precondition, so a Job whose TTL was raised meanwhile (or a new Job of
 * the same name) survives. Deletion cascades in the foreground, as upstream: the API server marks the Job with
 * the foregroundDeletion finalizer and the garbage collector removes its pods, then the Job.
 */
import type { JobObject } from '../api/batch/v1/job.js';
import { isConflict, isNotFound, JOBS, objectKey } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';

export const TTL_AFTER_FINISHED_CONTROLLER_NAME = 'ttl-after-finished';
const DEFAULT_WORKERS = 5;

/** When the Job finished (ms), or undefined while it runs. */
export function finishedAt(job: JobObject): number | undefined {
  for (const c of (job.status?.conditions ?? []) as { type: string; status: string; lastTransitionTime?: string }[]) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const t = Date.parse(c.lastTransitionTime ?? '');
      return Number.isFinite(t) ? t : Date.parse(job.status?.completionTime ?? '') || 0;
    }
  }
  return undefined;
}

/** When the Job expires (ms), or undefined when it has no TTL, is unfinished or is already being deleted. */
export function expiresAt(job: JobObject): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata.deletionTimestamp) return undefined;
  const done = finishedAt(job);
  return done === undefined ? undefined : done + ttl * 1000;
}

class TtlAfterFinishedController implements Controller {
  readonly name = TTL_AFTER_FINISHED_CONTROLLER_NAME;
  private readonly queue = new WorkQueue<string>();
  private readonly jobs;
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.jobs = ctx.informers.informerFor<JobObject>(JOBS);
    const enqueue = (j: JobObject) => {
      if (expiresAt(j) !== undefined) this.queue.add(objectKey(j));
    };
    this.jobs.addHandler({ onAdd: enqueue, onUpdate: (_o, j) => enqueue(j) });
  }

  run(): void {
    const n = workersFor(this.ctx.options, this.name, DEFAULT_WORKERS);
    this.stopWorkers = runWorkers(this.queue, n, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`ttl-after-finished ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  private async sync(key: string): Promise<void> {
    const cached = this.jobs.store.get(key);
    if (!cached || !this.due(key, cached)) return;
    // The cache may be stale: decide again on the Job as the API has it now.
    let fresh: JobObject;
    try {
      fresh = await this.ctx.client.get<JobObject>(JOBS, cached.metadata.namespace ?? '', cached.metadata.name ?? '');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!this.due(key, fresh)) return;
    try {
      await this.ctx.client.delete(JOBS, fresh.metadata.namespace ?? '', fresh.metadata.name ?? '', {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata.uid },
      });
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** True when `job` has expired; otherwise re-queues it for its expiry (if it has one). */
  private due(key: string, job: JobObject): boolean {
    const at = expiresAt(job);
    if (at === undefined) return false;
    const left = at - this.ctx.now();
    if (left <= 0) return true;
    this.queue.addAfter(key, left);
    return false;
  }
}

export const ttlAfterFinishedControllerFactory: ControllerFactory = {
  name: TTL_AFTER_FINISHED_CONTROLLER_NAME,
  create: (ctx) => new TtlAfterFinishedController(ctx),
};
