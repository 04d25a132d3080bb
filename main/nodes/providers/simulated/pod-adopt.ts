/**
 * Resuming pods after a restart of the control plane: a pod whose status says Running is picked up where it
 * is (containers keep their start times, restart counts and IDs, so a run-seconds pod still finishes on time);
 * anything earlier in its life starts over from ContainerCreating, as a kubelet restart would recreate it.
 */
import type { ContainerStatus, Pod } from '../../../api/core/v1/pod-types.js';
import { backoffSeconds } from './pod-plan.js';
import { newPodRun, type ContainerRun, type PodRun } from './pod-lifecycle.js';

const ms = (t: string | undefined): number | undefined => (t ? Date.parse(t) : undefined);

function resume(c: ContainerRun, s: ContainerStatus | undefined, now: number): void {
  if (!s) return;
  c.restartCount = s.restartCount ?? 0;
  c.containerID = s.containerID;
  const last = s.lastState?.terminated;
  if (last)
    c.last = {
      exitCode: last.exitCode,
      reason: last.reason ?? '',
      startedAt: ms(last.startedAt) ?? now,
      finishedAt: ms(last.finishedAt) ?? now,
      containerID: last.containerID ?? '',
    };
  const st = s.state ?? {};
  if (st.running) {
    c.state = 'running';
    c.reason = undefined;
    c.startedAt = ms(st.running.startedAt) ?? now;
    c.nextAt = c.runSeconds === undefined ? undefined : c.startedAt + c.runSeconds * 1000;
  } else if (st.terminated) {
    c.state = 'terminated';
    c.exitCode = st.terminated.exitCode;
    c.reason = st.terminated.reason;
    c.startedAt = ms(st.terminated.startedAt) ?? now;
    c.finishedAt = ms(st.terminated.finishedAt) ?? now;
    c.nextAt = undefined;
  } else if (st.waiting?.reason === 'CrashLoopBackOff') {
    c.state = 'waiting';
    c.reason = 'CrashLoopBackOff';
    c.message = st.waiting.message;
    c.nextAt = now + backoffSeconds(Math.max(0, c.restartCount - 1)) * 1000;
  }
}

export function adoptPodRun(pod: Pod, now: number, podStartSeconds: number): PodRun {
  const run = newPodRun(pod, now, podStartSeconds);
  const st = pod.status;
  if (st?.phase !== 'Running' || !st.containerStatuses?.length) return run;
  run.startTime = ms(st.startTime) ?? now;
  run.sandboxAt = run.startTime;
  run.sandboxReady = true;
  run.phase = 'Running';
  for (const c of run.containers) {
    const statuses = c.init ? st.initContainerStatuses : st.containerStatuses;
    resume(c, statuses?.find((s) => s.name === c.name), now);
    if (c.init && !c.sidecar && c.state === 'waiting') {
      // A running pod's init containers have finished, whatever the (possibly trimmed) status says.
      Object.assign(c, { state: 'terminated', exitCode: 0, reason: 'Completed', startedAt: run.startTime, finishedAt: run.startTime, nextAt: undefined });
    }
  }
  return run;
}
