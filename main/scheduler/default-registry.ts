/**
 * The in-tree plugin registry used by the control plane: every plugin in plugins/ (see plugins/index.ts).
 * DefaultBinder and DefaultPreemption are added by the Scheduler itself (they need its client and queue).
 */
import type { PluginRegistry } from './framework/types.js';
import { inTreePlugins } from './plugins/index.js';

export function defaultRegistry(): PluginRegistry {
  return { ...inTreePlugins };
}
