/**
 * helper.DefaultNormalizeScore: scales scores so the highest becomes `maxPriority` (integer division, as
 * upstream); with `reverse` the scale is flipped so the lowest raw score ranks best. When every score is 0 the
 * scores stay 0, or all become maxPriority when reversed.
 */
import type { NodeScore } from '../../framework/types.js';

export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((maxPriority * s.score) / max);
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
}
