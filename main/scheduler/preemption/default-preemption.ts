/**
 * DefaultPreemption (PostFilter): when no node fits, find nodes where evicting lower-priority pods makes the
 * pod fit, pick one (select-candidate.ts), delete the victims and nominate the node. Messages are upstream's
 * ("preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
 * "preemption: not eligible due to preemptionPolicy=Never.").
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { CycleState } from '../framework/cycle-state.js';
import { newDiagnosis, formatFitError } from '../fit-error.js';
import { podPriority, type PodInfo } from '../framework/pod-info.js';
import { Code, Status } from '../framework/status.js';
import type { NodeToStatus, PluginContext, PostFilterOutcome, PostFilterPlugin } from '../framework/types.js';
import { pickOneNodeForPreemption, type Candidate } from './select-candidate.js';
import { selectVictimsOnNode, type PodDisruptionBudget, type PreemptionFramework } from './victims.js';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export interface PreemptionArgs {
  /** Candidates to find, as a percentage of nodes (default 10), at least minCandidateNodesAbsolute (default 100). */
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

export interface PreemptionDeps {
  /** Deletes a victim (and records the Preempted event on it). */
  preemptVictim(victim: Pod, preemptor: Pod, nodeName: string): Promise<void>;
  /** Clears status.nominatedNodeName of a pod nominated elsewhere with lower priority. */
  clearNominatedNodeName(pod: Pod): Promise<void>;
  /** The framework of the profile (late-bound: the runtime is built after its plugins). */
  framework(): PreemptionFramework;
  random?: () => number;
  now?: () => number;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = 'DefaultPreemption';
  /** Victims of the last successful preemption per preemptor uid (for decision records). */
  readonly lastVictims = new Map<string, string[]>();

  constructor(private readonly ctx: PluginContext, private readonly deps: PreemptionDeps, private readonly args: PreemptionArgs = {}) {}

  async postFilter(state: CycleState, pi: PodInfo, m: NodeToStatus): Promise<PostFilterOutcome> {
    const out = await this.preempt(state, pi, m);
    const msg = out.status?.message() ?? '';
    if (msg) return { result: out.result, status: new Status(out.status!.code, [`preemption: ${msg}`]) };
    return out;
  }

  /** PodEligibleToPreemptOthers. */
  eligible(pod: Pod, nominatedStatus: Status | undefined): { ok: boolean; msg: string } {
    if (pod.spec?.preemptionPolicy === 'Never') return { ok: false, msg: 'not eligible due to preemptionPolicy=Never.' };
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      if (nominatedStatus?.code === Code.UnschedulableAndUnresolvable) return { ok: true, msg: '' };
      const ni = this.ctx.snapshot().get(nominated);
      if (ni) {
        const prio = podPriority(pod);
        for (const p of ni.pods) {
          if (p.pod.metadata.deletionTimestamp && podPriority(p.pod) < prio) {
            return { ok: false, msg: 'not eligible due to a terminating pod on the nominated node.' };
          }
        }
      }
    }
    return { ok: true, msg: '' };
  }

  calculateNumCandidates(numNodes: number): number {
    let n = Math.trunc((numNodes * (this.args.minCandidateNodesPercentage ?? 10)) / 100);
    const abs = this.args.minCandidateNodesAbsolute ?? 100;
    if (n < abs) n = abs;
    if (n > numNodes) n = numNodes;
    return n;
  }

  private async preempt(state: CycleState, pi: PodInfo, m: NodeToStatus): Promise<PostFilterOutcome> {
    const pod = pi.pod;
    const nominated = pod.status?.nominatedNodeName;
    const el = this.eligible(pod, nominated ? m.get(nominated) : undefined);
    if (!el.ok) return { status: Status.unschedulable(el.msg) };

    const snapshot = this.ctx.snapshot();
    const all = snapshot.list();
    if (all.length === 0) return { status: Status.error('no nodes available') };
    const statuses: NodeToStatus = new Map();
    const potential = [];
    for (const ni of all) {
      if (m.get(ni.name)?.code === Code.UnschedulableAndUnresolvable) statuses.set(ni.name, Status.unresolvable(PREEMPTION_NOT_HELPFUL));
      else potential.push(ni);
    }
    const noCandidates = (): PostFilterOutcome => {
      const d = newDiagnosis();
      d.nodeToStatus = statuses;
      return { result: { nominatedNodeName: '' }, status: Status.unschedulable(formatFitError(statuses.size, d)) };
    };
    if (potential.length === 0) {
      if (nominated) await this.deps.clearNominatedNodeName(pod).catch(() => {});
      return noCandidates();
    }

    const pdbs = this.ctx.listers.podDisruptionBudgets.list() as PodDisruptionBudget[];
    const fwk = this.deps.framework();
    const numCandidates = this.calculateNumCandidates(potential.length);
    const offset = Math.floor((this.deps.random ?? Math.random)() * potential.length);
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    const now = (this.deps.now ?? Date.now)();
    for (let i = 0; i < potential.length; i++) {
      const ni = potential[(offset + i) % potential.length]!;
      const sel = selectVictimsOnNode(fwk, state.clone(), pi, ni.clone(), pdbs, now);
      if (!sel.status && sel.victims.length > 0) {
        const c = { nodeName: ni.name, victims: sel.victims, numPDBViolations: sel.numPDBViolations };
        (c.numPDBViolations === 0 ? nonViolating : violating).push(c);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
      } else if (!sel.status) {
        statuses.set(ni.name, Status.error(`expected at least one victim pod on node "${ni.name}"`));
      } else {
        statuses.set(ni.name, sel.status);
      }
    }
    const candidates = [...nonViolating, ...violating];
    if (candidates.length === 0) return noCandidates();

    const best = pickOneNodeForPreemption(candidates, now)!;
    for (const v of best.victims) await this.deps.preemptVictim(v.pod, pod, best.nodeName);
    // Lower-priority pods nominated to the chosen node lose their nomination: the room is for this pod.
    for (const p of this.ctx.nominatedPodsForNode(best.nodeName)) {
      if (podPriority(p.pod) < podPriority(pod) && p.uid !== pi.uid) await this.deps.clearNominatedNodeName(p.pod).catch(() => {});
    }
    this.lastVictims.set(pi.uid, best.victims.map((v) => v.key));
    return { result: { nominatedNodeName: best.nodeName }, status: null };
  }
}
