/**
 * DaemonSet status (upstream updateDaemonSetStatus): over the nodes, desiredNumberScheduled counts those that
 * should run the daemon, currentNumberScheduled those of them with a daemon pod, numberMisscheduled nodes with a
 * daemon pod that should not run it; numberReady/numberAvailable/updatedNumberScheduled look at the oldest daemon
 * pod of each node that should run it; numberUnavailable = desired - available.
 */
import type { DaemonSetObject } from '../../api/apps/v1/daemon-set.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { isPodAvailable, isPodReady } from '../history/pod-state.js';
import { isPodUpdated, templateGeneration } from './daemon-pod-template.js';

export interface DaemonSetStatusT {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
  collisionCount: number;
}

export function computeDaemonSetStatus(
  ds: DaemonSetObject,
  nodes: { name: string; shouldRun: boolean; pods: Pod[] }[],
  hash: string,
  collisionCount: number,
  nowMs: number,
): DaemonSetStatusT {
  const s: DaemonSetStatusT = {
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    desiredNumberScheduled: 0,
    numberReady: 0,
    observedGeneration: ds.metadata.generation,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
    collisionCount,
  };
  const generation = templateGeneration(ds);
  for (const n of nodes) {
    const scheduled = n.pods.length > 0;
    if (!n.shouldRun) {
      if (scheduled) s.numberMisscheduled++;
      continue;
    }
    s.desiredNumberScheduled++;
    if (!scheduled) continue;
    s.currentNumberScheduled++;
    const pod = n.pods[0]!;
    if (isPodUpdated(pod, hash, generation)) s.updatedNumberScheduled++;
    if (isPodReady(pod)) {
      s.numberReady++;
      if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, nowMs)) s.numberAvailable++;
    }
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  return s;
}
