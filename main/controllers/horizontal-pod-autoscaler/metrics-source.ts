/**
 * Where the HPA controller reads metrics from (upstream's MetricsClient over metrics.k8s.io, custom.metrics.k8s.io
 * and external.metrics.k8s.io). The cluster serves none of these APIs yet, so the default source fails every read
 * with the errors upstream's REST clients produce in a cluster without metrics-server or a custom-metrics adapter;
 * a real source (e.g. usage reported by the simulated nodes) implements this interface and is passed to the
 * controller factory.
 */

/** One value per pod, in milli-units (cpu: millicores; memory: milli-bytes, as upstream's MilliValue()). */
export type PodMetrics = Map<string, number>;

export interface MetricsSource {
  /** Usage of `resource` per pod matching `selector` (optionally only `container`). */
  resourceMetric(resource: string, namespace: string, selector: string, container?: string): Promise<PodMetrics>;
  /** A custom per-pod metric. */
  podsMetric(metric: string, namespace: string, selector: string, metricSelector?: string): Promise<PodMetrics>;
  /** A custom metric describing one object, in milli-units. */
  objectMetric(metric: string, namespace: string, object: { apiVersion?: string; kind?: string; name?: string }, metricSelector?: string): Promise<number>;
  /** An external metric's values, in milli-units. */
  externalMetric(metric: string, namespace: string, metricSelector?: string): Promise<number[]>;
}

/** The cluster has no metrics APIs: every read fails as it does upstream without them. */
export const noMetricsApis: MetricsSource = {
  async resourceMetric() {
    throw new Error('unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)');
  },
  async podsMetric() {
    throw new Error('unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered');
  },
  async objectMetric() {
    throw new Error('unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered');
  },
  async externalMetric() {
    throw new Error('unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered');
  },
};
