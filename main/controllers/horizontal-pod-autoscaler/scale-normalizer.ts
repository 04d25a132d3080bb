/**
 * From the replica count the metrics propose to the count the HPA applies, as upstream's podautoscaler
 * (normalizeDesiredReplicas / normalizeDesiredReplicasWithBehaviors):
 * - stabilization: a proposal is compared with those of the recent window. Scaling down takes the highest
 *   proposal of the window (default 300 s, --horizontal-pod-autoscaler-downscale-stabilization); scaling up with
 *   `behavior` takes the lowest of its own window (default 0 s). AbleToScale reports ScaleDownStabilized /
 *   ScaleUpStabilized, or ReadyForNewScale.
 * - rate limits: without `behavior`, at most max(2 × current, 4) replicas. With `behavior`, each policy bounds the
 *   change over its period from the replicas at the period's start (scale events of this controller). selectPolicy
 *   Max takes the policy allowing the most change, Min the least, Disabled none. Then min/max replicas apply.
 *   ScalingLimited reports the bound that applied (ScaleUpLimit, ScaleDownLimit, TooManyReplicas,
 *   TooFewReplicas) or DesiredWithinRange.
 * The history lives in the controller's memory, as upstream's does: a restarted controller starts a new window.
 */
import type { ScalingRules } from '../../api/autoscaling/v2/horizontal-pod-autoscaler.js';

export const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

export interface NormalizeArgs {
  key: string;
  current: number;
  /** The replicas the metrics propose. */
  proposed: number;
  min: number;
  max: number;
  /** spec.behavior as stored (defaulted by the API server when present). */
  behavior: Behavior | undefined;
  nowMs: number;
}

export interface ConditionUpdate {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  desired: number;
  ableToScale: ConditionUpdate;
  scalingLimited: ConditionUpdate;
}

interface Sample { replicas: number; atMs: number }
interface ScaleEvent { change: number; atMs: number }

const READY: ConditionUpdate = { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const DOWN_STABILIZED: ConditionUpdate = {
  status: 'True', reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const UP_STABILIZED: ConditionUpdate = {
  status: 'True', reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};
const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/** Per-HPA recommendation and scale-event history; one instance per controller. */
export class ScaleNormalizer {
  private readonly recommendations = new Map<string, Sample[]>();
  private readonly scaleUps = new Map<string, ScaleEvent[]>();
  private readonly scaleDowns = new Map<string, ScaleEvent[]>();

  constructor(private readonly downscaleStabilizationSeconds = DEFAULT_DOWNSCALE_STABILIZATION_SECONDS) {}

  normalize(a: NormalizeArgs): Normalized {
    return a.behavior ? this.withBehavior(a, a.behavior) : this.withoutBehavior(a);
  }

  /** Records a rescale this controller made, for the behavior policies' periods. */
  recordScale(key: string, behavior: Behavior | undefined, from: number, to: number, nowMs: number): void {
    if (!behavior || from === to) return;
    const up = to > from;
    const rules = up ? behavior.scaleUp : behavior.scaleDown;
    const longest = Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds ?? 0));
    const map = up ? this.scaleUps : this.scaleDowns;
    const kept = (map.get(key) ?? []).filter((e) => e.atMs >= nowMs - longest * 1000);
    kept.push({ change: Math.abs(to - from), atMs: nowMs });
    map.set(key, kept);
  }

  /** Forgets a deleted HPA. */
  forget(key: string): void {
    this.recommendations.delete(key);
    this.scaleUps.delete(key);
    this.scaleDowns.delete(key);
  }

  private withoutBehavior(a: NormalizeArgs): Normalized {
    const windowStart = a.nowMs - this.downscaleStabilizationSeconds * 1000;
    let stabilized = a.proposed;
    for (const s of this.samples(a.key, windowStart, a)) if (s.atMs >= windowStart) stabilized = Math.max(stabilized, s.replicas);
    const ableToScale = stabilized !== a.proposed ? DOWN_STABILIZED : READY;

    const upLimit = Math.max(SCALE_UP_LIMIT_FACTOR * a.current, SCALE_UP_LIMIT_MINIMUM);
    const [maxAllowed, overMax] = a.max > upLimit ? [upLimit, UP_LIMIT] : [a.max, TOO_MANY];
    let desired = stabilized;
    let bound = WITHIN_RANGE;
    if (stabilized < a.min) [desired, bound] = [a.min, TOO_FEW];
    else if (stabilized > maxAllowed) [desired, bound] = [maxAllowed, overMax];
    return { desired, ableToScale, scalingLimited: { status: desired === stabilized ? 'False' : 'True', ...bound } };
  }

  private withBehavior(a: NormalizeArgs, behavior: Behavior): Normalized {
    const upWindow = behavior.scaleUp?.stabilizationWindowSeconds ?? 0;
    const downWindow = behavior.scaleDown?.stabilizationWindowSeconds ?? this.downscaleStabilizationSeconds;
    const up = a.proposed >= a.current;
    const windowStart = a.nowMs - (up ? upWindow : downWindow) * 1000;
    const obsoleteBefore = a.nowMs - Math.max(upWindow, downWindow) * 1000;
    let stabilized = a.proposed;
    for (const s of this.samples(a.key, obsoleteBefore, a)) {
      if (s.atMs > windowStart) stabilized = up ? Math.min(stabilized, s.replicas) : Math.max(stabilized, s.replicas);
    }
    const ableToScale = stabilized !== a.proposed ? (up ? UP_STABILIZED : DOWN_STABILIZED) : READY;

    let desired = stabilized;
    let bound = WITHIN_RANGE;
    if (stabilized > a.current) {
      const limit = Math.max(a.current, scaleUpLimit(a.current, this.scaleUps.get(a.key) ?? [], behavior.scaleUp, a.nowMs));
      const [maxAllowed, over] = a.max > limit ? [limit, UP_LIMIT] : [a.max, TOO_MANY];
      if (stabilized > maxAllowed) [desired, bound] = [maxAllowed, over];
    } else if (stabilized < a.current) {
      const limit = Math.min(a.current, scaleDownLimit(a.current, this.scaleDowns.get(a.key) ?? [], behavior.scaleDown, a.nowMs));
      const [minAllowed, under] = a.min < limit ? [limit, DOWN_LIMIT] : [a.min, TOO_FEW];
      if (stabilized < minAllowed) [desired, bound] = [minAllowed, under];
    }
    return { desired, ableToScale, scalingLimited: { status: desired === stabilized ? 'False' : 'True', ...bound } };
  }

  /**
   * The samples before this proposal, then records it: replacing one older than `obsoleteBefore` if there is one
   * (the history stays as long as the longest window needs), else appended.
   */
  private samples(key: string, obsoleteBefore: number, a: NormalizeArgs): Sample[] {
    const list = this.recommendations.get(key) ?? [];
    const before = list.slice();
    const sample = { replicas: a.proposed, atMs: a.nowMs };
    const old = list.findIndex((s) => s.atMs < obsoleteBefore);
    if (old >= 0) list[old] = sample;
    else list.push(sample);
    this.recommendations.set(key, list);
    return before;
  }
}

/** Replicas changed in the direction of `events` within the last `periodSeconds`. */
function changedWithin(events: ScaleEvent[], periodSeconds: number, nowMs: number): number {
  let n = 0;
  for (const e of events) if (e.atMs > nowMs - periodSeconds * 1000) n += e.change;
  return n;
}

function scaleUpLimit(current: number, events: ScaleEvent[], rules: ScalingRules | undefined, nowMs: number): number {
  const select = rules?.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  let result: number | undefined;
  for (const p of rules?.policies ?? []) {
    const start = current - changedWithin(events, p.periodSeconds ?? 0, nowMs);
    const proposed = p.type === 'Pods' ? start + (p.value ?? 0) : Math.ceil(start * (1 + (p.value ?? 0) / 100));
    result = result === undefined ? proposed : select === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result ?? current;
}

function scaleDownLimit(current: number, events: ScaleEvent[], rules: ScalingRules | undefined, nowMs: number): number {
  const select = rules?.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  let result: number | undefined;
  for (const p of rules?.policies ?? []) {
    const start = current + changedWithin(events, p.periodSeconds ?? 0, nowMs);
    const proposed = p.type === 'Pods' ? start - (p.value ?? 0) : Math.trunc(start * (1 - (p.value ?? 0) / 100));
    result = result === undefined ? proposed : select === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result ?? current;
}
