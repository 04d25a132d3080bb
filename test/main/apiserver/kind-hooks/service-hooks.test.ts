import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KObject } from '../../../../main/api/meta/object.js';
import { IpAllocator } from '../../../../main/apiserver/allocators/ip-allocator.js';
import { PortAllocator } from '../../../../main/apiserver/allocators/port-allocator.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { claimExisting, serviceHooks } from '../../../../main/apiserver/kind-hooks/service-hooks.js';
import type { HookContext } from '../../../../main/apiserver/registry/resource-storage.js';
import { startTestCluster, type TestCluster } from '../../../helpers/control-plane-fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Svc = KObject & { spec: any };
const svc = (name: string, spec: object): Svc => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } });
const ctx: HookContext = { dryRun: false, storage: undefined as never };
const fresh = () => ({ ips: new IpAllocator('10.96.0.0/24'), ports: new PortAllocator(30000, 30009) });

async function invalidMessage(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    return err.message;
  }
  return 'no error';
}

test('ClusterIP: allocated on create; explicit IPs are claimed; clusterIPs/ipFamilies filled', async () => {
  const a = fresh();
  const h = serviceHooks(a);
  const s1 = svc('a', {});
  await h.beforeCreate!(s1, ctx);
  assert.ok(a.ips.contains(s1.spec.clusterIP));
  assert.deepEqual(s1.spec.clusterIPs, [s1.spec.clusterIP]);
  assert.deepEqual(s1.spec.ipFamilies, ['IPv4']);
  assert.equal(s1.spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(s1.spec.ports[0].nodePort, undefined);
  const s2 = svc('b', { clusterIP: '10.96.0.200' });
  await h.beforeCreate!(s2, ctx);
  assert.equal(a.ips.isAllocated('10.96.0.200'), true);
  const s3 = svc('c', {});
  await h.beforeCreate!(s3, ctx);
  assert.notEqual(s3.spec.clusterIP, s1.spec.clusterIP);
});

test('ClusterIP conflicts and out-of-range IPs are Invalid with upstream\'s message', async () => {
  const a = fresh();
  const h = serviceHooks(a);
  await h.beforeCreate!(svc('a', { clusterIP: '10.96.0.10' }), ctx);
  assert.equal(await invalidMessage(h.beforeCreate!(svc('b', { clusterIP: '10.96.0.10' }), ctx)),
    'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated');
  assert.equal(await invalidMessage(h.beforeCreate!(svc('c', { clusterIP: '10.0.0.5' }), ctx)),
    'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/24');
});

test('headless (clusterIP None) and ExternalName services get no IP', async () => {
  const a = fresh();
  const h = serviceHooks(a);
  const headless = svc('h', { clusterIP: 'None' });
  await h.beforeCreate!(headless, ctx);
  assert.equal(headless.spec.clusterIP, 'None');
  assert.deepEqual(headless.spec.clusterIPs, ['None']);
  assert.deepEqual(headless.spec.ipFamilies, ['IPv4']);
  const ext = svc('e', { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '10.96.0.9' });
  await h.beforeCreate!(ext, ctx);
  assert.equal(ext.spec.clusterIP, undefined);
  assert.equal(ext.spec.clusterIPs, undefined);
  assert.equal(a.ips.isAllocated('10.96.0.9'), false);
  // Nothing was taken: the whole /24 minus network/broadcast is still free.
  for (let i = 0; i < 254; i++) assert.ok(a.ips.allocateNext());
  assert.equal(a.ips.allocateNext(), undefined);
});

test('NodePort: allocated per port, explicit ports claimed, conflicts and range errors Invalid', async () => {
  const a = fresh();
  const h = serviceHooks(a);
  const np = svc('np', { type: 'NodePort', ports: [{ port: 80 }, { port: 443, nodePort: 30005 }] });
  await h.beforeCreate!(np, ctx);
  const p0 = np.spec.ports[0].nodePort;
  assert.ok(p0 >= 30000 && p0 <= 30009 && p0 !== 30005);
  assert.equal(np.spec.ports[1].nodePort, 30005);
  assert.equal(await invalidMessage(h.beforeCreate!(svc('x', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] }), ctx)),
    'Service "x" is invalid: spec.ports[0].nodePort: Invalid value: 30005: provided port is already allocated');
  assert.equal(await invalidMessage(h.beforeCreate!(svc('y', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }), ctx)),
    'Service "y" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-30009');
  // A failed create rolls back what it had already taken (the ClusterIP and the first port).
  const before = [...Array(10).keys()].filter((i) => a.ports.allocate(30000 + i) === undefined).map((i) => 30000 + i);
  for (const p of before) a.ports.release(p);
  await invalidMessage(h.beforeCreate!(svc('z', { type: 'NodePort', clusterIP: '10.96.0.77', ports: [{ port: 1 }, { port: 2, nodePort: 30005 }] }), ctx));
  assert.equal(a.ips.isAllocated('10.96.0.77'), false);
  const afterFree = [...Array(10).keys()].filter((i) => a.ports.allocate(30000 + i) === undefined).map((i) => 30000 + i);
  assert.deepEqual(afterFree, before);
  // LoadBalancer allocates node ports unless allocateLoadBalancerNodePorts is false.
  const b = fresh();
  const lb = svc('lb', { type: 'LoadBalancer' });
  await serviceHooks(b).beforeCreate!(lb, ctx);
  assert.ok(lb.spec.ports[0].nodePort);
  const lbNo = svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80, nodePort: 30001 }] });
  await serviceHooks(b).beforeCreate!(lbNo, ctx);
  assert.equal(lbNo.spec.ports[0].nodePort, undefined);
});

test('a dry-run create returns an undo that releases what it allocated', async () => {
  const a = fresh();
  const s = svc('d', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30003 }] });
  const undo = await serviceHooks(a).beforeCreate!(s, { ...ctx, dryRun: true });
  assert.equal(a.ips.isAllocated('10.96.0.50'), true);
  assert.equal(typeof undo, 'function');
  (undo as () => void)();
  assert.equal(a.ips.isAllocated('10.96.0.50'), false);
  assert.equal(a.ports.allocate(30003), undefined);
});

test('type changes: ClusterIP→NodePort allocates, NodePort→ClusterIP releases, →ExternalName releases the IP', async () => {
  const a = fresh();
  const h = serviceHooks(a);
  const v1 = svc('t', {});
  await h.beforeCreate!(v1, ctx);
  const ip = v1.spec.clusterIP;

  const v2 = svc('t', { type: 'NodePort', ports: [{ port: 80 }] }); // clusterIP omitted: kept from the old object
  await h.beforeUpdate!(v2, v1, ctx);
  assert.equal(v2.spec.clusterIP, ip);
  const np = v2.spec.ports[0].nodePort;
  assert.ok(np);

  const v3 = svc('t', { type: 'ClusterIP', clusterIP: ip, ports: [{ port: 80, nodePort: np }] });
  await h.beforeUpdate!(v3, v2, ctx);
  assert.equal(v3.spec.ports[0].nodePort, undefined, 'nodePort cleared');
  assert.equal(a.ports.allocate(np), undefined, 'nodePort released');
  a.ports.release(np);

  const v4 = svc('t', { type: 'ExternalName', externalName: 'x.example.com', clusterIP: ip });
  await h.beforeUpdate!(v4, v3, ctx);
  assert.equal(v4.spec.clusterIP, undefined);
  assert.equal(a.ips.isAllocated(ip), false, 'ClusterIP released');

  // Keeping the same explicit IP and node port on update is not a conflict.
  const k1 = svc('k', { type: 'NodePort', clusterIP: '10.96.0.60', ports: [{ port: 80, nodePort: 30007 }] });
  await h.beforeCreate!(k1, ctx);
  const k2 = svc('k', { type: 'NodePort', clusterIP: '10.96.0.60', ports: [{ port: 80, nodePort: 30007 }] });
  await h.beforeUpdate!(k2, k1, ctx);
  assert.equal(a.ips.isAllocated('10.96.0.60'), true);
});

test('afterDelete releases the IP and node ports; claimExisting rebuilds allocator state', async () => {
  const a = fresh();
  const h = serviceHooks(a);
  const s = svc('del', { type: 'NodePort', clusterIP: '10.96.0.40', ports: [{ port: 80, nodePort: 30004 }] });
  await h.beforeCreate!(s, ctx);
  h.afterDelete!(s);
  assert.equal(a.ips.isAllocated('10.96.0.40'), false);
  assert.equal(a.ports.allocate(30004), undefined);

  const b = fresh();
  claimExisting(svc('x', { clusterIP: '10.96.0.1', ports: [{ port: 443, nodePort: 30002 }] }), b);
  claimExisting(svc('h', { clusterIP: 'None' }), b);
  claimExisting(svc('o', { clusterIP: '172.16.0.1' }), b);
  assert.equal(b.ips.isAllocated('10.96.0.1'), true);
  assert.equal(b.ports.allocate(30002), 'provided port is already allocated');
});

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('HTTP: explicit ClusterIP of the kubernetes Service is refused with 422 and upstream\'s message', async () => {
  const r = await cluster.admin.post('/api/v1/namespaces/default/services', svc('clash', { clusterIP: '10.96.0.1' }));
  assert.equal(r.status, 422);
  assert.equal(r.body.reason, 'Invalid');
  assert.equal(r.body.message,
    'Service "clash" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated');
  assert.deepEqual(r.body.details.causes, [{
    reason: 'FieldValueInvalid', field: 'spec.clusterIPs',
    message: 'Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated',
  }]);
});

test('HTTP: NodePort conflict across services, release on delete, headless stays headless', async () => {
  const first = await cluster.admin.post('/api/v1/namespaces/default/services', svc('np1', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  assert.equal(first.status, 201);
  assert.match(first.body.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
  const second = await cluster.admin.post('/api/v1/namespaces/default/services', svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  assert.equal(second.status, 422);
  assert.equal(second.body.message, 'Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
  assert.equal((await cluster.admin.delete('/api/v1/namespaces/default/services/np1')).status, 200);
  const third = await cluster.admin.post('/api/v1/namespaces/default/services', svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
  assert.equal(third.status, 201);
  const headless = await cluster.admin.post('/api/v1/namespaces/default/services', svc('hl', { clusterIP: 'None' }));
  assert.equal(headless.status, 201);
  assert.deepEqual(headless.body.spec.clusterIPs, ['None']);
});
