/**
 * CycleState helpers. CycleState stores StateData (anything with clone()); plugins keep plain values and wrap
 * them here. `Shared` is for data never mutated after PreFilter/PreScore (clone returns itself, as upstream's
 * preScoreState.Clone does).
 */
import type { CycleState, StateData } from '../../framework/types.js';

export class Shared<T> implements StateData {
  constructor(readonly value: T) {}
  clone(): StateData {
    return this;
  }
}

export function writeShared<T>(state: CycleState, key: string, value: T): void {
  state.write(key, new Shared(value));
}

export function readShared<T>(state: CycleState, key: string): T | undefined {
  return state.read<Shared<T>>(key)?.value;
}
