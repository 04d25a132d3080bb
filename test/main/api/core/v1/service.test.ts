import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';
import {
  services,
  serviceNeedsClusterIP,
  serviceNeedsHealthCheckNodePort,
  serviceNodePortsNeeded,
  type Service,
} from '../../../../../main/api/core/v1/service.js';

const svc = (spec: Service['spec'], name = 'web'): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });
const prepared = (s: Service) => {
  services.defaults!(s);
  services.strategy!.prepareForCreate!(s);
  return s;
};
const update = (s: Service, old: Service) => {
  services.defaults!(s);
  services.strategy!.prepareForUpdate!(s, old);
  return services.strategy!.validateUpdate!(s, old).map(errorLine);
};

test('allocation helpers say what the API server must allocate', () => {
  assert.equal(serviceNeedsClusterIP(prepared(svc({ ports: [{ port: 80 }] }))), true);
  assert.equal(serviceNeedsClusterIP(prepared(svc({ clusterIP: 'None' }))), false);
  assert.equal(serviceNeedsClusterIP(prepared(svc({ type: 'ExternalName', externalName: 'x.example.com' }))), false);
  assert.deepEqual(serviceNodePortsNeeded(prepared(svc({ type: 'NodePort', ports: [{ port: 80 }, { port: 81, nodePort: 30081 }] }))), [0]);
  assert.deepEqual(serviceNodePortsNeeded(prepared(svc({ ports: [{ port: 80 }] }))), []);
  assert.deepEqual(serviceNodePortsNeeded(prepared(svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] }))), []);
  assert.deepEqual(serviceNodePortsNeeded(prepared(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }))), [0]);
  assert.equal(serviceNeedsHealthCheckNodePort(prepared(svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }))), true);
});

test('ExternalName services get no IP families; others a single-stack family from the IP', () => {
  const ext = prepared(svc({ type: 'ExternalName', externalName: 'db.example.com' }));
  assert.equal(ext.spec!.ipFamilies, undefined);
  assert.equal(ext.spec!.internalTrafficPolicy, undefined);
  const v6 = prepared(svc({ clusterIP: 'fd00::10', ports: [{ port: 80 }] }));
  assert.deepEqual(v6.spec!.ipFamilies, ['IPv6']);
  assert.equal(v6.spec!.ipFamilyPolicy, 'SingleStack');
});

test('cluster IPs cannot change once set', () => {
  const old = prepared(svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }));
  const errs = update(svc({ clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'], ports: [{ port: 80 }] }), old);
  assert.ok(errs.includes('spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set'), errs.join('\n'));
});

test('an update that omits allocated values keeps them', () => {
  const old = prepared(svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }));
  const next = svc({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] });
  assert.deepEqual(update(next, old), []);
  assert.equal(next.spec!.clusterIP, '10.96.0.10');
  assert.deepEqual(next.spec!.clusterIPs, ['10.96.0.10']);
  assert.equal(next.spec!.ports![0]!.nodePort, 30080);
});

test('switching NodePort to ClusterIP drops untouched node ports and the external policy', () => {
  const old = prepared(svc({ type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] }));
  const next = JSON.parse(JSON.stringify(old)) as Service;
  next.spec!.type = 'ClusterIP';
  assert.deepEqual(update(next, old), []);
  assert.equal(next.spec!.ports![0]!.nodePort, undefined);
  assert.equal(next.spec!.externalTrafficPolicy, undefined);
});

test('switching to ExternalName releases cluster IPs and families', () => {
  const old = prepared(svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }));
  const next = JSON.parse(JSON.stringify(old)) as Service;
  next.spec!.type = 'ExternalName';
  next.spec!.externalName = 'db.example.com';
  assert.deepEqual(update(next, old), []);
  assert.equal(next.spec!.clusterIP, undefined);
  assert.equal(next.spec!.ipFamilies, undefined);
  assert.equal(next.spec!.ipFamilyPolicy, undefined);
});

test('LoadBalancer requires allocateLoadBalancerNodePorts and forbids it elsewhere', () => {
  const lb = svc({ type: 'LoadBalancer', ports: [{ port: 10250 }] });
  services.defaults!(lb);
  assert.equal(lb.spec!.allocateLoadBalancerNodePorts, true);
  assert.deepEqual(services.strategy!.validate!(lb).map(errorLine), [
    'spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet',
  ]);
  const cip = svc({ allocateLoadBalancerNodePorts: true, ports: [{ port: 80 }] });
  services.defaults!(cip);
  assert.deepEqual(services.strategy!.validate!(cip).map(errorLine), [
    "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
  ]);
});

test('status writes validate load balancer ingress', () => {
  const s = prepared(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }));
  s.status = { loadBalancer: { ingress: [{ ip: '1.2.3' }, { hostname: '10.0.0.1' }] } };
  assert.deepEqual(services.strategy!.validateStatusUpdate!(s, s).map(errorLine), [
    'status.loadBalancer.ingress[0].ip: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'status.loadBalancer.ingress[0].ipMode: Required value: must be specified when `ip` is set',
    'status.loadBalancer.ingress[1].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
  ]);
});

test('field selectors', () => {
  const s = prepared(svc({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] }));
  assert.equal(services.fieldSelectors!['spec.clusterIP']!(s), '10.96.0.10');
  assert.equal(services.fieldSelectors!['spec.type']!(s), 'ClusterIP');
});
