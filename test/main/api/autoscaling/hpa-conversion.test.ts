import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hpaV1ToV2, hpaV2ToV1, METRICS_ANNOTATION } from '../../../../main/api/autoscaling/hpa-conversion.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

test('v1 targetCPUUtilizationPercentage becomes a v2 cpu Utilization metric and back', () => {
  const v2 = hpaV1ToV2({ metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 70 } });
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  const v1 = hpaV2ToV1(v2);
  assert.equal(v1.spec?.targetCPUUtilizationPercentage, 70);
  assert.equal(v1.metadata.annotations, undefined);
});

test('a v1 HPA without a target gets the 80% CPU default in storage', () => {
  const v2 = hpaV1ToV2({ metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
  assert.deepEqual(v2.spec?.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
});

test('other v2 metrics and status survive a v1 round trip through annotations', () => {
  const stored = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', annotations: { team: 'a' } },
    spec: {
      scaleTargetRef: ref,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
    },
    status: {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55 } } }],
      conditions: [{ type: 'AbleToScale', status: 'True' }],
    },
  };
  const v1 = hpaV2ToV1(stored);
  assert.equal(v1.spec?.targetCPUUtilizationPercentage, 60);
  assert.equal(v1.status?.currentCPUUtilizationPercentage, 55);
  assert.deepEqual(JSON.parse(v1.metadata.annotations![METRICS_ANNOTATION]!), [stored.spec.metrics[1]]);
  const back = hpaV1ToV2(v1);
  assert.deepEqual(back.metadata.annotations, { team: 'a' });
  assert.deepEqual(back.spec?.metrics, [stored.spec.metrics[1], stored.spec.metrics[0]]);
  assert.deepEqual(back.status?.currentMetrics, stored.status.currentMetrics);
  assert.deepEqual(back.status?.conditions, stored.status.conditions);
});
