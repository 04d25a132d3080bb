/**
 * The Pod table as upstream's printPod computes it: READY counts (sidecars included), the STATUS reason
 * (init progress, waiting/terminated reasons, Terminating, SchedulingGated, ...) and RESTARTS with the age
 * of the last restart.
 */
import type { Column } from '../../resource.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { age } from '../../table/human-duration.js';
import type { Container, ContainerStatus, Pod, PodCondition } from './pod-types.js';

const isSidecar = (c: Container | undefined) => c?.restartPolicy === 'Always';
const conditionTrue = (conds: PodCondition[] | undefined, type: string) =>
  (conds ?? []).some((c) => c.type === type && c.status === 'True');

export interface PodRow {
  ready: string;
  reason: string;
  restarts: string;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Ready, Status and Restarts cells of one pod at time `now`. */
export function podRow(pod: Pod, now: number): PodRow {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let readyContainers = 0;
  let totalContainers = (spec.containers ?? []).length;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let reason = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const inits = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isSidecar(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount ?? 0;
    lastRestart = later(lastRestart, cs.lastState?.terminated?.finishedAt);
    const sidecar = isSidecar(inits.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, cs.lastState?.terminated?.finishedAt);
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount ?? 0;
      lastRestart = later(lastRestart, cs.lastState?.terminated?.finishedAt);
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const phase = status.phase ?? '';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${age(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsText };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  let ok = 0;
  for (const g of gates) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
    if (c?.status === 'True') ok++;
  }
  return `${ok}/${gates.length}`;
}

export const podColumns: Column<Pod>[] = [
  nameColumn<Pod>(),
  col<Pod>('Ready', (p, now) => podRow(p, now).ready, { description: 'The aggregate readiness state of this pod for accepting traffic.' }),
  col<Pod>('Status', (p, now) => podRow(p, now).reason, { description: 'The aggregate status of the containers in this pod.' }),
  col<Pod>('Restarts', (p, now) => podRow(p, now).restarts, {
    description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  }),
  ageColumn<Pod>(),
  col<Pod>('IP', (p) => p.status?.podIPs?.[0]?.ip || '<none>', { priority: 1, description: 'IP address allocated to the pod.' }),
  col<Pod>('Node', (p) => p.spec?.nodeName || '<none>', { priority: 1, description: 'Name of the node the pod is scheduled on.' }),
  col<Pod>('Nominated Node', (p) => p.status?.nominatedNodeName || '<none>', {
    priority: 1,
    description: 'Node the pod is nominated to run on after the preemptions made for it.',
  }),
  col<Pod>('Readiness Gates', readinessGates, { priority: 1, description: 'Extra conditions evaluated for pod readiness.' }),
];
