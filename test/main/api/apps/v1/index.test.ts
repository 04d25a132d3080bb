/**
 * Discovery facts of the apps/v1, batch/v1, autoscaling and policy/v1 descriptors (their golden fixtures run in
 * test/main/api/registry.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appsV1Resources } from '../../../../../main/api/apps/v1/index.js';
import { autoscalingResources } from '../../../../../main/api/autoscaling/index.js';
import { batchV1Resources } from '../../../../../main/api/batch/v1/index.js';
import { policyV1Resources } from '../../../../../main/api/policy/v1/index.js';

const all = [...appsV1Resources, ...batchV1Resources, ...autoscalingResources, ...policyV1Resources];

test('discovery facts: short names, categories, scale subresources, HPA version order', () => {
  const by = (plural: string, version = 'v1') => all.find((r) => r.plural === plural && r.version === version)!;
  assert.deepEqual(by('deployments').shortNames, ['deploy']);
  assert.deepEqual(by('replicasets').shortNames, ['rs']);
  assert.deepEqual(by('statefulsets').shortNames, ['sts']);
  assert.deepEqual(by('daemonsets').shortNames, ['ds']);
  assert.deepEqual(by('cronjobs').shortNames, ['cj']);
  assert.deepEqual(by('horizontalpodautoscalers', 'v2').shortNames, ['hpa']);
  assert.deepEqual(by('poddisruptionbudgets').shortNames, ['pdb']);
  for (const p of ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs']) assert.deepEqual(by(p).categories, ['all']);
  assert.equal(by('controllerrevisions').categories, undefined);
  for (const p of ['deployments', 'replicasets', 'statefulsets']) assert.ok(by(p).subresources?.scale, p);
  assert.equal(by('daemonsets').subresources?.scale, undefined);
  assert.deepEqual(autoscalingResources.map((r) => r.version), ['v2', 'v1']);
  assert.equal(by('horizontalpodautoscalers', 'v1').storage?.resource, 'autoscaling/horizontalpodautoscalers');
  assert.deepEqual(by('jobs').fieldSelectors && Object.keys(by('jobs').fieldSelectors!), ['status.successful']);
});
