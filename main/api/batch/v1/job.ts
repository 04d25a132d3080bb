/**
 * batch/v1 Job: run pods to completion.
 */
import { FieldPath, type FieldError } from '../../meta/field-errors.js';
import { isDNS1123Label } from '../../meta/name-validation.js';
import { invalid } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { defineResource } from '../../resource.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { age, humanDuration } from '../../table/human-duration.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-template.js';
import {
  dnsLabelNameWarnings,
  goInvalid,
  goLabelSelector,
  selectorColumn,
  semanticEqual,
  templateColumns,
} from '../../apps/v1/workload-helpers.js';
import { Job } from './job-schema.js';
import { validateJobSpec, type JobSpecObject } from './job-validation.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

export interface JobObject extends KObject {
  spec?: JobSpecObject;
  status?: {
    conditions?: { type: string; status: string }[];
    startTime?: string;
    completionTime?: string;
    active?: number;
    succeeded?: number;
    failed?: number;
    [k: string]: unknown;
  };
}

// ---------------------------------------------------------------------------------------------- defaults

/**
 * SetDefaults_Job plus the template's pod defaults. When the Job has no labels it takes the template's
 * label map itself (Go shares the map), so labels the create strategy generates appear on both.
 */
export function defaultJob(job: JobObject): void {
  const spec = (job.spec ??= {});
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  if (spec.backoffLimit === undefined) spec.backoffLimit = spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const template = (spec.template ??= {});
  const tLabels = template.metadata?.labels;
  if (tLabels && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = tLabels;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const c of rule.onPodConditions ?? []) if (!c.status) c.status = 'True';
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplateSpec(template);
}

/**
 * The create strategy's generated selector (unless manualSelector): template labels job-name,
 * batch.kubernetes.io/job-name, controller-uid and batch.kubernetes.io/controller-uid (user values win),
 * and a selector on batch.kubernetes.io/controller-uid. Needs metadata.name and metadata.uid set.
 */
export function generateJobSelector(job: JobObject): void {
  const spec = (job.spec ??= {});
  if (spec.manualSelector) return;
  const template = (spec.template ??= {});
  const meta = (template.metadata ??= {});
  const before = meta.labels ? { ...meta.labels } : undefined;
  const shared = job.metadata.labels !== undefined && job.metadata.labels === meta.labels;
  const copied = !shared && before !== undefined && semanticEqual(job.metadata.labels, before);
  const labels = (meta.labels ??= {});
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = name;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = uid;
  // Emulates the shared Go map when the object was cloned between defaulting and this step.
  if (copied) job.metadata.labels = { ...labels };
  const sel = (spec.selector ??= {});
  const ml = (sel.matchLabels ??= {});
  if (!(CONTROLLER_UID_LABEL in ml)) ml[CONTROLLER_UID_LABEL] = uid;
}

// -------------------------------------------------------------------------------------------- validation

/** ValidateJob (without metadata): generated-selector check, the spec, and the Indexed hostname limit. */
export function validateJob(job: JobObject): FieldError[] {
  const spec = job.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.manualSelector && spec.selector) {
    const uid = job.metadata.uid;
    if (uid !== undefined && spec.selector.matchLabels?.[CONTROLLER_UID_LABEL] !== uid)
      errs.push(goInvalid('spec.selector', goLabelSelector(spec.selector), '`selector` not auto-generated'));
  }
  errs.push(...validateJobSpec(spec, FieldPath.root('spec')));
  if (spec.completionMode === 'Indexed' && (spec.completions ?? 0) > 0) {
    const host = `${job.metadata.name ?? ''}-${(spec.completions ?? 0) - 1}`;
    if (isDNS1123Label(host).length > 0)
      errs.push(invalid('metadata.name', job.metadata.name ?? '', `will not able to create pod with invalid DNS label: ${host}`));
  }
  return errs;
}

function immutable(path: string, now: unknown, before: unknown, rendered: string): FieldError[] {
  return semanticEqual(now, before) ? [] : [goInvalid(path, rendered, 'field is immutable')];
}

const num = (v: number | undefined) => (v === undefined ? 'null' : String(v));
const quoted = (v: string | undefined) => (v === undefined ? 'null' : JSON.stringify(v));

/** ValidateJobSpecUpdate: most of the spec is fixed once the Job exists. */
export function validateJobUpdate(job: JobObject, old: JobObject): FieldError[] {
  const spec = job.spec ?? {};
  const o = old.spec ?? {};
  const errs = validateJobSpec(spec, FieldPath.root('spec'));
  if (spec.completionMode === 'Indexed') {
    if (spec.completions !== o.completions && spec.completions !== undefined && spec.completions !== spec.parallelism)
      errs.push(invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
  } else {
    errs.push(...immutable('spec.completions', spec.completions, o.completions, num(spec.completions)));
  }
  errs.push(...immutable('spec.selector', spec.selector, o.selector, goLabelSelector(spec.selector)));
  // A suspended Job that never started may still change its scheduling directives.
  const mutableScheduling = o.suspend === true && !old.status?.startTime;
  const strip = (t: JobSpecObject['template']) => {
    if (!mutableScheduling || !t) return t;
    const { labels: _l, annotations: _a, ...meta } = t.metadata ?? {};
    const { nodeSelector: _n, tolerations: _t, affinity: _af, schedulingGates: _g, ...podSpec } = t.spec ?? { containers: [] };
    return { ...t, metadata: meta, spec: podSpec };
  };
  errs.push(...immutable('spec.template', strip(spec.template), strip(o.template), 'core.PodTemplateSpec{...}'));
  errs.push(...immutable('spec.completionMode', spec.completionMode, o.completionMode, quoted(spec.completionMode)));
  errs.push(...immutable('spec.podFailurePolicy', spec.podFailurePolicy, o.podFailurePolicy, 'batch.PodFailurePolicy{...}'));
  errs.push(...immutable('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, o.backoffLimitPerIndex, num(spec.backoffLimitPerIndex)));
  errs.push(...immutable('spec.managedBy', spec.managedBy, o.managedBy, quoted(spec.managedBy)));
  errs.push(...immutable('spec.successPolicy', spec.successPolicy, o.successPolicy, 'batch.SuccessPolicy{...}'));
  return errs;
}

// ---------------------------------------------------------------------------------------------- columns

const hasCondition = (job: JobObject, type: string) =>
  (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** The STATUS column of `kubectl get jobs`. */
export function jobStatusCell(job: JobObject): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `succeeded/completions`, or `succeeded/1 [of parallelism]` when completions is unset. */
export function jobCompletionsCell(job: JobObject): string {
  const succeeded = job.status?.succeeded ?? 0;
  const spec = job.spec ?? {};
  if (spec.completions !== undefined && spec.completions !== null) return `${succeeded}/${spec.completions}`;
  const parallelism = spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDurationCell(job: JobObject, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime;
  if (!end) return age(start, now);
  return humanDuration(Date.parse(end) - Date.parse(start));
}

// ---------------------------------------------------------------------------------------------- resource

export const jobs = defineResource<JobObject>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  categories: ['all'],
  namespaced: true,
  subresources: { status: true },
  schema: Job,
  defaults: defaultJob,
  generation: true,
  strategy: {
    prepareForCreate: generateJobSelector,
    validate: validateJob,
    validateUpdate: validateJobUpdate,
    warnings: (job, old) => (old ? [] : dnsLabelNameWarnings(job.metadata.name)),
  },
  fieldSelectors: { 'status.successful': (job) => String(job.status?.succeeded ?? 0) },
  columns: [
    nameColumn(),
    col<JobObject>('Status', jobStatusCell, { description: 'Status of the job.' }),
    col<JobObject>('Completions', jobCompletionsCell, { description: 'Succeeded pods out of the desired completions.' }),
    col<JobObject>('Duration', jobDurationCell, { description: 'Time required to complete the job.' }),
    ageColumn(),
    ...templateColumns<JobObject>((job) => job.spec?.template),
    selectorColumn<JobObject>((job) => job.spec?.selector, 'Label query over the Job\'s pods.'),
  ],
});
