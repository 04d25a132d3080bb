/**
 * Renders a PodRun as the pod status a kubelet reports: phase, the five pod conditions (with upstream reasons
 * and messages), hostIP(s), podIP(s), startTime and init/app container statuses. Pure; the runner sends the
 * result as a merge patch of the status subresource, so lists are written whole and other status fields
 * (qosClass, nominatedNodeName) stay as they are.
 */
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../../../api/core/v1/pod-types.js';
import { rfc3339 } from './clock.js';
import { initDone, type ContainerRun, type PodRun } from './pod-lifecycle.js';

/** `nginx` → `docker.io/library/nginx:latest`, as container runtimes report images. */
export function normalizeImage(image: string): string {
  if (!image) return image;
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let full = hasRegistry ? image : slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
  const lastPart = full.slice(full.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !full.includes('@')) full += ':latest';
  return full;
}

/** A stable `repo@sha256:<64 hex>` image ID derived from the image name. */
export function imageId(image: string): string {
  const full = normalizeImage(image);
  const repo = full.includes('@') ? full.slice(0, full.indexOf('@')) : full.slice(0, full.lastIndexOf(':'));
  let hex = '';
  let h = 0x9e3779b9;
  while (hex.length < 64) {
    for (let i = 0; i < full.length; i++) h = Math.imul(h ^ full.charCodeAt(i), 0x85ebca6b) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `${repo}@sha256:${hex.slice(0, 64)}`;
}

function stateOf(c: ContainerRun): ContainerState {
  if (c.state === 'running') return { running: { startedAt: rfc3339(c.startedAt ?? 0) } };
  if (c.state === 'terminated')
    return {
      terminated: {
        exitCode: c.exitCode ?? 0,
        reason: c.reason,
        startedAt: rfc3339(c.startedAt ?? 0),
        finishedAt: rfc3339(c.finishedAt ?? 0),
        containerID: c.containerID,
      },
    };
  return { waiting: c.message ? { reason: c.reason, message: c.message } : { reason: c.reason } };
}

function containerStatus(c: ContainerRun, podTerminal: boolean): ContainerStatus {
  const ready = c.state === 'running' && !podTerminal;
  const s: ContainerStatus = {
    name: c.name,
    state: stateOf(c),
    lastState: c.last
      ? {
          terminated: {
            exitCode: c.last.exitCode,
            reason: c.last.reason,
            startedAt: rfc3339(c.last.startedAt),
            finishedAt: rfc3339(c.last.finishedAt),
            containerID: c.last.containerID,
          },
        }
      : {},
    ready,
    restartCount: c.restartCount,
    image: normalizeImage(c.image),
    imageID: c.containerID || c.last ? imageId(c.image) : '',
    started: c.state === 'running',
  };
  if (c.containerID) s.containerID = c.containerID;
  return s;
}

const names = (cs: ContainerRun[]) => `[${cs.map((c) => c.name).join(' ')}]`;

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? 'True' : 'False', lastProbeTime: null };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/** Pod conditions in the kubelet's order; lastTransitionTime kept from `previous` while the status holds. */
export function podConditions(run: PodRun, pod: Pod, now: number, previous: PodCondition[] = []): PodCondition[] {
  const terminal = run.phase === 'Succeeded' || run.phase === 'Failed';
  const init = run.containers.filter((c) => c.init && !c.sidecar);
  const app = run.containers.filter((c) => !c.init || c.sidecar);
  const initialized = initDone(run) || terminal;
  const pendingInit = init.filter((c) => !(c.state === 'terminated' && c.exitCode === 0));
  const unready = app.filter((c) => c.state !== 'running');
  const ready = !terminal && run.sandboxReady && initialized && unready.length === 0;
  const notReady = (): [string, string | undefined] =>
    terminal ? ['PodCompleted', undefined] : ['ContainersNotReady', `containers with unready status: ${names(unready.length ? unready : app)}`];
  const list: PodCondition[] = [
    condition('PodReadyToStartContainers', run.sandboxReady),
    condition('Initialized', initialized, 'ContainersNotInitialized', `containers with incomplete status: ${names(pendingInit)}`),
    condition('Ready', ready, ...notReady()),
    condition('ContainersReady', ready, ...notReady()),
  ];
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  list.push(scheduled ? { ...scheduled } : { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(run.startTime) });
  const stamp = rfc3339(now);
  for (const c of list) {
    if (c.type === 'PodScheduled') continue;
    const prev = previous.find((p) => p.type === c.type);
    c.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp;
  }
  return list;
}

export interface PodNetwork {
  hostIP: string;
  podIP?: string;
}

export function podStatus(run: PodRun, pod: Pod, net: PodNetwork, now: number, previous?: PodCondition[]): PodStatus {
  const terminal = run.phase === 'Succeeded' || run.phase === 'Failed';
  const status: PodStatus = {
    phase: run.phase,
    conditions: podConditions(run, pod, now, previous ?? pod.status?.conditions),
    hostIP: net.hostIP,
    hostIPs: [{ ip: net.hostIP }],
    startTime: rfc3339(run.startTime),
    containerStatuses: run.containers.filter((c) => !c.init).map((c) => containerStatus(c, terminal)),
  };
  if (net.podIP) {
    status.podIP = net.podIP;
    status.podIPs = [{ ip: net.podIP }];
  }
  const init = run.containers.filter((c) => c.init);
  if (init.length) status.initContainerStatuses = init.map((c) => containerStatus(c, terminal));
  return status;
}
