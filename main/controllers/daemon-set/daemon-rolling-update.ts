/**
 * One step of a DaemonSet RollingUpdate (upstream daemon/update.go rollingUpdate), as a plan over the nodes that
 * should run the daemon: which old pods to delete and on which nodes to create a new pod now.
 * - maxSurge 0: an unavailable old pod is replaced at once; available old pods are deleted while the number of
 *   nodes without an available pod stays within maxUnavailable (the manage loop then creates the new pod).
 * - maxSurge > 0: a new pod is created beside the old one on up to maxSurge nodes (at once where the old pod is
 *   unavailable); the old pod is deleted once the new one is available.
 * Percentages are of desiredNumberScheduled, rounded up; both resolving to 0 means maxUnavailable 1.
 */
import type { DaemonSetObject } from '../../api/apps/v1/daemon-set.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { isPodAvailable, isTerminating } from '../history/pod-state.js';
import { isPodUpdated, templateGeneration } from './daemon-pod-template.js';

export interface RollingPlan {
  deletePods: Pod[];
  createOnNodes: string[];
}

type IntOrPercent = number | string | undefined;

export function scaledValue(v: IntOrPercent, total: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (m) return Math.ceil((Number(m[1]) * total) / 100);
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

export function surgeAndUnavailable(ds: DaemonSetObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(ru.maxSurge, desired);
  let maxUnavailable = scaledValue(ru.maxUnavailable, desired);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/**
 * The updated and the old non-terminating pod of a node (upstream findUpdatedPodsOnNode); undefined when there
 * are several of either kind: the node is then skipped and the manage loop prunes the excess first.
 */
export function updatedAndOldPods(pods: Pod[], hash: string, generation: number | undefined): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return undefined;
      newPod = p;
    } else {
      if (oldPod) return undefined;
      oldPod = p;
    }
  }
  return { newPod, oldPod };
}

/** `nodePods`: for each node that should run the daemon, its daemon pods, oldest first. */
export function planRollingUpdate(ds: DaemonSetObject, nodePods: Map<string, Pod[]>, hash: string, desired: number, nowMs: number): RollingPlan {
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds, desired);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const generation = templateGeneration(ds);
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const plan: RollingPlan = { deletePods: [], createOnNodes: [] };
  const nodes = [...nodePods.keys()].sort();

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const node of nodes) {
      const found = updatedAndOldPods(nodePods.get(node)!, hash, generation);
      if (!found) continue;
      const { newPod, oldPod } = found;
      if ((!newPod && !oldPod) || (newPod && oldPod)) numUnavailable++;
      else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) replace.push(oldPod!);
      else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.max(0, maxUnavailable - numUnavailable);
    plan.deletePods = [...replace, ...candidates.slice(0, remaining)];
    return plan;
  }

  let numSurge = 0;
  const allowed: string[] = [];
  const candidates: string[] = [];
  for (const node of nodes) {
    const found = updatedAndOldPods(nodePods.get(node)!, hash, generation);
    if (!found?.oldPod) continue;
    const { newPod, oldPod } = found;
    if (!newPod) {
      if (!available(oldPod)) allowed.push(node);
      else candidates.push(node);
      continue;
    }
    // A new pod still starting counts against the surge; an available one retires the old pod.
    if (available(newPod)) plan.deletePods.push(oldPod);
    else numSurge++;
  }
  plan.createOnNodes = [...allowed, ...candidates.slice(0, Math.max(0, maxSurge - numSurge))];
  return plan;
}
