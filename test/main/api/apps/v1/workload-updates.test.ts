/** Update rules of the workload kinds: immutable fields, StatefulSet spec lock, DaemonSet template generation, scale access. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { daemonsets } from '../../../../../main/api/apps/v1/daemon-set.js';
import { deployments } from '../../../../../main/api/apps/v1/deployment.js';
import { statefulsets } from '../../../../../main/api/apps/v1/stateful-set.js';
import { jobs } from '../../../../../main/api/batch/v1/job.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import { cloneJson, type KObject } from '../../../../../main/api/meta/object.js';
import type { ResourceDescriptor } from '../../../../../main/api/resource.js';

const tpl = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...extra },
});

function create(d: ResourceDescriptor, o: KObject): KObject {
  const obj = cloneJson(o);
  d.defaults?.(obj);
  d.strategy?.prepareForCreate?.(obj);
  return obj;
}

function update(d: ResourceDescriptor, old: KObject, mutate: (o: KObject & { spec: Record<string, unknown> }) => void): { obj: KObject; errors: string[] } {
  const obj = cloneJson(old) as KObject & { spec: Record<string, unknown> };
  mutate(obj);
  d.defaults?.(obj);
  d.strategy?.prepareForUpdate?.(obj, old);
  return { obj, errors: (d.strategy?.validateUpdate?.(obj, old) ?? []).map(errorLine) };
}

test('Deployment selector is immutable in apps/v1', () => {
  const old = create(deployments, {
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: tpl({ app: 'web', v: '2' }) },
  });
  const { errors } = update(deployments, old, (o) => {
    o.spec.selector = { matchLabels: { app: 'web', v: '2' } };
  });
  assert.deepEqual(errors, [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  assert.deepEqual(update(deployments, old, (o) => { o.spec.replicas = 5; }).errors, []);
});

test('StatefulSet forbids changes outside the updatable fields', () => {
  const old = create(statefulsets, {
    metadata: { name: 'db', namespace: 'default' },
    spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: tpl({ app: 'db' }) },
  });
  assert.deepEqual(update(statefulsets, old, (o) => { o.spec.replicas = 4; o.spec.minReadySeconds = 5; }).errors, []);
  assert.deepEqual(update(statefulsets, old, (o) => { o.spec.serviceName = 'other'; }).errors, [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  assert.ok((statefulsets.nameRule?.('db.v1') ?? []).length > 0, 'StatefulSet names are DNS labels');
});

test('DaemonSet template generation annotation starts at 1 and follows template changes', () => {
  const old = create(daemonsets, {
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: tpl({ app: 'agent' }) },
  });
  assert.equal(old.metadata.annotations?.['deprecated.daemonset.template.generation'], '1');
  const same = update(daemonsets, old, (o) => { o.spec.minReadySeconds = 3; });
  assert.equal(same.obj.metadata.annotations?.['deprecated.daemonset.template.generation'], '1');
  const changed = update(daemonsets, old, (o) => { (o.spec.template as ReturnType<typeof tpl>).spec.containers[0]!.image = 'nginx:1.26'; });
  assert.equal(changed.obj.metadata.annotations?.['deprecated.daemonset.template.generation'], '2');
  assert.deepEqual(changed.errors, []);
});

test('Job: generated selector on create, template immutable on update', () => {
  const old = create(jobs, {
    metadata: { name: 'pi', namespace: 'default', uid: 'u-1' },
    spec: { template: tpl({}, { restartPolicy: 'Never' }) },
  }) as KObject & { spec: { selector: unknown; template: { metadata: { labels: Record<string, string> } } } };
  assert.deepEqual(old.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  assert.deepEqual(old.spec.template.metadata.labels, {
    'job-name': 'pi',
    'batch.kubernetes.io/job-name': 'pi',
    'controller-uid': 'u-1',
    'batch.kubernetes.io/controller-uid': 'u-1',
  });
  assert.deepEqual((jobs.strategy?.validate?.(old) ?? []).map(errorLine), []);
  const { errors } = update(jobs, old, (o) => {
    (o.spec.template as ReturnType<typeof tpl>).spec.containers[0]!.image = 'perl:5.36';
  });
  assert.deepEqual(errors, ['spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable']);
  assert.deepEqual(update(jobs, old, (o) => { o.spec.suspend = true; }).errors, []);
});

test('scale subresource reads replicas and renders the selector', () => {
  const d = create(deployments, {
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, template: tpl({ app: 'web', tier: 'a' }) },
  });
  const scale = deployments.subresources!.scale!;
  assert.equal(scale.specReplicas(d), 2);
  scale.setSpecReplicas(d, 7);
  assert.equal(scale.specReplicas(d), 7);
  assert.equal(scale.statusReplicas(d), 0);
  assert.equal(scale.selector(d), 'app=web,tier in (a,b)');
});

test('workload names that are not DNS labels draw a warning on create only', () => {
  const obj = { metadata: { name: 'web.v1', namespace: 'default' }, spec: {} } as KObject;
  const warnings = deployments.strategy?.warnings?.(obj) ?? [];
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^metadata\.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: \[/);
  assert.deepEqual(deployments.strategy?.warnings?.(obj, obj), []);
});
