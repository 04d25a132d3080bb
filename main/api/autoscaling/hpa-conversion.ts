/**
 * Conversion between autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers (v2 is stored).
 *
 * v1 only has targetCPUUtilizationPercentage; it maps to a v2 Resource metric (cpu, Utilization). Whatever
 * else a v2 object carries (other metrics, current metrics, conditions, behavior) travels through v1 in the
 * JSON annotations upstream uses, so a v1 read-modify-write round trip loses nothing.
 */
import { cloneJson, type KObject } from '../meta/object.js';
import { DEFAULT_CPU_UTILIZATION, type HPAv2, type MetricSpecObject, type MetricStatusObject } from './v2/horizontal-pod-autoscaler.js';

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

export interface HPAv1 extends KObject {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string; apiVersion?: string };
    minReplicas?: number;
    maxReplicas?: number;
    targetCPUUtilizationPercentage?: number;
  };
  status?: {
    observedGeneration?: number;
    lastScaleTime?: string;
    currentReplicas?: number;
    desiredReplicas?: number;
    currentCPUUtilizationPercentage?: number;
  };
}

const isCpuUtilization = (m: MetricSpecObject): boolean =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.averageUtilization !== undefined;

function takeAnnotation<T>(annotations: Record<string, string>, key: string): T | undefined {
  const raw = annotations[key];
  if (raw === undefined) return undefined;
  delete annotations[key];
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

/** v1 → v2 (the stored shape). */
export function hpaV1ToV2(v1: HPAv1): HPAv2 {
  const src = cloneJson(v1);
  const annotations = { ...(src.metadata.annotations ?? {}) };
  const others = takeAnnotation<MetricSpecObject[]>(annotations, METRICS_ANNOTATION) ?? [];
  const currentMetrics = takeAnnotation<MetricStatusObject[]>(annotations, CURRENT_METRICS_ANNOTATION);
  const conditions = takeAnnotation<unknown[]>(annotations, CONDITIONS_ANNOTATION);
  const behavior = takeAnnotation<NonNullable<HPAv2['spec']>['behavior']>(annotations, BEHAVIOR_ANNOTATION);
  const metadata = { ...src.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;

  const spec = src.spec ?? {};
  const metrics: MetricSpecObject[] = [...others];
  if (spec.targetCPUUtilizationPercentage !== undefined)
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  if (metrics.length === 0)
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });

  const out: HPAv2 = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: {} };
  const outSpec = out.spec!;
  if (spec.scaleTargetRef) outSpec.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) outSpec.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) outSpec.maxReplicas = spec.maxReplicas;
  outSpec.metrics = metrics;
  if (behavior) outSpec.behavior = behavior;

  if (src.status) {
    const s = src.status;
    const status: NonNullable<HPAv2['status']> = {};
    if (s.observedGeneration !== undefined) status.observedGeneration = s.observedGeneration;
    if (s.lastScaleTime !== undefined) status.lastScaleTime = s.lastScaleTime;
    if (s.currentReplicas !== undefined) status.currentReplicas = s.currentReplicas;
    if (s.desiredReplicas !== undefined) status.desiredReplicas = s.desiredReplicas;
    if (currentMetrics) status.currentMetrics = currentMetrics;
    else if (s.currentCPUUtilizationPercentage !== undefined)
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }];
    if (conditions) status.conditions = conditions;
    out.status = status;
  }
  return out;
}

/** v2 (stored) → v1. */
export function hpaV2ToV1(v2: KObject): HPAv1 {
  const src = cloneJson(v2) as HPAv2;
  const annotations: Record<string, string> = { ...(src.metadata.annotations ?? {}) };
  const spec = src.spec ?? {};
  const metrics = spec.metrics ?? [];
  const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const others = metrics.filter((m) => !isCpuUtilization(m));
  if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  if (spec.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  const status = src.status;
  if (status?.currentMetrics?.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(status.currentMetrics);
  if (status?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  const metadata = { ...src.metadata };
  if (Object.keys(annotations).length) metadata.annotations = annotations;

  const out: HPAv1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: {} };
  const outSpec = out.spec!;
  if (spec.scaleTargetRef) outSpec.scaleTargetRef = spec.scaleTargetRef;
  if (spec.minReplicas !== undefined) outSpec.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) outSpec.maxReplicas = spec.maxReplicas;
  const util = cpu?.resource?.target?.averageUtilization;
  if (util !== undefined) outSpec.targetCPUUtilizationPercentage = util;

  if (status) {
    const s: NonNullable<HPAv1['status']> = {};
    if (status.observedGeneration !== undefined) s.observedGeneration = status.observedGeneration;
    if (status.lastScaleTime !== undefined) s.lastScaleTime = status.lastScaleTime;
    s.currentReplicas = status.currentReplicas ?? 0;
    s.desiredReplicas = status.desiredReplicas ?? 0;
    const cur = status.currentMetrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    if (cur?.resource?.current?.averageUtilization !== undefined) s.currentCPUUtilizationPercentage = cur.resource.current.averageUtilization;
    out.status = s;
  }
  return out;
}
