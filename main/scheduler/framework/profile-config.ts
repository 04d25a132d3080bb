/**
 * Scheduler profile configuration (KubeSchedulerConfiguration's profiles): one profile per schedulerName.
 * `plugins.multiPoint` enables a plugin at every extension point it implements, in list order (upstream's
 * MultiPoint); a per-point list, when given, replaces the multiPoint-derived list for that point.
 * Score weights come from the score list entry, else the multiPoint entry, else 1.
 */

export type ExtensionPoint =
  | 'preEnqueue' | 'queueSort' | 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score'
  | 'reserve' | 'preBind' | 'bind' | 'postBind';

export const EXTENSION_POINTS: ExtensionPoint[] = [
  'preEnqueue', 'queueSort', 'preFilter', 'filter', 'postFilter', 'preScore', 'score', 'reserve', 'preBind', 'bind', 'postBind',
];

export interface PluginRef {
  name: string;
  /** Score weight (score point only). */
  weight?: number;
}

export interface ProfileConfig {
  schedulerName: string;
  plugins: { multiPoint?: PluginRef[] } & Partial<Record<ExtensionPoint, PluginRef[]>>;
  /** 0 or undefined = the adaptive default (50 - nodes/125, at least 5%); 1-100 = fixed percentage. */
  percentageOfNodesToScore?: number;
  /** Plugin name → args passed to its factory. */
  pluginArgs?: Record<string, unknown>;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/**
 * Upstream's default profile (pkg/scheduler/apis/config/v1/default_plugins.go), in its order — the order
 * matters: a node's Filter stops at the first rejecting plugin, so it decides which reason is reported.
 * Plugins not implemented here (VolumeRestrictions, NodeVolumeLimits, VolumeZone, DynamicResources) are
 * left out; an unknown name in a profile is a configuration error.
 */
export function defaultPlugins(): PluginRef[] {
  return [
    { name: 'SchedulingGates' },
    { name: 'PrioritySort' },
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration', weight: 3 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'NodePorts' },
    { name: 'NodeResourcesFit', weight: 1 },
    { name: 'VolumeBinding' },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'InterPodAffinity', weight: 2 },
    { name: 'DefaultPreemption' },
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'ImageLocality', weight: 1 },
    { name: 'DefaultBinder' },
  ];
}

export function defaultProfile(schedulerName = DEFAULT_SCHEDULER_NAME): ProfileConfig {
  return { schedulerName, plugins: { multiPoint: defaultPlugins() } };
}
