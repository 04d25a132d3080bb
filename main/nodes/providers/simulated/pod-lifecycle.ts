/**
 * The simulated kubelet's pod state machine, pure and clock-free: `advance(run, now)` applies every transition
 * due at or before `now` — sandbox ready after podStartSeconds, init containers one after another, app
 * containers started, exiting after their run time, restarted with backoff or finished — and reports the
 * kubelet events those transitions produce and when the next one is due. Transition times are the scheduled
 * times, not the (possibly late) wake-up time, so statuses are deterministic under a fake clock.
 */
import type { Container, Pod } from '../../../api/core/v1/pod-types.js';
import { backoffSeconds, exitCode, INIT_CONTAINER_SECONDS, restarts, runSeconds } from './pod-plan.js';

export type ContainerPhase = 'waiting' | 'running' | 'terminated';

export interface Termination {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRun {
  name: string;
  image: string;
  pullPolicy: string;
  init: boolean;
  /** An init container with restartPolicy Always: starts in init order, then runs alongside the app. */
  sidecar: boolean;
  state: ContainerPhase;
  /** Waiting reason (ContainerCreating, PodInitializing, CrashLoopBackOff) or terminated reason. */
  reason?: string;
  message?: string;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  containerID?: string;
  restartCount: number;
  last?: Termination;
  /** Seconds the container runs per start; undefined = until stopped. */
  runSeconds?: number;
  /** When this container changes next (exits, or restarts after backoff). */
  nextAt?: number;
}

export interface PodRun {
  uid: string;
  /** When the kubelet first saw the pod (status.startTime). */
  startTime: number;
  /** When the sandbox is ready and the first container starts. */
  sandboxAt: number;
  sandboxReady: boolean;
  containers: ContainerRun[];
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  exitCode: number;
}

export interface LifecycleEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Container the event is about (events carry fieldPath spec.containers{name}). */
  container?: ContainerRun;
}

export interface Advance {
  changed: boolean;
  events: LifecycleEvent[];
  /** When to call advance again; undefined when nothing will happen without outside input. */
  nextAt?: number;
}

function containerRun(pod: Pod, c: Container, init: boolean): ContainerRun {
  const sidecar = init && c.restartPolicy === 'Always';
  return {
    name: c.name,
    image: c.image ?? '',
    pullPolicy: c.imagePullPolicy ?? 'IfNotPresent',
    init,
    sidecar,
    state: 'waiting',
    reason: init ? 'PodInitializing' : (pod.spec.initContainers?.length ? 'PodInitializing' : 'ContainerCreating'),
    restartCount: 0,
    runSeconds: init && !sidecar ? INIT_CONTAINER_SECONDS : runSeconds(pod, c),
  };
}

/** A pod just bound to the node: waiting for its sandbox until `now + podStartSeconds`. */
export function newPodRun(pod: Pod, now: number, podStartSeconds: number): PodRun {
  const containers = [
    ...(pod.spec.initContainers ?? []).map((c) => containerRun(pod, c, true)),
    ...(pod.spec.containers ?? []).map((c) => containerRun(pod, c, false)),
  ];
  const firstInit = containers.find((c) => c.init);
  if (firstInit) firstInit.reason = 'ContainerCreating';
  return {
    uid: pod.metadata.uid ?? '',
    startTime: now,
    sandboxAt: now + podStartSeconds * 1000,
    sandboxReady: false,
    containers,
    phase: 'Pending',
    exitCode: exitCode(pod),
  };
}

export const containerId = (uid: string, name: string, restartCount: number): string => {
  // 64 hex digits like a containerd ID, stable for (pod, container, attempt).
  let h = 0x811c9dc5;
  const seed = `${uid}/${name}/${restartCount}`;
  const out: string[] = [];
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    out.push(h.toString(16).padStart(8, '0'));
  }
  return `pilothouse-sim://${out.join('')}`;
};

/** A plausible, stable image size (10–100 MB) for pull events; simulated images have no real bytes. */
export function imageSize(image: string): number {
  let h = 7;
  for (let i = 0; i < image.length; i++) h = (h * 31 + image.charCodeAt(i)) >>> 0;
  return 10_000_000 + (h % 90_000_000);
}

function start(run: PodRun, c: ContainerRun, at: number, events: LifecycleEvent[]): void {
  c.state = 'running';
  c.reason = undefined;
  c.message = undefined;
  c.startedAt = at;
  c.finishedAt = undefined;
  c.exitCode = undefined;
  c.containerID = containerId(run.uid, c.name, c.restartCount);
  c.nextAt = c.runSeconds === undefined ? undefined : at + c.runSeconds * 1000;
  if (c.pullPolicy === 'Always' && c.restartCount === 0) {
    events.push({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${c.image}"`, container: c });
    events.push({
      type: 'Normal',
      reason: 'Pulled',
      message: `Successfully pulled image "${c.image}" in 0s (0s including waiting). Image size: ${imageSize(c.image)} bytes.`,
      container: c,
    });
  } else {
    events.push({ type: 'Normal', reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, container: c });
  }
  events.push({ type: 'Normal', reason: 'Created', message: `Created container: ${c.name}`, container: c });
  events.push({ type: 'Normal', reason: 'Started', message: `Started container ${c.name}`, container: c });
}

/** Starts whatever may start at `at`: the next init container, or (init done) every app container. */
function startNext(run: PodRun, at: number, events: LifecycleEvent[]): void {
  for (const c of run.containers) {
    if (c.init) {
      if (c.state === 'waiting' && c.reason !== 'CrashLoopBackOff') {
        start(run, c, at, events);
        if (!c.sidecar) return;
        continue;
      }
      if (!c.sidecar && c.state !== 'terminated') return; // a regular init container still running or restarting
      if (!c.sidecar && c.exitCode !== 0) return;
      continue;
    }
    if (c.state === 'waiting' && c.reason !== 'CrashLoopBackOff') start(run, c, at, events);
  }
}

export const initDone = (run: PodRun): boolean =>
  run.containers.every((c) => !c.init || (c.sidecar ? c.state === 'running' || c.restartCount > 0 : c.state === 'terminated' && c.exitCode === 0));

function exit(run: PodRun, pod: Pod, c: ContainerRun, at: number, events: LifecycleEvent[]): void {
  const code = c.init ? 0 : run.exitCode;
  c.state = 'terminated';
  c.exitCode = code;
  c.reason = code === 0 ? 'Completed' : 'Error';
  c.finishedAt = at;
  c.nextAt = undefined;
  const again = c.sidecar || (!c.init && restarts(pod, code));
  if (!again) return;
  c.last = { exitCode: code, reason: c.reason, startedAt: c.startedAt ?? at, finishedAt: at, containerID: c.containerID ?? '' };
  const delay = backoffSeconds(c.restartCount);
  c.restartCount++;
  if (delay === 0) {
    start(run, c, at, events);
    return;
  }
  c.state = 'waiting';
  c.reason = 'CrashLoopBackOff';
  c.message = `back-off ${delay}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${run.uid})`;
  c.nextAt = at + delay * 1000;
  events.push({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${run.uid})`, container: c });
}

function phaseOf(run: PodRun): PodRun['phase'] {
  if (!run.sandboxReady || !initDone(run)) return 'Pending';
  const app = run.containers.filter((c) => !c.init);
  if (app.length && app.every((c) => c.state === 'terminated')) return app.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  return 'Running';
}

const isTerminal = (p: PodRun['phase']) => p === 'Succeeded' || p === 'Failed';

export function advance(run: PodRun, pod: Pod, now: number): Advance {
  const events: LifecycleEvent[] = [];
  let changed = false;
  for (let guard = 0; guard < 10_000 && !isTerminal(run.phase); guard++) {
    const due = nextDue(run);
    if (due === undefined || due > now) break;
    changed = true;
    if (!run.sandboxReady) {
      run.sandboxReady = true;
      startNext(run, run.sandboxAt, events);
    } else {
      const c = run.containers.find((x) => x.nextAt === due)!;
      if (c.state === 'running') exit(run, pod, c, due, events);
      else start(run, c, due, events);
      startNext(run, due, events);
    }
    run.phase = phaseOf(run);
  }
  if (isTerminal(run.phase)) {
    // The kubelet tears the sandbox down once every container has finished; sidecars are stopped too.
    for (const c of run.containers) {
      c.nextAt = undefined;
      if (c.sidecar && c.state === 'running') {
        c.state = 'terminated';
        c.exitCode = 0;
        c.reason = 'Completed';
        c.finishedAt = now;
      }
    }
    if (run.sandboxReady) {
      run.sandboxReady = false;
      changed = true;
    }
  }
  return { changed, events, nextAt: isTerminal(run.phase) ? undefined : nextDue(run) };
}

function nextDue(run: PodRun): number | undefined {
  if (!run.sandboxReady) return run.sandboxAt;
  let min: number | undefined;
  for (const c of run.containers) if (c.nextAt !== undefined && (min === undefined || c.nextAt < min)) min = c.nextAt;
  return min;
}
