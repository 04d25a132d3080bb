/**
 * batch/v1 CronJob: creates Jobs on a schedule.
 */
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, bool, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { age } from '../../table/human-duration.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-template.js';
import { ObjectReference } from '../../core/v1/object-reference.js';
import { dnsLabelNameWarnings, goLabelSelector, goInvalid, nonNegative, selectorColumn, templateColumns } from '../../apps/v1/workload-helpers.js';
import { JobTemplateSpec } from './job-schema.js';
import { validateJobSpecBody, type JobSpecObject } from './job-validation.js';
import { cronScheduleError, isKnownTimeZone } from './cron-schedule.js';

// ----------------------------------------------------------------------------------------------- schema

export const CronJobSpec = def(
  'io.k8s.api.batch.v1.CronJobSpec',
  'Desired state of a CronJob.',
  {
    schedule: str('Cron schedule, e.g. "*/5 * * * *" or "@hourly".', { default: '' }),
    timeZone: str('IANA time zone the schedule is read in, e.g. "Europe/Paris"; unset uses the controller\'s zone.'),
    startingDeadlineSeconds: int64('Seconds after a missed start time during which the Job may still be started.'),
    concurrencyPolicy: enumStr('What to do when a run is due while the previous one still runs. Defaults to Allow.', {
      Allow: 'runs the Jobs concurrently.',
      Forbid: 'skips the new run.',
      Replace: 'cancels the running Job and starts the new one.',
    }),
    suspend: bool('True stops future runs; running Jobs are not affected. Defaults to false.'),
    jobTemplate: ref(JobTemplateSpec, 'Job to create at each run.', { default: {} }),
    successfulJobsHistoryLimit: int32('Finished successful Jobs to keep. Defaults to 3.'),
    failedJobsHistoryLimit: int32('Failed Jobs to keep. Defaults to 1.'),
  },
  { required: ['schedule', 'jobTemplate'] },
);

export const CronJobStatus = def('io.k8s.api.batch.v1.CronJobStatus', 'Observed state of a CronJob.', {
  active: arr(ref(ObjectReference, undefined, { default: {} }), 'Jobs currently running.', { listType: 'atomic' }),
  lastScheduleTime: ref(Time, 'When a Job was last scheduled.'),
  lastSuccessfulTime: ref(Time, 'When a Job last finished successfully.'),
});

export const CronJob = def(
  'io.k8s.api.batch.v1.CronJob',
  'Runs a Job periodically on a schedule.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(CronJobSpec, 'Desired behaviour of the CronJob.', { default: {} }),
    status: ref(CronJobStatus, 'Most recently observed status. Read-only.', { default: {} }),
  },
  { gvk: [{ group: 'batch', version: 'v1', kind: 'CronJob' }] },
);

// ------------------------------------------------------------------------------------------------ types

export interface CronJobObject extends KObject {
  spec?: {
    schedule?: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: string;
    suspend?: boolean;
    jobTemplate?: { metadata?: KObject['metadata']; spec?: JobSpecObject };
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
  };
  status?: { active?: unknown[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

// ---------------------------------------------------------------------------------------------- defaults

/** SetDefaults_CronJob plus the pod defaults of the job template's pod template. */
export function defaultCronJob(cj: CronJobObject): void {
  const spec = (cj.spec ??= {});
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jt = (spec.jobTemplate ??= {});
  const js = (jt.spec ??= {});
  defaultPodTemplateSpec((js.template ??= {}));
}

// -------------------------------------------------------------------------------------------- validation

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(tz: string | undefined, path: FieldPath): FieldError[] {
  if (tz === undefined || tz === null) return [];
  if (tz.length === 0) return [invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/'))
    if (part === '.' || part === '..' || part.startsWith('-') || !TZ_PART.test(part)) return [invalid(path, tz, `unknown time zone ${tz}`)];
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local')
    errs.push(invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isKnownTimeZone(tz)) errs.push(invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

function validateSchedule(schedule: string, allowTZ: boolean, timeZone: string | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const parseErr = cronScheduleError(schedule);
  if (parseErr) errs.push(invalid(path, schedule, parseErr));
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined)
    errs.push(invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  else if (!allowTZ && schedule.includes('TZ'))
    errs.push(invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  return errs;
}

const POLICIES = ['Allow', 'Forbid', 'Replace'];

/** validateCronJobSpec; `old` relaxes the TZ rules for CronJobs created before they existed. */
export function validateCronJobSpec(cj: CronJobObject, old?: CronJobObject): FieldError[] {
  const spec = cj.spec ?? {};
  const path = FieldPath.root('spec');
  const errs: FieldError[] = [];
  if (!spec.schedule) errs.push(required(path.child('schedule'), ''));
  else errs.push(...validateSchedule(spec.schedule, (old?.spec?.schedule ?? '').includes('TZ'), spec.timeZone, path.child('schedule')));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, path.child('startingDeadlineSeconds')));
  if (!old || old.spec?.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, path.child('timeZone')));
  const policy = spec.concurrencyPolicy ?? '';
  if (policy === '') errs.push(required(path.child('concurrencyPolicy'), ''));
  else if (!POLICIES.includes(policy)) errs.push(notSupported(path.child('concurrencyPolicy'), policy, POLICIES));
  const jtPath = path.child('jobTemplate');
  const js = spec.jobTemplate?.spec ?? {};
  errs.push(...validateJobSpecBody(js, jtPath.child('spec')));
  if (js.selector) errs.push(goInvalid(jtPath.child('spec').child('selector'), goLabelSelector(js.selector), '`selector` will be auto-generated'));
  if (js.manualSelector) errs.push(notSupported(jtPath.child('spec').child('manualSelector'), true, ['nil', 'false']));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, path.child('successfulJobsHistoryLimit')));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, path.child('failedJobsHistoryLimit')));
  return errs;
}

/** ValidateCronJobCreate: the spec plus the name limit that leaves room for the Job suffix. */
export function validateCronJobCreate(cj: CronJobObject): FieldError[] {
  const errs = validateCronJobSpec(cj);
  const name = cj.metadata.name ?? '';
  if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  return errs;
}

// ---------------------------------------------------------------------------------------------- resource

export const cronjobs = defineResource<CronJobObject>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  categories: ['all'],
  namespaced: true,
  subresources: { status: true },
  schema: CronJob,
  defaults: defaultCronJob,
  generation: true,
  strategy: {
    validate: validateCronJobCreate,
    validateUpdate: (cj, old) => validateCronJobSpec(cj, old),
    warnings: (cj, old) => (old ? [] : dnsLabelNameWarnings(cj.metadata.name)),
  },
  columns: [
    nameColumn(),
    col<CronJobObject>('Schedule', (cj) => cj.spec?.schedule ?? '', { description: 'The cron schedule.' }),
    col<CronJobObject>('Timezone', (cj) => (cj.spec?.timeZone !== undefined ? cj.spec.timeZone : '<none>'), {
      description: 'Time zone the schedule is read in.',
    }),
    col<CronJobObject>('Suspend', (cj) => (cj.spec?.suspend === undefined ? '<unset>' : cj.spec.suspend ? 'True' : 'False'), {
      type: 'boolean',
      description: 'Whether future runs are suspended.',
    }),
    col<CronJobObject>('Active', (cj) => cj.status?.active?.length ?? 0, { type: 'integer', description: 'Jobs currently running.' }),
    col<CronJobObject>('Last Schedule', (cj, now) => (cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, now) : '<none>'), {
      description: 'When a Job was last scheduled.',
    }),
    ageColumn(),
    ...templateColumns<CronJobObject>((cj) => cj.spec?.jobTemplate?.spec?.template),
    selectorColumn<CronJobObject>((cj) => cj.spec?.jobTemplate?.spec?.selector, 'Label query over the created Jobs\' pods.'),
  ],
});
