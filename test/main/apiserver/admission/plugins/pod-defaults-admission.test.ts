import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../../../main/api/meta/object.js';
import { builtinResources } from '../../../../../main/api/registry.js';
import type { AdmissionOperation, AdmissionRequest } from '../../../../../main/apiserver/admission/admission.js';
import type { ObjectReader } from '../../../../../main/apiserver/admission/object-reader.js';
import {
  DEFAULT_TOLERATION_SECONDS, defaultTolerationSeconds, priorityAdmission, serviceAccountAdmission,
} from '../../../../../main/apiserver/admission/plugins/pod-defaults-admission.js';
import { LOOPBACK_USER } from '../../../../../main/apiserver/authn/user-info.js';
import { ApiError } from '../../../../../main/apiserver/http/api-error.js';

const pods = builtinResources.find((d) => d.group === '' && d.plural === 'pods')!;
const configmaps = builtinResources.find((d) => d.group === '' && d.plural === 'configmaps')!;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = any;
function podReq(spec: Spec, operation: AdmissionOperation = 'CREATE', subresource = ''): AdmissionRequest & { object: KObject & { spec: Spec } } {
  return {
    operation, descriptor: pods, namespace: 'default', name: 'p', subresource, user: LOOPBACK_USER, dryRun: false,
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } },
  } as never;
}

test('ServiceAccount: serviceAccountName defaults to "default" and serviceAccount follows it', async () => {
  const cases: [Spec, string][] = [
    [{}, 'default'],
    [{ serviceAccountName: 'builder' }, 'builder'],
    [{ serviceAccount: 'legacy' }, 'legacy'],
    [{ serviceAccountName: 'new', serviceAccount: 'old' }, 'new'],
  ];
  for (const [spec, want] of cases) {
    const req = podReq(spec);
    await serviceAccountAdmission.mutate!(req);
    assert.equal(req.object.spec.serviceAccountName, want);
    assert.equal(req.object.spec.serviceAccount, want);
  }
});

test('ServiceAccount: only pod creates are touched', async () => {
  for (const req of [podReq({}, 'UPDATE'), podReq({}, 'CREATE', 'binding'),
    { ...podReq({}), descriptor: configmaps }]) {
    await serviceAccountAdmission.mutate!(req);
    assert.equal(req.object.spec.serviceAccountName, undefined);
  }
});

const notReady = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const unreachable = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

test('DefaultTolerationSeconds adds the two 300s NoExecute tolerations unless already tolerated', async () => {
  assert.equal(DEFAULT_TOLERATION_SECONDS, 300);
  const own = { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' };
  const cases: [string, Spec[] | undefined, Spec[]][] = [
    ['none', undefined, [notReady, unreachable]],
    ['unrelated kept first', [own], [own, notReady, unreachable]],
    ['not-ready present (any effect)', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }],
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }, unreachable]],
    ['unreachable with own seconds', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }, notReady]],
    ['NoSchedule only does not cover', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, notReady, unreachable]],
    ['tolerate everything', [{ operator: 'Exists' }], [{ operator: 'Exists' }]],
    ['tolerate every NoExecute', [{ operator: 'Exists', effect: 'NoExecute' }], [{ operator: 'Exists', effect: 'NoExecute' }]],
  ];
  for (const [name, tolerations, want] of cases) {
    const req = podReq(tolerations ? { tolerations } : {});
    await defaultTolerationSeconds.mutate!(req);
    assert.deepEqual(req.object.spec.tolerations, want, name);
  }
  const upd = podReq({}, 'UPDATE');
  await defaultTolerationSeconds.mutate!(upd);
  assert.equal(upd.object.spec.tolerations, undefined);
});

function readerWith(classes: { name: string; value: number; globalDefault?: boolean; preemptionPolicy?: string }[]): ObjectReader {
  const objs = classes.map((c) => ({
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: c.name }, value: c.value,
    globalDefault: c.globalDefault, preemptionPolicy: c.preemptionPolicy ?? 'PreemptLowerPriority',
  }) as unknown as KObject);
  return {
    async get(group, plural, _ns, name) {
      assert.equal(`${group}/${plural}`, 'scheduling.k8s.io/priorityclasses');
      return objs.find((o) => o.metadata.name === name);
    },
    async list(group, plural) {
      assert.equal(`${group}/${plural}`, 'scheduling.k8s.io/priorityclasses');
      return objs;
    },
  };
}

async function forbiddenMessage(p: Promise<void> | void): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 403);
    assert.equal(err.reason, 'Forbidden');
    return err.message;
  }
  return 'no error';
}

test('Priority: from the named class, including its preemption policy', async () => {
  const plugin = priorityAdmission(readerWith([
    { name: 'high', value: 1000 }, { name: 'batch', value: 10, preemptionPolicy: 'Never' },
    { name: 'system-node-critical', value: 2000001000 },
  ]));
  const cases: [string, number, string][] = [['high', 1000, 'PreemptLowerPriority'], ['batch', 10, 'Never'], ['system-node-critical', 2000001000, 'PreemptLowerPriority']];
  for (const [cls, value, policy] of cases) {
    const req = podReq({ priorityClassName: cls });
    await plugin.mutate!(req);
    assert.equal(req.object.spec.priority, value);
    assert.equal(req.object.spec.preemptionPolicy, policy);
    assert.equal(req.object.spec.priorityClassName, cls);
  }
});

test('Priority: the global default class (lowest value when several), else 0', async () => {
  const withDefault = priorityAdmission(readerWith([
    { name: 'high', value: 1000 }, { name: 'def-b', value: 50, globalDefault: true }, { name: 'def-a', value: 20, globalDefault: true, preemptionPolicy: 'Never' },
  ]));
  const req = podReq({});
  await withDefault.mutate!(req);
  assert.equal(req.object.spec.priorityClassName, 'def-a');
  assert.equal(req.object.spec.priority, 20);
  assert.equal(req.object.spec.preemptionPolicy, 'Never');

  const none = priorityAdmission(readerWith([{ name: 'high', value: 1000 }]));
  const plain = podReq({});
  await none.mutate!(plain);
  assert.equal(plain.object.spec.priorityClassName, undefined);
  assert.equal(plain.object.spec.priority, 0);
  assert.equal(plain.object.spec.preemptionPolicy, 'PreemptLowerPriority');
});

test('Priority: unknown class and conflicting explicit values are Forbidden with upstream\'s messages', async () => {
  const plugin = priorityAdmission(readerWith([{ name: 'high', value: 1000 }, { name: 'batch', value: 10, preemptionPolicy: 'Never' }]));
  assert.equal(await forbiddenMessage(plugin.mutate!(podReq({ priorityClassName: 'missing' }))),
    'pods "p" is forbidden: no PriorityClass with name missing was found');
  assert.equal(await forbiddenMessage(plugin.mutate!(podReq({ priorityClassName: 'high', priority: 5 }))),
    'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name');
  assert.equal(await forbiddenMessage(plugin.mutate!(podReq({ priority: 7 }))),
    'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name');
  assert.equal(await forbiddenMessage(plugin.mutate!(podReq({ priorityClassName: 'batch', preemptionPolicy: 'PreemptLowerPriority' }))),
    'pods "p" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name');
  // The computed values themselves are accepted (a re-submitted pod).
  const same = podReq({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
  assert.equal(await forbiddenMessage(plugin.mutate!(same)), 'no error');
  // Not a pod create: untouched.
  const upd = podReq({ priorityClassName: 'missing' }, 'UPDATE');
  assert.equal(await forbiddenMessage(plugin.mutate!(upd)), 'no error');
  assert.equal(upd.object.spec.priority, undefined);
});
