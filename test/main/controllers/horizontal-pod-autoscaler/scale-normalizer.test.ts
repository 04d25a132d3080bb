/**
 * Stabilization windows and rate limits between the metrics' proposal and the applied replica count, with and
 * without `behavior`, against upstream's rules and condition wording.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScaleNormalizer, type Behavior, type NormalizeArgs } from '../../../../main/controllers/horizontal-pod-autoscaler/scale-normalizer.js';

const S = 1000;
/** The behavior an HPA gets when it sets `behavior: {}` (the API server's defaults). */
const defaults = (): Behavior => ({
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
});

interface Step { at: number; current: number; proposed: number; desired: number; able: string; limited: [string, string]; scaled?: boolean }

/** Runs the steps against one normalizer; a step marked `scaled` records its rescale as the controller would. */
function run(steps: Step[], base: Omit<NormalizeArgs, 'current' | 'proposed' | 'nowMs' | 'key'>, normalizer = new ScaleNormalizer()): void {
  for (const [i, s] of steps.entries()) {
    const r = normalizer.normalize({ ...base, key: 'ns/h', current: s.current, proposed: s.proposed, nowMs: s.at * S });
    const label = `step ${i} at ${s.at}s: ${s.current} → proposed ${s.proposed}`;
    assert.equal(r.desired, s.desired, label);
    assert.equal(r.ableToScale.reason, s.able, label);
    assert.deepEqual([r.scalingLimited.status, r.scalingLimited.reason], s.limited, label);
    if (s.scaled) normalizer.recordScale('ns/h', base.behavior, s.current, r.desired, s.at * S);
  }
}

test('without behavior: scale-down waits out the 5-minute window, taking its highest proposal', () => {
  run([
    { at: 0, current: 10, proposed: 10, desired: 10, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
    { at: 60, current: 10, proposed: 4, desired: 10, able: 'ScaleDownStabilized', limited: ['False', 'DesiredWithinRange'] },
    { at: 120, current: 10, proposed: 6, desired: 10, able: 'ScaleDownStabilized', limited: ['False', 'DesiredWithinRange'] },
    // The proposal of 10 (at 0 s) has left the window; the highest left is 6.
    { at: 301, current: 10, proposed: 4, desired: 6, able: 'ScaleDownStabilized', limited: ['False', 'DesiredWithinRange'] },
    { at: 421, current: 6, proposed: 4, desired: 4, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
  ], { min: 1, max: 20, behavior: undefined });
});

test('without behavior: scale-up is limited to max(2 × current, 4), and min/max apply', () => {
  run([
    { at: 0, current: 2, proposed: 10, desired: 4, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
    { at: 15, current: 4, proposed: 10, desired: 8, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  ], { min: 1, max: 20, behavior: undefined });
  run([{ at: 0, current: 3, proposed: 10, desired: 5, able: 'ReadyForNewScale', limited: ['True', 'TooManyReplicas'] }],
    { min: 1, max: 5, behavior: undefined });
  run([{ at: 0, current: 2, proposed: 0, desired: 2, able: 'ReadyForNewScale', limited: ['True', 'TooFewReplicas'] }],
    { min: 2, max: 5, behavior: undefined });
});

test('a shorter downscale window comes from --horizontal-pod-autoscaler-downscale-stabilization', () => {
  run([
    { at: 0, current: 10, proposed: 10, desired: 10, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
    { at: 30, current: 10, proposed: 4, desired: 10, able: 'ScaleDownStabilized', limited: ['False', 'DesiredWithinRange'] },
    { at: 61, current: 10, proposed: 4, desired: 4, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
  ], { min: 1, max: 20, behavior: undefined }, new ScaleNormalizer(60));
});

test('default behavior: scale-up by the larger of 4 pods or 100 % per 15 s, counted from the period start', () => {
  run([
    { at: 0, current: 2, proposed: 20, desired: 6, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'], scaled: true },
    // Within 15 s of adding 4, the period started at 2 replicas: no more room.
    { at: 5, current: 6, proposed: 20, desired: 6, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
    { at: 16, current: 6, proposed: 20, desired: 12, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'], scaled: true },
    { at: 32, current: 12, proposed: 20, desired: 20, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
  ], { min: 1, max: 50, behavior: defaults() });
  // From 10 the policies allow 20; maxReplicas 15 is the tighter bound.
  run([{ at: 0, current: 10, proposed: 40, desired: 15, able: 'ReadyForNewScale', limited: ['True', 'TooManyReplicas'] }],
    { min: 1, max: 15, behavior: defaults() });
});

test('behavior: scale-up stabilization takes the lowest proposal of its window', () => {
  const behavior = defaults();
  behavior.scaleUp!.stabilizationWindowSeconds = 60;
  run([
    { at: 0, current: 5, proposed: 5, desired: 5, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
    { at: 10, current: 5, proposed: 8, desired: 5, able: 'ScaleUpStabilized', limited: ['False', 'DesiredWithinRange'] },
    { at: 61, current: 5, proposed: 8, desired: 8, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
  ], { min: 1, max: 20, behavior });
});

test('behavior: scale-down policies, Min selection and Disabled', () => {
  const halfPerMinute: Behavior = { ...defaults(), scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } };
  run([
    { at: 0, current: 10, proposed: 1, desired: 5, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'], scaled: true },
    // 5 removed in this minute: the period started at 10, so 5 is still the floor.
    { at: 30, current: 5, proposed: 1, desired: 5, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'] },
    { at: 61, current: 5, proposed: 1, desired: 2, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'] },
  ], { min: 1, max: 20, behavior: halfPerMinute });

  // Min picks the policy that changes least: 2 pods rather than 50 %.
  const least: Behavior = { ...defaults(), scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }, { type: 'Pods', value: 2, periodSeconds: 60 }] } };
  run([{ at: 0, current: 10, proposed: 1, desired: 8, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'] }], { min: 1, max: 20, behavior: least });

  const disabled: Behavior = { ...defaults(), scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } };
  run([{ at: 0, current: 10, proposed: 1, desired: 10, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'] }], { min: 1, max: 20, behavior: disabled });

  // The min bound applies when it is above the policy's floor.
  run([{ at: 0, current: 10, proposed: 1, desired: 3, able: 'ReadyForNewScale', limited: ['True', 'TooFewReplicas'] }],
    { min: 3, max: 20, behavior: { ...defaults(), scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } } });
});

test('a deleted HPA is forgotten: a new one of the same name starts without history', () => {
  const n = new ScaleNormalizer();
  n.normalize({ key: 'ns/h', current: 10, proposed: 10, min: 1, max: 20, behavior: undefined, nowMs: 0 });
  n.forget('ns/h');
  assert.equal(n.normalize({ key: 'ns/h', current: 10, proposed: 3, min: 1, max: 20, behavior: undefined, nowMs: 10 * S }).desired, 3);
});
