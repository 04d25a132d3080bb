/** Integrity of the layout tables themselves. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageForKind, unresolvedLayoutReferences } from '../../../../main/api/protobuf/index.js';
import { allLayouts, defineMessages, getLayout } from '../../../../main/api/protobuf/layout.js';

test('every referenced message type has a layout or a dedicated converter', () => {
  assert.deepEqual(unresolvedLayoutReferences(), []);
});

test('JSON names are unique within a message and inline fields are messages', () => {
  for (const layout of allLayouts()) {
    const names = new Set<string>();
    for (const field of layout.fields.values()) {
      if (field.inline) {
        assert.ok('message' in field.type && !field.pointer && !field.repeated, `${layout.name}.${field.json}`);
        continue;
      }
      assert.ok(!names.has(field.json), `${layout.name} has two fields named ${field.json}`);
      names.add(field.json);
    }
  }
});

test('every kind the brief requires resolves to a top-level message', () => {
  const kinds: Array<[string, string]> = [
    ['apps/v1', 'Deployment'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'Namespace'],
    ['batch/v1', 'Job'], ['batch/v1', 'CronJob'], ['v1', 'ServiceAccount'], ['rbac.authorization.k8s.io/v1', 'Role'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'], ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'], ['networking.k8s.io/v1', 'Ingress'], ['v1', 'ResourceQuota'],
    ['policy/v1', 'PodDisruptionBudget'], ['scheduling.k8s.io/v1', 'PriorityClass'], ['authentication.k8s.io/v1', 'TokenRequest'],
    ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'], ['authorization.k8s.io/v1', 'SelfSubjectRulesReview'],
    ['authentication.k8s.io/v1', 'SelfSubjectReview'], ['autoscaling/v1', 'HorizontalPodAutoscaler'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['v1', 'Pod'], ['apps/v1', 'ReplicaSet'], ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'], ['policy/v1', 'Eviction'], ['v1', 'Binding'], ['autoscaling/v1', 'Scale'],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest'], ['v1', 'Event'], ['v1', 'DeleteOptions'],
  ];
  for (const [apiVersion, kind] of kinds) {
    const name = messageForKind(apiVersion, kind);
    assert.ok(name && getLayout(name), `${apiVersion} ${kind}`);
  }
  assert.equal(messageForKind('apps/v1', 'Pod'), undefined);
  assert.equal(messageForKind('v1', 'Container'), undefined);
});

test('the DSL rejects malformed specs and duplicate definitions', () => {
  assert.throws(() => defineMessages('k8s.io.test.dsl', { Bad: { 1: 'onlyname' } }), /bad field spec/);
  assert.throws(() => defineMessages('k8s.io.test.dsl2', { Bad: { 1: 'x nope.Type' } }), /unknown package alias 'nope'/);
  defineMessages('k8s.io.test.dsl3', { Ok: { 1: 'a *int32', 2: 'b []string', 3: 'c map[string][]byte', 4: 'd inline Ok', 5: 'e []byte' } });
  const ok = getLayout('k8s.io.test.dsl3.Ok')!;
  assert.deepEqual(
    [...ok.fields.values()].map((f) => [f.json, f.pointer, f.repeated, f.map, f.inline, 'scalar' in f.type ? f.type.scalar : f.type.message]),
    [
      ['a', true, false, false, false, 'int32'], ['b', false, true, false, false, 'string'],
      ['c', false, false, true, false, 'bytes'], ['d', false, false, false, true, 'k8s.io.test.dsl3.Ok'],
      ['e', false, false, false, false, 'bytes'],
    ],
  );
  assert.throws(() => defineMessages('k8s.io.test.dsl3', { Ok: { 1: 'a string' } }), /defined twice/);
});
