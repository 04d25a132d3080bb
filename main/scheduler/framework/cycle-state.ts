/**
 * Per-attempt scratch space shared by a profile's plugins (framework.CycleState). PreFilter computes,
 * Filter/Score read. Preemption clones the state per candidate node, so stored data must implement clone()
 * (returning `this` is fine for data that AddPod/RemovePod never mutate).
 */

export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly data = new Map<string, StateData>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run for this attempt. */
  skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run for this attempt. */
  skipScorePlugins = new Set<string>();
  /** The framework's Filter plugins minus skipFilterPlugins, for `skip` at `skipSize` (runtime-owned; not cloned). */
  filterPluginsCache: { owner: object; skip: Set<string>; skipSize: number; plugins: readonly object[] } | undefined;

  read<T extends StateData>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: StateData): void {
    this.data.set(key, value);
  }
  delete(key: string): void {
    this.data.delete(key);
  }
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, v.clone());
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    return c;
  }
}
