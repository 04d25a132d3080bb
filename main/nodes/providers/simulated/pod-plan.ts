/**
 * How long a simulated pod's containers run and how they exit, read from the pod:
 *   run time:  annotation pilothouse.dev/run-seconds, else `sleep N` / `sleep Ns` in a container's command or
 *              args, else 1 s when the pod belongs to a Job, else forever;
 *   exit code: annotation pilothouse.dev/exit-code (default 0);
 *   stop time: min(grace period, annotation pilothouse.dev/termination-seconds or 1 s) after deletion.
 * Only restartPolicy Never/OnFailure pods finish; Always containers that exit are restarted with backoff.
 */
import type { Container, Pod } from '../../../api/core/v1/pod-types.js';

export const RUN_SECONDS_ANNOTATION = 'pilothouse.dev/run-seconds';
export const EXIT_CODE_ANNOTATION = 'pilothouse.dev/exit-code';
export const TERMINATION_SECONDS_ANNOTATION = 'pilothouse.dev/termination-seconds';

/** Init containers are simulated as short: each runs this long before the next starts. */
export const INIT_CONTAINER_SECONDS = 0.5;
export const JOB_DEFAULT_RUN_SECONDS = 1;
export const DEFAULT_TERMINATION_SECONDS = 1;

function seconds(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v.trim().replace(/s$/, ''));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** `sleep 30`, `sleep 2.5s`, `sh -c "echo hi; sleep 5"`; `sleep infinity` runs forever. */
export function sleepSeconds(c: Container): number | undefined {
  const words = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  const m = /(?:^|[\s;&|(])sleep\s+(\d+(?:\.\d+)?)s?(?=$|[\s;&|)])/.exec(words);
  return m ? Number(m[1]) : undefined;
}

const ownedByJob = (pod: Pod) => (pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'Job' && o.apiVersion.startsWith('batch/'));

/** Seconds a (non-init) container runs before exiting; undefined = until stopped. */
export function runSeconds(pod: Pod, c: Container): number | undefined {
  const annotated = seconds(pod.metadata.annotations?.[RUN_SECONDS_ANNOTATION]);
  if (annotated !== undefined) return annotated;
  const slept = sleepSeconds(c);
  if (slept !== undefined) return slept;
  return ownedByJob(pod) ? JOB_DEFAULT_RUN_SECONDS : undefined;
}

export function exitCode(pod: Pod): number {
  const v = Number(pod.metadata.annotations?.[EXIT_CODE_ANNOTATION] ?? 0);
  return Number.isInteger(v) && v >= 0 && v <= 255 ? v : 1;
}

/** Seconds between the deletion request and the kubelet's final delete. */
export function terminationSeconds(pod: Pod): number {
  const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  const wanted = seconds(pod.metadata.annotations?.[TERMINATION_SECONDS_ANNOTATION]) ?? DEFAULT_TERMINATION_SECONDS;
  return Math.max(0, Math.min(grace, wanted));
}

export const restartPolicy = (pod: Pod): string => pod.spec.restartPolicy ?? 'Always';

/** Whether a container that exited with `code` is started again (kubelet's ShouldContainerBeRestarted). */
export function restarts(pod: Pod, code: number): boolean {
  const policy = restartPolicy(pod);
  return policy === 'Always' || (policy === 'OnFailure' && code !== 0);
}

/**
 * Delay before restart number `restartCount + 1`, as the kubelet's per-container backoff: the first restart is
 * immediate, then 10 s doubling up to 5 minutes (shown as CrashLoopBackOff while waiting).
 */
export function backoffSeconds(restartCount: number): number {
  return restartCount <= 0 ? 0 : Math.min(300, 10 * 2 ** (restartCount - 1));
}
