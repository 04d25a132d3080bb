/**
 * The CronJob controller ("cronjob", events as "cronjob-controller"; upstream pkg/controller/cronjob v2).
 *
 * Each sync of a CronJob reconciles status.active with the Jobs it controls (SawCompletedJob, MissingJob,
 * UnexpectedJob; lastSuccessfulTime from completed Jobs), then, unless it is being deleted or suspended, finds
 * the most recent activation of its schedule since lastScheduleTime (else its creation) in its timeZone (UTC when
 * unset, like a kube-controller-manager running in UTC) and starts it as Job `<cronjob>-<minutes since epoch>`
 * with annotation batch.kubernetes.io/cronjob-scheduled-timestamp — unless it is past startingDeadlineSeconds
 * (MissSchedule), already started, or concurrencyPolicy forbids it (Forbid: JobAlreadyActive; Replace deletes
 * the active Jobs first). Finished Jobs beyond successful/failedJobsHistoryLimit are deleted, oldest first.
 * The CronJob is re-queued for its next activation (+100 ms).
 */
import type { CronJobObject } from '../api/batch/v1/cron-job.js';
import { isKnownTimeZone } from '../api/batch/v1/cron-schedule.js';
import type { JobObject } from '../api/batch/v1/job.js';
import { cloneJson } from '../api/meta/object.js';
import { CONTROLLER_UID_INDEX, byControllerUid } from '../client/indexers.js';
import { CRONJOBS, JOBS, isAlreadyExists, isNotFound, objectKey } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { parseCronSchedule, type CronSchedule } from './cron-job/cron-schedule.js';
import { jobNameFor, MANY_MISSED, mostRecentScheduleTime, rfc1123z, rfc3339InZone } from './cron-job/scheduled-time.js';

export const CRONJOB_CONTROLLER_NAME = 'cronjob';
const COMPONENT = 'cronjob-controller';
const DEFAULT_WORKERS = 5;
export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** upstream nextScheduleDelta: wake a little after the activation. */
const NEXT_SCHEDULE_DELTA_MS = 100;

interface JobRef {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  resourceVersion?: string;
}

interface CronJobStatusShape {
  active?: JobRef[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

const finishedType = (job: JobObject): 'Complete' | 'Failed' | undefined => {
  for (const c of job.status?.conditions ?? []) if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
};

const ms = (t: string | undefined | null): number | undefined => {
  const v = t ? Date.parse(t) : Number.NaN;
  return Number.isFinite(v) ? v : undefined;
};

const isoSeconds = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');

class CronJobController implements Controller {
  readonly name = CRONJOB_CONTROLLER_NAME;
  private readonly queue = new WorkQueue<string>();
  private readonly cronJobs;
  private readonly jobs;
  private readonly recorder;
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(COMPONENT);
    this.cronJobs = ctx.informers.informerFor<CronJobObject>(CRONJOBS);
    this.jobs = ctx.informers.informerFor<JobObject>(JOBS);
    this.jobs.addIndexer(CONTROLLER_UID_INDEX, byControllerUid);
    this.cronJobs.addHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (_o, cj) => this.queue.add(objectKey(cj)),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
    const enqueueOwner = (j: JobObject) => {
      const owner = j.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'CronJob' && r.apiVersion.startsWith('batch/'));
      if (owner) this.queue.add(`${j.metadata.namespace ?? ''}/${owner.name}`);
    };
    this.jobs.addHandler({ onAdd: enqueueOwner, onUpdate: (_o, j) => enqueueOwner(j), onDelete: enqueueOwner });
  }

  run(): void {
    const n = workersFor(this.ctx.options, this.name, DEFAULT_WORKERS);
    this.stopWorkers = runWorkers(this.queue, n, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`cronjob ${key}: sync failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  private async sync(key: string): Promise<void> {
    const cached = this.cronJobs.store.get(key);
    if (!cached) return;
    let cj = cloneJson(cached);
    const jobs = this.jobs.store.byIndex(CONTROLLER_UID_INDEX, cj.metadata.uid ?? '').filter((j) => j.metadata.namespace === cj.metadata.namespace);
    // A running Job missing from status.active may only mean our cached CronJob predates our own status
    // update: look at the API's copy before calling it unexpected.
    const listed = (c: CronJobObject) => new Set(((c.status?.active ?? []) as JobRef[]).map((r) => r.uid));
    const cachedActive = listed(cj);
    if (jobs.some((j) => !finishedType(j) && !cachedActive.has(j.metadata.uid ?? ''))) {
      try {
        cj = await this.ctx.client.get<CronJobObject>(CRONJOBS, cj.metadata.namespace ?? '', cj.metadata.name ?? '');
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    const status = (cj.status ??= {}) as CronJobStatusShape;
    const before = JSON.stringify(status);
    let requeueMs: number | undefined;
    let failure: unknown;
    try {
      requeueMs = await this.syncCronJob(cj, status, jobs);
    } catch (err) {
      failure = err;
    }
    if (!cj.metadata.deletionTimestamp) await this.cleanupFinishedJobs(cj, status, jobs);
    if (JSON.stringify(status) !== before) {
      await this.ctx.client.update<CronJobObject>(CRONJOBS, cj.metadata.namespace ?? '', cj, { subresource: 'status' });
    }
    if (failure !== undefined) throw failure;
    if (requeueMs !== undefined) this.queue.addAfter(key, Math.max(1, requeueMs));
  }

  /** upstream syncCronJob: updates `status` in place; returns when to look again (ms), or undefined for never. */
  private async syncCronJob(cj: CronJobObject, status: CronJobStatusShape, jobs: JobObject[]): Promise<number | undefined> {
    const now = this.ctx.now();
    const ns = cj.metadata.namespace ?? '';
    const active = (status.active ??= []);
    const children = new Set<string>();
    for (const j of jobs) {
      const uid = j.metadata.uid ?? '';
      children.add(uid);
      const listed = active.some((r) => r.uid === uid);
      const finished = finishedType(j);
      if (!listed && !finished) {
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (listed && finished) {
        active.splice(active.findIndex((r) => r.uid === uid), 1);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${finished}`);
      }
      if (finished === 'Complete') {
        const done = ms(j.status?.completionTime);
        if (done !== undefined && (status.lastSuccessfulTime === undefined || done > (ms(status.lastSuccessfulTime) ?? 0)))
          status.lastSuccessfulTime = j.status!.completionTime!;
      }
    }
    for (const ref of [...active]) {
      if (children.has(ref.uid)) continue;
      try {
        await this.ctx.client.get<JobObject>(JOBS, ref.namespace || ns, ref.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        active.splice(active.indexOf(ref), 1);
      }
    }

    if (cj.metadata.deletionTimestamp) return undefined;
    const spec = cj.spec ?? {};
    if (spec.timeZone !== undefined && spec.timeZone !== null && !isKnownTimeZone(spec.timeZone)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(spec.timeZone)}: unknown time zone ${spec.timeZone}`);
      return undefined;
    }
    if (spec.suspend) return undefined;
    if ((spec.schedule ?? '').includes('TZ'))
      this.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    let schedule: CronSchedule;
    const zone = spec.timeZone ?? 'UTC';
    try {
      schedule = parseCronSchedule(spec.schedule ?? '', zone);
    } catch (err) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule ?? '')} : ${(err as Error).message}`);
      return undefined;
    }

    const creationTime = ms(cj.metadata.creationTimestamp) ?? now;
    const nextDelay = () => {
      const from = mostRecentScheduleTime(schedule, { lastScheduleTime: ms(status.lastScheduleTime), creationTime }, now);
      const next = schedule.next(from.mostRecent ?? from.earliest);
      return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
    };
    const due = mostRecentScheduleTime(
      schedule,
      { lastScheduleTime: ms(status.lastScheduleTime), creationTime, startingDeadlineSeconds: spec.startingDeadlineSeconds },
      now,
    );
    if (due.mostRecent === undefined) return nextDelay();
    const scheduled = due.mostRecent;
    if (due.missed > MANY_MISSED)
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');

    if (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return nextDelay();
    }
    const name = jobNameFor(cj.metadata.name ?? '', scheduled);
    if (active.some((r) => r.name === name) || ms(status.lastScheduleTime) === scheduled) return nextDelay();
    if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return nextDelay();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...active]) {
        let job: JobObject;
        try {
          job = await this.ctx.client.get<JobObject>(JOBS, ref.namespace || ns, ref.name);
        } catch (err) {
          this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
        await this.deleteJob(cj, status, job);
      }
    }

    let created: JobObject;
    try {
      created = await this.ctx.client.create<JobObject>(JOBS, ns, this.jobFor(cj, scheduled, zone));
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      // Created earlier by us (status update lost) → record it; by someone else → their business.
      created = await this.ctx.client.get<JobObject>(JOBS, ns, name);
      const ours = created.metadata.ownerReferences?.some((r) => r.controller && r.uid === cj.metadata.uid);
      if (!ours || active.some((r) => r.uid === created.metadata.uid)) return undefined;
    }
    active.push({
      kind: 'Job',
      namespace: ns,
      name: created.metadata.name ?? '',
      uid: created.metadata.uid ?? '',
      apiVersion: 'batch/v1',
      resourceVersion: created.metadata.resourceVersion,
    });
    status.lastScheduleTime = isoSeconds(scheduled);
    return nextDelay();
  }

  /** upstream getJobFromTemplate2. */
  private jobFor(cj: CronJobObject, scheduled: number, zone: string): JobObject {
    const template = cloneJson(cj.spec?.jobTemplate ?? {});
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobNameFor(cj.metadata.name ?? '', scheduled),
        namespace: cj.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339InZone(scheduled, zone) },
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: template.spec ?? {},
    };
  }

  /** Deletes a Job (background propagation) and drops it from status.active. */
  private async deleteJob(cj: CronJobObject, status: CronJobStatusShape, job: JobObject): Promise<void> {
    try {
      await this.ctx.client.delete(JOBS, job.metadata.namespace ?? '', job.metadata.name ?? '', { propagationPolicy: 'Background' });
    } catch (err) {
      if (!isNotFound(err)) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    }
    const active = (status.active ??= []);
    const i = active.findIndex((r) => r.uid === job.metadata.uid);
    if (i >= 0) active.splice(i, 1);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
  }

  /** History limits: finished Jobs beyond the limits go, oldest start first. */
  private async cleanupFinishedJobs(cj: CronJobObject, status: CronJobStatusShape, jobs: JobObject[]): Promise<void> {
    const limits = { Complete: cj.spec?.successfulJobsHistoryLimit, Failed: cj.spec?.failedJobsHistoryLimit };
    for (const type of ['Complete', 'Failed'] as const) {
      const limit = limits[type];
      if (limit === undefined || limit === null) continue;
      const finished = jobs.filter((j) => finishedType(j) === type && !j.metadata.deletionTimestamp);
      if (finished.length <= limit) continue;
      finished.sort((a, b) => {
        const sa = ms(a.status?.startTime);
        const sb = ms(b.status?.startTime);
        if (sa === undefined || sb === undefined) return sa === sb ? (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '') : sa === undefined ? 1 : -1;
        return sa - sb || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
      });
      for (const j of finished.slice(0, finished.length - limit)) {
        try {
          await this.deleteJob(cj, status, j);
        } catch (err) {
          this.ctx.log(`cronjob ${objectKey(cj)}: deleting ${j.metadata.name}: ${String(err)}`);
        }
      }
    }
  }
}

export const cronJobControllerFactory: ControllerFactory = {
  name: CRONJOB_CONTROLLER_NAME,
  create: (ctx) => new CronJobController(ctx),
};
