/**
 * The horizontalpodautoscaling controller: without metrics APIs it reports upstream's conditions and events and
 * does not scale, but still enforces minReplicas/maxReplicas on the target's scale; with a metrics source
 * plugged in, it scales on CPU utilization.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../main/api/meta/object.js';
import { DEPLOYMENTS, EVENTS, PODS, type KubeClient } from '../../../main/client/kube-client.js';
import {
  HPAS, horizontalPodAutoscalerController, horizontalPodAutoscalerControllerWith,
} from '../../../main/controllers/horizontal-pod-autoscaler-controller.js';
import { noMetricsApis } from '../../../main/controllers/horizontal-pod-autoscaler/metrics-source.js';
import { startControllerTest, waitFor } from './controller-fixture.js';

const NS = 'default';
const NO_METRICS = 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } },
});
const hpa = (name: string, min: number, max: number) => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  },
});
const replicasOf = async (c: KubeClient, name: string) => (await c.get<KObject & { spec: { replicas: number } }>(DEPLOYMENTS, NS, name)).spec.replicas;
const events = async (c: KubeClient, name: string) =>
  (await c.list<any>(EVENTS, NS)).items.filter((e) => e.involvedObject.name === name && e.source?.component === 'horizontal-pod-autoscaler').map((e) => `${e.type} ${e.reason}: ${e.message}`);

test('no metrics API: AbleToScale True, ScalingActive False/FailedGetResourceMetric, upstream events, no scaling', async () => {
  const t = await startControllerTest([horizontalPodAutoscalerController]);
  try {
    await t.admin.create(DEPLOYMENTS, NS, deployment('web', 2));
    await t.admin.create(HPAS, NS, hpa('web', 1, 5));
    const status = await waitFor('conditions', async () => {
      const s = (await t.admin.get<any>(HPAS, NS, 'web')).status;
      return s?.conditions?.length >= 2 ? s : undefined;
    }, 20_000);
    assert.deepEqual(status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale"],
      ['ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${NO_METRICS}`],
    ]);
    assert.equal(status.currentReplicas, 2);
    assert.equal(status.desiredReplicas, 0);
    assert.deepEqual(status.currentMetrics, [{ type: '' }]);
    const evs = await waitFor('events', async () => { const e = await events(t.admin, 'web'); return e.length >= 2 ? e : undefined; }, 20_000);
    assert.ok(evs.includes(`Warning FailedGetResourceMetric: ${NO_METRICS}`), evs.join('\n'));
    assert.ok(evs.includes(`Warning FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${NO_METRICS}`), evs.join('\n'));
    assert.equal(await replicasOf(t.admin, 'web'), 2);
  } finally {
    await t.stop();
  }
});

test('bounds: replicas below minReplicas or above maxReplicas are brought into range through the scale subresource', async () => {
  const t = await startControllerTest([horizontalPodAutoscalerController]);
  try {
    await t.admin.create(DEPLOYMENTS, NS, deployment('small', 1));
    await t.admin.create(DEPLOYMENTS, NS, deployment('large', 9));
    await t.admin.create(HPAS, NS, hpa('small', 3, 6));
    await t.admin.create(HPAS, NS, hpa('large', 1, 4));
    await waitFor('small scaled up to 3', async () => (await replicasOf(t.admin, 'small')) === 3, 20_000);
    await waitFor('large scaled down to 4', async () => (await replicasOf(t.admin, 'large')) === 4, 20_000);
    const evs = await waitFor('rescale events', async () => { const e = await events(t.admin, 'small'); return e.some((x) => x.includes('SuccessfulRescale')) ? e : undefined; }, 20_000);
    assert.ok(evs.includes('Normal SuccessfulRescale: New size: 3; reason: Current number of replicas below Spec.MinReplicas'), evs.join('\n'));
    assert.ok((await events(t.admin, 'large')).includes('Normal SuccessfulRescale: New size: 4; reason: Current number of replicas above Spec.MaxReplicas'));
    const s = (await t.admin.get<any>(HPAS, NS, 'small')).status;
    assert.equal(s.desiredReplicas, 3);
    assert.ok(s.lastScaleTime);
    assert.equal(s.conditions.find((c: any) => c.type === 'AbleToScale').reason, 'SucceededRescale');
  } finally {
    await t.stop();
  }
});

test('a plugged-in metrics source: 80% CPU utilization of 2 pods against a 50% target scales to 4 and stays there', async () => {
  const usage = new Map<string, number>();
  const t = await startControllerTest([horizontalPodAutoscalerControllerWith({ ...noMetricsApis, resourceMetric: async () => usage })]);
  try {
    await t.admin.create(DEPLOYMENTS, NS, deployment('busy', 2));
    for (const i of [0, 1]) {
      await t.admin.create(PODS, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `busy-${i}`, labels: { app: 'busy' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } });
      usage.set(`busy-${i}`, 80); // 80m of 100m = 80 % against a 50 % target: ratio 1.6 → ceil(3.2) = 4
    }
    await t.admin.create(HPAS, NS, hpa('busy', 1, 10));
    await waitFor('busy scaled to 4', async () => (await replicasOf(t.admin, 'busy')) === 4, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await replicasOf(t.admin, 'busy'), 4);
    const s = (await t.admin.get<any>(HPAS, NS, 'busy')).status;
    assert.deepEqual(s.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '80m' } } }]);
    assert.equal(s.conditions.find((c: any) => c.type === 'ScalingActive').reason, 'ValidMetricFound');
  } finally {
    await t.stop();
  }
});

test('a drop in load is not followed at once: the downscale window keeps the highest recent proposal', async () => {
  const usage = new Map<string, number>();
  const t = await startControllerTest(
    [horizontalPodAutoscalerControllerWith({ ...noMetricsApis, resourceMetric: async () => usage })],
    { horizontalPodAutoscalerDownscaleStabilizationSeconds: 3 },
  );
  // Metrics do not trigger a sync (the 15 s resync does): touching the HPA's spec makes the controller look now.
  const resync = (max: number) => t.admin.patch(HPAS, NS, 'calm', 'merge', { spec: { maxReplicas: max } });
  try {
    await t.admin.create(DEPLOYMENTS, NS, deployment('calm', 4));
    for (const i of [0, 1, 2, 3]) {
      await t.admin.create(PODS, NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `calm-${i}`, labels: { app: 'calm' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } });
      usage.set(`calm-${i}`, 50); // at the 50 % target: proposal 4, as now
    }
    await t.admin.create(HPAS, NS, hpa('calm', 1, 10));
    await waitFor('first sync', async () => (await t.admin.get<any>(HPAS, NS, 'calm')).status?.conditions?.some((c: any) => c.reason === 'ReadyForNewScale'), 20_000);
    for (const i of [0, 1, 2, 3]) usage.set(`calm-${i}`, 10); // 10 % of 50 %: proposal 1
    await resync(11);
    const stabilized = await waitFor('stabilized', async () => {
      const c = (await t.admin.get<any>(HPAS, NS, 'calm')).status?.conditions?.find((x: any) => x.type === 'AbleToScale');
      return c?.reason === 'ScaleDownStabilized' ? c : undefined;
    }, 20_000);
    assert.equal(stabilized.message, 'recent recommendations were higher than current one, applying the highest recent recommendation');
    assert.equal(await replicasOf(t.admin, 'calm'), 4);
    // Once the proposal of 4 is older than the window, the lower one applies.
    await new Promise((r) => setTimeout(r, 3_200));
    await resync(12);
    await waitFor('scaled down to 1', async () => (await replicasOf(t.admin, 'calm')) === 1, 20_000);
    assert.ok((await events(t.admin, 'calm')).includes('Normal SuccessfulRescale: New size: 1; reason: All metrics below target'));
  } finally {
    await t.stop();
  }
});
