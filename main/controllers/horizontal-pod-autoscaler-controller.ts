/**
 * The "horizontalpodautoscaling" controller (upstream pkg/controller/podautoscaler, events as
 * "horizontal-pod-autoscaler"), every HPA reconciled on change and every 15 s (--horizontal-pod-autoscaler-sync-period):
 * 1. read the target's scale (Deployment, ReplicaSet, StatefulSet, ReplicationController): AbleToScale
 *    True/SucceededGetScale, or False/FailedGetScale with a FailedGetScale event;
 * 2. replicas outside [minReplicas, maxReplicas] are brought inside at once; a target scaled to 0 disables scaling
 *    (ScalingActive False/ScalingDisabled);
 * 3. otherwise each metric is read from the MetricsSource (replica-calculator.ts). Without metrics APIs every read
 *    fails: a FailedGet*Metric event and ScalingActive False with that reason per failing metric, and when none is
 *    valid a FailedComputeMetricsReplicas event, status.currentMetrics holding an empty entry per metric, and no
 *    scaling; with metrics, the largest proposal goes through stabilization and rate limits (scale-normalizer.ts:
 *    the 5-minute downscale window and the 2×/+4 scale-up limit, or the HPA's `behavior` policies) and min/max;
 * 4. a new size goes to the target's scale subresource (SuccessfulRescale / FailedRescale).
 * Deviation: targets of other kinds (custom resources with a scale subresource) are reported as FailedGetScale.
 */
import type { HPAv2, MetricStatusObject } from '../api/autoscaling/v2/horizontal-pod-autoscaler.js';
import { formatLabelSelector, matchesLabels, parseLabelSelector, type LabelSelectorObject } from '../api/meta/label-selector.js';
import type { KObject } from '../api/meta/object.js';
import { parseQuantity, quantityMilliValue } from '../api/meta/quantity.js';
import { NAMESPACE_INDEX, byNamespace } from '../client/indexers.js';
import {
  DEPLOYMENTS, isConflict, isNotFound, PODS, REPLICASETS, REPLICATIONCONTROLLERS, STATEFULSETS, type ResourceRef,
} from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { errorMessage } from './controller-util.js';
import { noMetricsApis, type MetricsSource } from './horizontal-pod-autoscaler/metrics-source.js';
import { MetricError, replicasForMetric, type MetricResult, type PodRequests } from './horizontal-pod-autoscaler/replica-calculator.js';
import { resyncWhileAny, type Resync } from './resync-while-any.js';
import { ScaleNormalizer } from './horizontal-pod-autoscaler/scale-normalizer.js';

export const HPAS: ResourceRef = { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', namespaced: true };
export const COMPONENT = 'horizontal-pod-autoscaler';
const SYNC_PERIOD_MS = 15_000;

/** Scale targets this controller can read and resize, by "<group>/<Kind>" of scaleTargetRef. */
const SCALE_TARGETS: Record<string, ResourceRef> = {
  'apps/Deployment': DEPLOYMENTS, 'apps/ReplicaSet': REPLICASETS, 'apps/StatefulSet': STATEFULSETS, '/ReplicationController': REPLICATIONCONTROLLERS,
};

interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime?: string }
interface Target extends KObject {
  spec?: { replicas?: number; selector?: LabelSelectorObject | Record<string, string> };
}
interface PodLike extends KObject {
  spec?: { containers?: { name: string; resources?: { requests?: Record<string, string | number> } }[] };
  status?: { phase?: string };
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The factory with a metrics source plugged in (the registered one has none: the cluster serves no metrics APIs). */
export function horizontalPodAutoscalerControllerWith(metrics: MetricsSource): ControllerFactory {
  return {
    name: 'horizontalpodautoscaling',
    create: (ctx) => createController(ctx, metrics),
  };
}

export const horizontalPodAutoscalerController: ControllerFactory = horizontalPodAutoscalerControllerWith(noMetricsApis);

function createController(ctx: ControllerContext, metrics: MetricsSource): Controller {
  const hpas = ctx.informers.informerFor<HPAv2>(HPAS);
  const pods = ctx.informers.informerFor<PodLike>(PODS);
  pods.addIndexer(NAMESPACE_INDEX, byNamespace);
  const recorder = ctx.recorder(COMPONENT);
  const queue = new WorkQueue<string>();
  const enqueue = (h: HPAv2) => queue.add(`${h.metadata.namespace}/${h.metadata.name}`);
  const normalizer = new ScaleNormalizer(ctx.options.horizontalPodAutoscalerDownscaleStabilizationSeconds);
  hpas.addHandler({
    onAdd: enqueue,
    onUpdate: (o, n) => { if (JSON.stringify(o.spec) !== JSON.stringify(n.spec)) enqueue(n); },
    onDelete: (h) => normalizer.forget(`${h.metadata.namespace}/${h.metadata.name}`),
  });

  function podRequests(namespace: string, selector: string): PodRequests {
    const sel = parseLabelSelector(selector);
    const selected = pods.store.byIndex(NAMESPACE_INDEX, namespace).filter((p) => matchesLabels(sel, p.metadata.labels));
    return {
      requests(resource, container) {
        const out = new Map<string, number>();
        for (const p of selected) {
          let total = 0;
          for (const c of p.spec?.containers ?? []) {
            if (container && c.name !== container) continue;
            const q = c.resources?.requests?.[resource];
            const parsed = q === undefined ? undefined : parseQuantity(q);
            if (parsed) total += quantityMilliValue(parsed);
          }
          if (total > 0) out.set(p.metadata.name!, total);
        }
        return out;
      },
    };
  }

  async function sync(key: string): Promise<void> {
    const cached = hpas.store.get(key);
    if (!cached || cached.metadata.deletionTimestamp) return;
    const hpa = structuredClone(cached);
    const original = JSON.stringify(cached.status ?? {});
    const status = (hpa.status ??= {});
    const conditions = ((status.conditions ?? []) as Condition[]).map((c) => ({ ...c }));
    const now = ctx.now();
    const setCondition = (type: string, state: 'True' | 'False', reason: string, message: string) => {
      const existing = conditions.find((c) => c.type === type);
      if (existing) {
        if (existing.status !== state) existing.lastTransitionTime = rfc3339(now);
        Object.assign(existing, { status: state, reason, message });
      } else conditions.push({ type, status: state, lastTransitionTime: rfc3339(now), reason, message });
    };
    const finish = async () => {
      status.conditions = conditions;
      if (JSON.stringify(status) === original) return;
      try {
        await ctx.client.update(HPAS, hpa.metadata.namespace!, hpa, { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e)) queue.add(key);
        else throw e;
      }
    };

    const ns = hpa.metadata.namespace!;
    const targetRef = hpa.spec?.scaleTargetRef ?? {};
    const group = (targetRef.apiVersion ?? '').includes('/') ? targetRef.apiVersion!.split('/')[0]! : '';
    const ref = SCALE_TARGETS[`${group}/${targetRef.kind ?? ''}`];
    let target: Target;
    try {
      if (!ref) throw new Error(`no matches for kind "${targetRef.kind ?? ''}" in group "${group}"`);
      target = await ctx.client.get<Target>(ref, ns, targetRef.name ?? '');
    } catch (e) {
      const msg = errorMessage(e);
      recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
      setCondition('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`);
      return finish();
    }
    setCondition('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = target.spec?.replicas ?? 1;
    const selectorObj = target.spec?.selector;
    const selector = !selectorObj ? '' : 'matchLabels' in selectorObj || 'matchExpressions' in selectorObj
      ? formatLabelSelector(selectorObj as LabelSelectorObject)
      : formatLabelSelector({ matchLabels: selectorObj as Record<string, string> });
    const min = hpa.spec?.minReplicas ?? 1;
    const max = hpa.spec?.maxReplicas ?? min;
    status.currentReplicas = current;
    status.observedGeneration = hpa.metadata.generation;

    let desired = current;
    let rescaleReason = '';
    if (current === 0 && min !== 0) {
      desired = 0;
      setCondition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > max) {
      desired = max;
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      if (!selector) {
        recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
        setCondition('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
        return finish();
      }
      const specs = hpa.spec?.metrics ?? [];
      const statuses: MetricStatusObject[] = [];
      const results: MetricResult[] = [];
      const errors: MetricError[] = [];
      const requests = podRequests(ns, selector);
      for (const m of specs) {
        try {
          const r = await replicasForMetric(hpa, m, current, selector, metrics, requests);
          results.push(r);
          statuses.push(r.status);
        } catch (e) {
          const err = e instanceof MetricError ? e : new MetricError('FailedGetMetric', errorMessage(e), errorMessage(e));
          errors.push(err);
          statuses.push({ type: '' });
          recorder.event(hpa, 'Warning', err.reason, err.message);
          setCondition('ScalingActive', 'False', err.reason, `the HPA was unable to compute the replica count: ${err.message}`);
        }
      }
      status.currentMetrics = statuses;
      if (results.length === 0) {
        const first = errors[0];
        const msg = first
          ? `invalid metrics (${errors.length} invalid out of ${specs.length}), first error is: ${first.wrapped}`
          : 'no metrics to compute replicas from';
        recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', msg);
        status.desiredReplicas ??= 0;
        return finish();
      }
      const best = results.reduce((a, b) => (b.replicas > a.replicas ? b : a));
      if (errors.length === 0) setCondition('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.name}`);
      rescaleReason = best.replicas > current ? `${best.name} above target` : best.replicas < current ? 'All metrics below target' : '';
      const normalized = normalizer.normalize({
        key, current, proposed: best.replicas, min, max, behavior: hpa.spec?.behavior, nowMs: now,
      });
      desired = normalized.desired;
      setCondition('AbleToScale', normalized.ableToScale.status, normalized.ableToScale.reason, normalized.ableToScale.message);
      setCondition('ScalingLimited', normalized.scalingLimited.status, normalized.scalingLimited.reason, normalized.scalingLimited.message);
    }
    status.desiredReplicas = desired;
    if (desired !== current) {
      try {
        await ctx.client.patch(ref, ns, targetRef.name!, 'merge', { spec: { replicas: desired } }, { subresource: 'scale' });
        setCondition('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
        recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
        status.lastScaleTime = rfc3339(now);
        normalizer.recordScale(key, hpa.spec?.behavior, current, desired, now);
      } catch (e) {
        setCondition('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${errorMessage(e)}`);
        recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${rescaleReason}; error: ${errorMessage(e)}`);
      }
    }
    return finish();
  }

  let stopWorkers: (() => Promise<void>) | undefined;
  let resync: Resync | undefined;
  return {
    name: 'horizontalpodautoscaling',
    run() {
      stopWorkers = runWorkers(queue, workersFor(ctx.options, 'horizontalpodautoscaling', 5), sync, {
        onError: (key, err) => ctx.log(`horizontalpodautoscaling: ${key}: ${errorMessage(err)}`),
      });
      resync = resyncWhileAny([hpas], SYNC_PERIOD_MS, () => hpas.store.list().forEach(enqueue));
    },
    async stop() {
      resync?.stop();
      queue.shutdown();
      await stopWorkers?.();
    },
  };
}
