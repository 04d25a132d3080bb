/**
 * ResourceQuota admission: exceeded, must-specify and status-unknown rejections worded as upstream, charges of
 * admitted requests, update deltas, scopes, dry runs, and serialised checks of concurrent creates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceQuota } from '../../../../../main/api/core/v1/resource-quota.js';
import type { KObject } from '../../../../../main/api/meta/object.js';
import { addQuantities, formatQuantity, parseQuantity, type Quantity } from '../../../../../main/api/meta/quantity.js';
import { builtinResources } from '../../../../../main/api/registry.js';
import type { AdmissionRequest } from '../../../../../main/apiserver/admission/admission.js';
import type { ObjectReader } from '../../../../../main/apiserver/admission/object-reader.js';
import { resourceQuotaAdmission } from '../../../../../main/apiserver/admission/plugins/resource-quota-admission.js';
import { LOOPBACK_USER } from '../../../../../main/apiserver/authn/user-info.js';
import { ApiError } from '../../../../../main/apiserver/http/api-error.js';

const find = (group: string, plural: string) => builtinResources.find((d) => d.group === group && d.plural === plural && d.version !== 'v1beta1')!;

const quota = (name: string, hard: Record<string, string>, used: Record<string, string> | undefined, spec: Partial<NonNullable<ResourceQuota['spec']>> = {}): ResourceQuota => ({
  apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'ns' },
  spec: { hard, ...spec }, status: { hard, ...(used ? { used } : {}) },
});
const pod = (name: string, containers: { name: string; requests?: Record<string, string>; limits?: Record<string, string> }[], extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: containers.map((c) => ({ name: c.name, image: 'nginx', resources: { ...(c.requests ? { requests: c.requests } : {}), ...(c.limits ? { limits: c.limits } : {}) } })), ...extra },
});

/** A plugin over `quotas` that applies its charges to them, as the stored quotas would change. */
function setup(quotas: ResourceQuota[]) {
  const charges: string[] = [];
  const stale = structuredClone(quotas);
  const reader: ObjectReader = {
    async get(group, plural, _ns, name) {
      if (group === '' && plural === 'configmaps') return name === 'taken' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } } : undefined;
      const q = group === '' && plural === 'resourcequotas' ? quotas.find((x) => x.metadata.name === name) : undefined;
      return q && structuredClone(q);
    },
    // A stale list, as a watch-fed cache may be: the plugin must read each quota again.
    async list(group, plural) { return group === '' && plural === 'resourcequotas' ? stale : []; },
  };
  const plugin = resourceQuotaAdmission(reader, async (_ns, name, delta: Record<string, Quantity>) => {
    charges.push(`${name}: ${Object.entries(delta).map(([r, q]) => `${r}+${formatQuantity(q)}`).join(' ')}`);
    const q = quotas.find((x) => x.metadata.name === name)!;
    for (const [r, d] of Object.entries(delta)) q.status!.used![r] = formatQuantity(addQuantities(parseQuantity(q.status!.used![r] ?? 0)!, d));
  });
  const admit = (object: KObject, opts: { plural?: string; group?: string; operation?: 'CREATE' | 'UPDATE'; oldObject?: KObject; dryRun?: boolean } = {}) => {
    const req: AdmissionRequest = {
      operation: opts.operation ?? 'CREATE', descriptor: find(opts.group ?? '', opts.plural ?? 'pods'), namespace: 'ns',
      name: object.metadata.name ?? '', subresource: '', object, oldObject: opts.oldObject, user: LOOPBACK_USER, dryRun: !!opts.dryRun,
    };
    return plugin.validate!(req);
  };
  return { admit, charges };
}

async function rejects(p: Promise<void> | void, message: string): Promise<void> {
  await assert.rejects(Promise.resolve(p), (e: unknown) => e instanceof ApiError && e.code === 403 && e.reason === 'Forbidden' && e.message === message);
}

test('a create past a hard limit is Forbidden with requested, used and limited; within it, it is charged', async () => {
  const quotas = [quota('pod-quota', { pods: '2', 'count/configmaps': '5' }, { pods: '1', 'count/configmaps': '0' })];
  const { admit, charges } = setup(quotas);
  await admit(pod('a', [{ name: 'c' }]));
  assert.deepEqual(charges, ['pod-quota: pods+1']);
  await rejects(admit(pod('b', [{ name: 'c' }])), 'pods "b" is forbidden: exceeded quota: pod-quota, requested: pods=1, used: pods=2, limited: pods=2');
  // Other kinds are measured by their own resources only.
  await admit({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { plural: 'configmaps' });
  assert.deepEqual(charges, ['pod-quota: pods+1', 'pod-quota: count/configmaps+1']);
});

test('several exceeded resources are listed in order; compute is summed per pod', async () => {
  const { admit } = setup([quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi', pods: '10' }, { 'requests.cpu': '800m', 'limits.memory': '900Mi', pods: '3' })]);
  await rejects(
    admit(pod('big', [{ name: 'a', requests: { cpu: '100m' }, limits: { memory: '100Mi' } }, { name: 'b', requests: { cpu: '200m' }, limits: { memory: '100Mi' } }])),
    'pods "big" is forbidden: exceeded quota: compute, requested: limits.memory=200Mi,requests.cpu=300m, used: limits.memory=900Mi,requests.cpu=800m, limited: limits.memory=1Gi,requests.cpu=1',
  );
});

test('a quota on cpu or memory needs every container to state it', async () => {
  const { admit, charges } = setup([quota('compute', { 'limits.cpu': '4', 'requests.memory': '4Gi' }, { 'limits.cpu': '0', 'requests.memory': '0' })]);
  await rejects(
    admit(pod('p', [{ name: 'app', requests: { memory: '64Mi' } }, { name: 'sidecar' }], { initContainers: [{ name: 'init', image: 'busybox', resources: { limits: { cpu: '1' } } }] })),
    'pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: app,sidecar; requests.memory for: init,sidecar',
  );
  await admit(pod('q', [{ name: 'app', requests: { memory: '64Mi' }, limits: { cpu: '500m' } }]));
  assert.deepEqual(charges, ['compute: limits.cpu+500m requests.memory+64Mi']);
});

test('a quota the controller has not counted yet answers status unknown; an unsynced one (no status.hard) constrains nothing', async () => {
  await rejects(setup([quota('fresh', { pods: '1' }, undefined)]).admit(pod('a', [{ name: 'c' }])),
    'pods "a" is forbidden: status unknown for quota: fresh, resources: pods');
  const unsynced: ResourceQuota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'new', namespace: 'ns' }, spec: { hard: { pods: '0' } } };
  await setup([unsynced]).admit(pod('a', [{ name: 'c' }]));
});

test('scopes: a BestEffort quota ignores pods with requests, and non-pod kinds', async () => {
  const { admit, charges } = setup([quota('be', { pods: '0', 'count/configmaps': '0' }, { pods: '0', 'count/configmaps': '0' }, { scopes: ['BestEffort'] })]);
  await admit(pod('burstable', [{ name: 'c', requests: { cpu: '100m' } }]));
  await admit({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { plural: 'configmaps' });
  assert.deepEqual(charges, []);
  await rejects(admit(pod('besteffort', [{ name: 'c' }])), 'pods "besteffort" is forbidden: exceeded quota: be, requested: pods=1, used: pods=0, limited: pods=0');
});

test('an update is charged only for what it adds; a dry run is checked but not charged', async () => {
  const quotas = [quota('svc', { 'services.nodeports': '1', services: '5' }, { 'services.nodeports': '0', services: '1' })];
  const { admit, charges } = setup(quotas);
  const clusterIP = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', resourceVersion: '5' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } } as KObject;
  const nodePort = { ...clusterIP, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] } } as KObject;
  await admit(nodePort, { plural: 'services', operation: 'UPDATE', oldObject: clusterIP, dryRun: true });
  assert.deepEqual(charges, []);
  await admit(nodePort, { plural: 'services', operation: 'UPDATE', oldObject: clusterIP });
  assert.deepEqual(charges, ['svc: services.nodeports+1']);
  // Unchanged usage: nothing to check or charge.
  await admit(nodePort, { plural: 'services', operation: 'UPDATE', oldObject: nodePort });
  assert.equal(charges.length, 1);
});

test('concurrent creates are checked one after another: exactly the quota is admitted', async () => {
  const { admit, charges } = setup([quota('pods', { pods: '3' }, { pods: '0' })]);
  const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => admit(pod(`p${i}`, [{ name: 'c' }]))));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
  assert.equal(charges.length, 3);
});

test('pod updates are never measured: a pod without requests can still be relabelled under a compute quota', async () => {
  const { admit, charges } = setup([quota('compute', { 'requests.cpu': '1', pods: '0' }, { 'requests.cpu': '0', pods: '5' })]);
  const old = { ...pod('legacy', [{ name: 'c' }]), metadata: { name: 'legacy', resourceVersion: '3' } };
  await admit({ ...old, metadata: { ...old.metadata, labels: { tier: 'web' } } }, { operation: 'UPDATE', oldObject: old });
  assert.deepEqual(charges, []);
});

test('a create of a name already taken is not charged (storage answers AlreadyExists right after)', async () => {
  const { admit, charges } = setup([quota('q', { 'count/configmaps': '5' }, { 'count/configmaps': '1' })]);
  await admit({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'taken' } }, { plural: 'configmaps' });
  assert.deepEqual(charges, []);
  await admit({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'free' } }, { plural: 'configmaps' });
  assert.deepEqual(charges, ['q: count/configmaps+1']);
});
