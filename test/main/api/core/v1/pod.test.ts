import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPullPolicy } from '../../../../../main/api/core/v1/pod-defaults.js';
import { computePodQOS } from '../../../../../main/api/core/v1/pod-qos.js';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../../../../../main/api/core/v1/pod-template.js';
import type { Pod, PodTemplateSpec as PodTemplateSpecT } from '../../../../../main/api/core/v1/pod-types.js';
import { POD_UPDATE_FORBIDDEN } from '../../../../../main/api/core/v1/pod-update.js';
import { pods } from '../../../../../main/api/core/v1/pod.js';
import { replicationcontrollers } from '../../../../../main/api/core/v1/replication-controller.js';
import { FieldPath, errorLine } from '../../../../../main/api/meta/field-errors.js';
import { cloneJson, type KObject } from '../../../../../main/api/meta/object.js';

function created(spec: Pod['spec']): Pod {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec } as Pod;
  pods.defaults!(pod as KObject);
  pods.strategy!.prepareForCreate!(pod as KObject);
  return pod;
}

test('image pull policy follows the tag', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.25'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('localhost:5000/app'), 'Always');
  assert.equal(defaultPullPolicy('app@sha256:abc'), 'IfNotPresent');
});

test('QoS classes', () => {
  assert.equal(computePodQOS({ containers: [{ name: 'a' }] }), 'BestEffort');
  assert.equal(computePodQOS({ containers: [{ name: 'a', resources: { requests: { memory: '1Gi' } } }] }), 'Burstable');
  const both = { cpu: '1', memory: '1Gi' };
  assert.equal(computePodQOS({ containers: [{ name: 'a', resources: { requests: { cpu: '1000m', memory: '1Gi' }, limits: both } }] }), 'Guaranteed');
  assert.equal(computePodQOS({ containers: [{ name: 'a', resources: { limits: { cpu: '1' } } }] }), 'Burstable');
});

test('pod updates may only change images and a few other fields', () => {
  const old = created({ containers: [{ name: 'a', image: 'nginx:1.24' }] });
  const imageOnly = cloneJson(old);
  imageOnly.spec.containers[0]!.image = 'nginx:1.25';
  imageOnly.metadata.labels = { x: 'y' };
  assert.deepEqual(pods.strategy!.validateUpdate!(imageOnly as KObject, old as KObject), []);

  const moved = cloneJson(old);
  moved.spec.nodeName = 'node-2';
  const errs = pods.strategy!.validateUpdate!(moved as KObject, old as KObject);
  assert.equal(errs.length, 1);
  assert.ok(errorLine(errs[0]!).startsWith(`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`));

  const longer = cloneJson(old);
  longer.spec.activeDeadlineSeconds = 10;
  assert.deepEqual(pods.strategy!.validateUpdate!(longer as KObject, old as KObject), []);
  const extended = cloneJson(longer);
  extended.spec.activeDeadlineSeconds = 20;
  assert.deepEqual(pods.strategy!.validateUpdate!(extended as KObject, longer as KObject).map(errorLine), [
    'spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value',
  ]);

  const tolerated = cloneJson(old);
  tolerated.spec.tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }];
  assert.deepEqual(pods.strategy!.validateUpdate!(tolerated as KObject, old as KObject), []);
});

test('templates get pod-spec defaults but not the pod-only ones, and validate under their path', () => {
  const t: PodTemplateSpecT = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: '1' } } }] } };
  defaultPodTemplateSpec(t);
  assert.equal(t.spec!.containers[0]!.imagePullPolicy, 'Always');
  assert.equal((t.spec! as Record<string, unknown>)['enableServiceLinks'], undefined);
  assert.equal((t.spec!.containers[0]!.resources as Record<string, unknown>)['requests'], undefined);
  assert.deepEqual(validatePodTemplateSpec(t, FieldPath.root('spec').child('template')), []);
  const bad = cloneJson(t);
  bad.spec!.containers[0]!.image = '';
  assert.deepEqual(validatePodTemplateSpec(bad, FieldPath.root('spec').child('template')).map(errorLine), [
    'spec.template.spec.containers[0].image: Required value',
  ]);
});

test('replication controller scale access', () => {
  const scale = replicationcontrollers.subresources!.scale!;
  const rc = { metadata: { name: 'r' }, spec: { replicas: 2, selector: { b: '2', a: '1' } }, status: { replicas: 1 } } as KObject;
  assert.equal(scale.specReplicas(rc), 2);
  assert.equal(scale.statusReplicas(rc), 1);
  assert.equal(scale.selector(rc), 'a=1,b=2');
  scale.setSpecReplicas(rc, 5);
  assert.equal(scale.specReplicas(rc), 5);
});

test('pod field selectors', () => {
  const pod = created({ containers: [{ name: 'a', image: 'x' }], nodeName: 'n1' });
  const f = pods.fieldSelectors!;
  assert.equal(f['spec.nodeName']!(pod as KObject), 'n1');
  assert.equal(f['spec.hostNetwork']!(pod as KObject), 'false');
  assert.equal(f['status.phase']!(pod as KObject), 'Pending');
  assert.equal(f['spec.schedulerName']!(pod as KObject), 'default-scheduler');
});
