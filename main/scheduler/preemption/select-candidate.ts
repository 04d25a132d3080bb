/**
 * pickOneNodeForPreemption: among nodes where preemption makes the pod fit, choose by upstream's criteria,
 * each applied only to break ties left by the previous one:
 *   1. fewest PDB violations; 2. lowest highest-victim priority; 3. smallest sum of victim priorities;
 *   4. fewest victims; 5. latest start time among the highest-priority victims; 6. the first candidate.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { podPriority, type PodInfo } from '../framework/pod-info.js';

export interface Candidate {
  nodeName: string;
  victims: PodInfo[];
  numPDBViolations: number;
}

const INT32_OFFSET = 2 ** 31; // keeps negative priorities from lowering the sum (upstream adds MaxInt32+1)

function earliestStartOfHighest(victims: PodInfo[], now: number): number {
  if (!victims.length) return -Infinity;
  const top = Math.max(...victims.map((v) => podPriority(v.pod)));
  let earliest = Infinity;
  for (const v of victims) {
    if (podPriority(v.pod) !== top) continue;
    const t = startTimeOf(v.pod, now);
    if (t < earliest) earliest = t;
  }
  return earliest;
}

function startTimeOf(p: Pod, now: number): number {
  const t = p.status?.startTime ? Date.parse(p.status.startTime) : NaN;
  return Number.isNaN(t) ? now : t;
}

export function pickOneNodeForPreemption(candidates: Candidate[], now = Date.now()): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const noVictims = candidates.find((c) => c.victims.length === 0);
  if (noVictims) return noVictims;
  type Score = (c: Candidate) => number; // higher is better
  const criteria: Score[] = [
    (c) => -c.numPDBViolations,
    (c) => -Math.max(...c.victims.map((v) => podPriority(v.pod))),
    (c) => -c.victims.reduce((s, v) => s + podPriority(v.pod) + INT32_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighest(c.victims, now),
  ];
  let pool = candidates;
  for (const score of criteria) {
    let best = -Infinity;
    let next: Candidate[] = [];
    for (const c of pool) {
      const s = score(c);
      if (s > best) {
        best = s;
        next = [c];
      } else if (s === best) next.push(c);
    }
    pool = next;
    if (pool.length === 1) return pool[0];
  }
  return pool[0];
}
