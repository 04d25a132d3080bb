/**
 * Settings of the controller manager (kube-controller-manager flags that matter here). Plain data: they cross
 * into the manager's worker thread. Every field is optional; each controller documents and applies its default
 * (upstream's).
 */
export interface ControllerManagerOptions {
  /** Names of the controllers to run (ControllerFactory.name); absent = all. */
  controllers?: string[];
  /** Workers per controller name, overriding the controller's default (--concurrent-*-syncs). */
  concurrency?: Record<string, number>;
  /** --node-monitor-period: how often node health is checked. */
  nodeMonitorPeriodSeconds?: number;
  /** --node-monitor-grace-period: a node whose Lease/status is older than this becomes Ready=Unknown. */
  nodeMonitorGracePeriodSeconds?: number;
  /** --node-startup-grace-period: the grace for a node that never posted a Ready condition. */
  nodeStartupGracePeriodSeconds?: number;
  /** --cluster-cidr and --node-cidr-mask-size for Node IPAM. */
  clusterCIDR?: string;
  nodeCIDRMaskSize?: number;
  /** --root-ca-file contents: the cluster CA (PEM) put as ca.crt into service-account token secrets. */
  rootCAPem?: string;
  /** --horizontal-pod-autoscaler-downscale-stabilization, in seconds (default 300). */
  horizontalPodAutoscalerDownscaleStabilizationSeconds?: number;
  /** --terminated-pod-gc-threshold. */
  terminatedPodGCThreshold?: number;
}

/** The workers a controller runs: the configured count for `name`, else its default. */
export function workersFor(options: ControllerManagerOptions, name: string, fallback: number): number {
  const n = options.concurrency?.[name];
  return n !== undefined && n > 0 ? n : fallback;
}
