/**
 * Replica counts from metrics (upstream podautoscaler ReplicaCalculator, simplified): for each metric of the HPA,
 * the usage ratio against its target, and ceil(ratio × pods) unless the ratio is within the 10 % tolerance. Every
 * failure carries the upstream event reason and the upstream message shapes, which is all the controller meets
 * while the cluster has no metrics APIs.
 * Simplifications against upstream (documented deviations): pods without metrics and unready pods are not given
 * the conservative 0 % / 100 % treatment, and Utilization uses the sum of the pods' container requests.
 */
import type { HPAv2, MetricSpecObject, MetricStatusObject } from '../../api/autoscaling/v2/horizontal-pod-autoscaler.js';
import { formatLabelSelector } from '../../api/meta/label-selector.js';
import { parseQuantity, quantityMilliValue } from '../../api/meta/quantity.js';
import type { MetricsSource, PodMetrics } from './metrics-source.js';

export const TOLERANCE = 0.1;

/** A metric that could not be evaluated: `reason` is the event/condition reason, `message` the event text. */
export class MetricError extends Error {
  constructor(readonly reason: string, message: string, readonly wrapped: string) {
    super(message);
  }
}

export interface PodRequests {
  /** Requests per pod name of `resource` in milli-units (sum over containers, or the one container). */
  requests(resource: string, container?: string): Map<string, number>;
}

export interface MetricResult {
  replicas: number;
  status: MetricStatusObject;
  name: string;
}

const milli = (v: string | number | undefined) => {
  const q = v === undefined ? undefined : parseQuantity(v);
  return q ? quantityMilliValue(q) : undefined;
};
const fromMilli = (m: number) => (m % 1000 === 0 ? String(m / 1000) : `${Math.round(m)}m`);

/** Within the tolerance: stay; otherwise ceil(ratio × the pods measured) (the current replicas for object/external). */
function replicasFor(ratio: number, current: number, measured = current): number {
  return Math.abs(1 - ratio) <= TOLERANCE ? current : Math.ceil(ratio * measured);
}

const sum = (m: PodMetrics) => [...m.values()].reduce((a, b) => a + b, 0);

/** The replicas one metric asks for. Throws MetricError. */
export async function replicasForMetric(
  hpa: HPAv2, spec: MetricSpecObject, currentReplicas: number, selector: string, source: MetricsSource, pods: PodRequests,
): Promise<MetricResult> {
  const ns = hpa.metadata.namespace!;
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource! : spec.containerResource!;
      const resource = src.name ?? '';
      const container = spec.type === 'ContainerResource' ? spec.containerResource?.container : undefined;
      const reason = spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
      const prefix = spec.type === 'Resource' ? `failed to get ${resource} resource metric value` : `failed to get ${resource} container metric value`;
      const target = src.target ?? {};
      let usage: PodMetrics;
      const what = target.type === 'Utilization' ? 'utilization' : 'usage';
      try {
        usage = await source.resourceMetric(resource, ns, selector, container);
      } catch (e) {
        const msg = `failed to get ${resource} ${what}: unable to get metrics for resource ${resource}: ${e instanceof Error ? e.message : String(e)}`;
        throw new MetricError(reason, msg, `${prefix}: ${msg}`);
      }
      if (usage.size === 0) {
        const msg = `failed to get ${resource} ${what}: did not receive metrics for targeted pods (pods might be unready)`;
        throw new MetricError(reason, msg, `${prefix}: ${msg}`);
      }
      if (target.type === 'Utilization') {
        const requests = pods.requests(resource, container);
        let used = 0;
        let requested = 0;
        for (const [pod, v] of usage) {
          const r = requests.get(pod);
          if (!r) {
            const msg = `failed to get ${resource} utilization: missing request for ${resource} in container${container ? ` ${container}` : 's'} of pod ${pod}`;
            throw new MetricError(reason, msg, `${prefix}: ${msg}`);
          }
          used += v;
          requested += r;
        }
        const utilization = Math.round((used * 100) / requested);
        const ratio = utilization / (target.averageUtilization ?? 80);
        const current = { averageUtilization: utilization, averageValue: fromMilli(used / usage.size) };
        const status: MetricStatusObject = spec.type === 'Resource'
          ? { type: 'Resource', resource: { name: resource, current } }
          : { type: 'ContainerResource', containerResource: { name: resource, container, current } };
        return { replicas: replicasFor(ratio, currentReplicas, usage.size), status, name: `${resource} resource utilization (percentage of request)` };
      }
      const average = sum(usage) / usage.size;
      const ratio = average / (milli(target.averageValue) ?? 1);
      const current = { averageValue: fromMilli(average) };
      const status: MetricStatusObject = spec.type === 'Resource'
        ? { type: 'Resource', resource: { name: resource, current } }
        : { type: 'ContainerResource', containerResource: { name: resource, container, current } };
      return { replicas: replicasFor(ratio, currentReplicas, usage.size), status, name: `${resource} resource` };
    }
    case 'Pods': {
      const m = spec.pods!;
      const name = m.metric?.name ?? '';
      let values: PodMetrics;
      try {
        values = await source.podsMetric(name, ns, selector, m.metric?.selector ? formatLabelSelector(m.metric.selector) : undefined);
      } catch (e) {
        const msg = `unable to get metric ${name}: ${e instanceof Error ? e.message : String(e)}`;
        throw new MetricError('FailedGetPodsMetric', msg, `failed to get pods metric value: ${msg}`);
      }
      const average = values.size ? sum(values) / values.size : 0;
      const ratio = average / (milli(m.target?.averageValue) ?? 1);
      return { replicas: replicasFor(ratio, currentReplicas, values.size), status: { type: 'Pods', pods: { metric: m.metric, current: { averageValue: fromMilli(average) } } }, name: `pods metric ${name}` };
    }
    case 'Object': {
      const m = spec.object!;
      const name = m.metric?.name ?? '';
      let value: number;
      try {
        value = await source.objectMetric(name, ns, m.describedObject ?? {}, m.metric?.selector ? formatLabelSelector(m.metric.selector) : undefined);
      } catch (e) {
        const msg = `unable to get metric ${name}: ${m.describedObject?.kind ?? ''} on ${ns} ${m.describedObject?.name ?? ''}/${e instanceof Error ? e.message : String(e)}`;
        throw new MetricError('FailedGetObjectMetric', msg, `failed to get object metric value: ${msg}`);
      }
      const perPod = m.target?.type === 'AverageValue';
      const target = milli(perPod ? m.target?.averageValue : m.target?.value) ?? 1;
      const ratio = perPod ? value / (target * Math.max(currentReplicas, 1)) : value / target;
      const current = perPod ? { averageValue: fromMilli(value / Math.max(currentReplicas, 1)) } : { value: fromMilli(value) };
      return { replicas: replicasFor(ratio, currentReplicas), status: { type: 'Object', object: { metric: m.metric, describedObject: m.describedObject, current } as MetricStatusObject['object'] }, name: `${name} metric` };
    }
    case 'External': {
      const m = spec.external!;
      const name = m.metric?.name ?? '';
      let values: number[];
      try {
        values = await source.externalMetric(name, ns, m.metric?.selector ? formatLabelSelector(m.metric.selector) : undefined);
      } catch (e) {
        const msg = `unable to get external metric ${ns}/${name}/${JSON.stringify(m.metric?.selector ?? {})}: ${e instanceof Error ? e.message : String(e)}`;
        throw new MetricError('FailedGetExternalMetric', msg, `failed to get external metric value: ${msg}`);
      }
      const total = values.reduce((a, b) => a + b, 0);
      const perPod = m.target?.type === 'AverageValue';
      const target = milli(perPod ? m.target?.averageValue : m.target?.value) ?? 1;
      const ratio = perPod ? total / (target * Math.max(currentReplicas, 1)) : total / target;
      const current = perPod ? { averageValue: fromMilli(total / Math.max(currentReplicas, 1)) } : { value: fromMilli(total) };
      return { replicas: replicasFor(ratio, currentReplicas), status: { type: 'External', external: { metric: m.metric, current } }, name: `external metric ${name}` };
    }
    default:
      throw new MetricError('InvalidMetricSourceType', `invalid metric source type: ${spec.type ?? ''}`, `unknown metric source type "${spec.type ?? ''}"`);
  }
}
