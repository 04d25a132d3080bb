/**
 * Victim selection on one node (SelectVictimsOnNode) and PDB accounting (filterPodsWithPDBViolation):
 * remove every lower-priority pod, check the preemptor fits, then add victims back ("reprieve") from the most
 * important down — PDB-violating ones first, so as few budgets as possible are broken.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KObject } from '../../api/meta/object.js';
import { matchesLabels, selectorFromObject, type LabelSelectorObject } from '../../api/meta/label-selector.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import { podPriority, type PodInfo } from '../framework/pod-info.js';
import { Status, type PluginStatus } from '../framework/status.js';

export interface PodDisruptionBudget extends KObject {
  spec?: { selector?: LabelSelectorObject | null; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number; disruptedPods?: Record<string, string> };
}

export interface PreemptionFramework {
  runFilterWithNominatedPods(state: CycleState, pi: PodInfo, nodeInfo: NodeInfo): PluginStatus;
  runPreFilterAddPod(state: CycleState, pi: PodInfo, toAdd: PodInfo, nodeInfo: NodeInfo): PluginStatus;
  runPreFilterRemovePod(state: CycleState, pi: PodInfo, toRemove: PodInfo, nodeInfo: NodeInfo): PluginStatus;
}

export const NO_VICTIMS_MSG = 'No preemption victims found for incoming pod';

/** Start time for ordering; pods that have not started count as starting now. */
function startTime(p: Pod, now: number): number {
  const t = p.status?.startTime ? Date.parse(p.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

/** MoreImportantPod: higher priority, then earlier start. */
export function moreImportantPod(a: Pod, b: Pod, now = Date.now()): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a, now) < startTime(b, now);
}

/** Splits pods (in order) into those whose eviction would exceed some PDB's disruptionsAllowed, and the rest. */
export function filterPodsWithPDBViolation(pods: PodInfo[], pdbs: PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    const sel = p.spec?.selector;
    // A nil or empty selector matches nothing (upstream).
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) return 'nothing' as const;
    return selectorFromObject(sel);
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const pod = pi.pod;
    let violated = false;
    pdbs.forEach((pdb, i) => {
      if (pdb.metadata.namespace !== pod.metadata.namespace) return;
      const sel = selectors[i]!;
      if (sel === 'nothing' || !matchesLabels(sel, pod.metadata.labels ?? {})) return;
      if (pdb.status?.disruptedPods && pod.metadata.name! in pdb.status.disruptedPods) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violated = true;
    });
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

export interface VictimSelection {
  victims: PodInfo[];
  numPDBViolations: number;
  status: PluginStatus;
}

/** Mutates `nodeInfo` and `state` (pass copies). */
export function selectVictimsOnNode(
  fwk: PreemptionFramework, state: CycleState, preemptor: PodInfo, nodeInfo: NodeInfo, pdbs: PodDisruptionBudget[], now = Date.now(),
): VictimSelection {
  const prio = podPriority(preemptor.pod);
  const potential: PodInfo[] = [];
  const remove = (pi: PodInfo): PluginStatus => {
    nodeInfo.removePod(pi.pod);
    return fwk.runPreFilterRemovePod(state, preemptor, pi, nodeInfo);
  };
  const add = (pi: PodInfo): PluginStatus => {
    nodeInfo.addPod(pi);
    return fwk.runPreFilterAddPod(state, preemptor, pi, nodeInfo);
  };
  for (const pi of nodeInfo.pods.slice()) {
    if (podPriority(pi.pod) < prio) {
      potential.push(pi);
      const s = remove(pi);
      if (s) return { victims: [], numPDBViolations: 0, status: s };
    }
  }
  if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: Status.unresolvable(NO_VICTIMS_MSG) };
  const fit = fwk.runFilterWithNominatedPods(state, preemptor, nodeInfo);
  if (fit) return { victims: [], numPDBViolations: 0, status: fit };
  potential.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (pi: PodInfo): boolean => {
    const s = add(pi);
    const fits = !s && !fwk.runFilterWithNominatedPods(state, preemptor, nodeInfo);
    if (!fits) {
      remove(pi);
      victims.push(pi);
    }
    return fits;
  };
  for (const pi of violating) if (!reprieve(pi)) numPDBViolations++;
  for (const pi of nonViolating) reprieve(pi);
  return { victims, numPDBViolations, status: null };
}
