/**
 * What the Job controller knows about its pods: the tracking finalizer, the completion index, how a pod
 * counts (active, succeeded, failed, terminating) and how a new pod is built from the Job's template.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { JobObject } from '../../api/batch/v1/job.js';
import { cloneJson } from '../../api/meta/object.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** backoffLimitPerIndex bookkeeping on each pod: the index's counted / ignored failures before this pod. */
export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** A non-negative integer annotation of the pod (0 when absent or malformed). */
export function countAnnotation(pod: Pod, name: string): number {
  const v = pod.metadata.annotations?.[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : 0;
}

export const isIndexed = (job: JobObject): boolean => job.spec?.completionMode === 'Indexed';
export const hasTrackingFinalizer = (pod: Pod): boolean => (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** The pod's completion index (annotation, else label), or undefined when absent or malformed. */
export function completionIndex(pod: Pod): number | undefined {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? pod.metadata.labels?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** With podReplacementPolicy Failed, only pods in phase Failed are replaced (and counted). */
const onlyReplaceFailed = (job: JobObject): boolean => job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;

/**
 * upstream isPodFailed: phase Failed; or, unless only failed pods are replaced, a pod being deleted before it
 * succeeded (an orphan that may never reach a terminal phase).
 */
export function isPodFailed(pod: Pod, job: JobObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailed(job)) return false;
  return pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

export const isPodSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Active: running or pending and not being deleted. */
export const isPodActive = (pod: Pod): boolean => !isTerminal(pod) && pod.metadata.deletionTimestamp === undefined;

/** Terminating: being deleted but not yet in a terminal phase (status.terminating). */
export const isPodTerminating = (pod: Pod): boolean => !isTerminal(pod) && pod.metadata.deletionTimestamp !== undefined;

export const isPodReady = (pod: Pod): boolean => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** When a finished pod finished: its containers' latest finishedAt, else its Ready condition's transition, else now. */
export function podFinishTime(pod: Pod, now: number): number {
  let latest = 0;
  for (const cs of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const t = Date.parse(cs.state?.terminated?.finishedAt ?? '');
    if (Number.isFinite(t) && t > latest) latest = t;
  }
  if (latest > 0) return latest;
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const t = Date.parse(ready?.lastTransitionTime ?? '');
  return Number.isFinite(t) ? t : now;
}

/** Sum of container restarts (backoffLimit counts them for restartPolicy OnFailure). */
export const podRestarts = (pod: Pod): number =>
  [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].reduce((n, cs) => n + (cs.restartCount ?? 0), 0);

/**
 * A new pod for `job` (index given for Indexed Jobs): the template's labels, annotations and spec, the tracking
 * finalizer, a controller owner reference, generateName `<job>-` (`<job>-<index>-`), and for Indexed Jobs the
 * completion index annotation + label, the hostname `<job>-<index>` (always, as upstream) and the JOB_COMPLETION_INDEX variable.
 */
export function newJobPod(job: JobObject, index: number | undefined, failures?: { counted: number; ignored: number }): Pod {
  const template = cloneJson(job.spec?.template ?? {});
  const name = job.metadata.name ?? '';
  const meta = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}) },
      finalizers: [...(meta.finalizers ?? []), JOB_TRACKING_FINALIZER],
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec,
  };
  if (Object.keys(pod.metadata.annotations!).length === 0) delete pod.metadata.annotations;
  if (index !== undefined) {
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [COMPLETION_INDEX_ANNOTATION]: String(index) };
    pod.metadata.labels![COMPLETION_INDEX_ANNOTATION] = String(index);
    if (failures) {
      pod.metadata.annotations[INDEX_FAILURE_COUNT_ANNOTATION] = String(failures.counted);
      if (failures.ignored > 0) pod.metadata.annotations[INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(failures.ignored);
    }
    spec.hostname = `${name}-${index}`;
    const env = { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
      c.env = [...(c.env ?? []), env];
    }
  }
  return pod;
}
