/**
 * Node IPAM, endpoints, EndpointSlices and node lifecycle through the real kubectl against
 * `pilothouse serve --simulated-nodes 2` (all controllers, scheduler and simulated nodes running): nodes get pod
 * CIDRs from the node-ipam controller, `kubectl get endpoints` / `get endpointslices` list the running pods'
 * IP:port, and a node whose SimulatedNode is Stopped turns NotReady (Unknown) after the 50 s grace period, is
 * tainted unreachable, and its pod tolerating that for 2 s is evicted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { tableRows } from '../helpers/kubectl.js';

const { k, eventually } = serveSuite({ args: ['--simulated-nodes', '2'], eventuallyMs: 30_000 });

const webPod = (name: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: web}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: nginx:1.27
    ports: [{name: http, containerPort: 8080}]
`;

test('nodes get pod CIDRs from the node-ipam controller', async () => {
  await eventually('2 nodes with pod CIDRs', async () =>
    (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).trim().split(' ').filter(Boolean).length === 2);
  const cidrs = (await k.ok(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDRs[0]}'])).trim().split(' ');
  assert.equal(new Set(cidrs).size, 2);
  for (const c of cidrs) assert.match(c, /^10\.244\.\d+\.0\/24$/);
  const managers = await k.ok(['get', 'node', 'sim-node-1', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
  assert.match(managers, /kube-controller-manager/, 'spec.podCIDR written by the controller manager');
});

test('kubectl get endpoints / endpointslices list the running pods', async () => {
  await k.ok(['apply', '-f', '-'], { input: webPod('web-1') + '---' + webPod('web-2') });
  await k.ok(['create', 'service', 'clusterip', 'web', '--tcp=80:http']);
  let ips: string[] = [];
  await eventually('both pods Running with IPs', async () => {
    ips = (await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).trim().split(' ').filter(Boolean);
    return ips.length === 2;
  });
  const expected = ips.map((ip) => `${ip}:8080`).sort();
  await eventually('endpoints list both pods', async () => {
    const row = tableRows(await k.ok(['get', 'endpoints', 'web']))[1];
    return !!row && row[1]!.split(',').sort().join() === expected.join();
  });
  const rows = tableRows(await k.ok(['get', 'endpoints', 'web']));
  assert.deepEqual(rows[0], ['NAME', 'ENDPOINTS', 'AGE']);
  await eventually('endpointslice lists both pods', async () => {
    const row = tableRows(await k.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']))[1];
    return !!row && row[3]!.split(',').sort().join() === [...ips].sort().join();
  });
  const slices = tableRows(await k.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']));
  assert.deepEqual(slices[0], ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
  assert.match(slices[1]![0]!, /^web-[a-z0-9]{5}$/);
  assert.deepEqual(slices[1]!.slice(1, 3), ['IPv4', '8080']);
  const managedBy = await k.ok(['get', 'endpointslices', slices[1]![0]!, '-o', 'jsonpath={.metadata.labels.endpointslice\\.kubernetes\\.io/managed-by}']);
  assert.equal(managedBy, 'endpointslice-controller.k8s.io');
  // A deleted pod leaves the endpoints.
  await k.ok(['delete', 'pod', 'web-1', '--wait=true']);
  await eventually('endpoints without web-1', async () => tableRows(await k.ok(['get', 'endpoints', 'web']))[1]?.[1]?.split(',').length === 1);
});

test('a Stopped node becomes NotReady, is tainted unreachable, and its pod is evicted after tolerationSeconds', async () => {
  await k.ok(['apply', '-f', '-'], {
    input: `
apiVersion: v1
kind: Pod
metadata: {name: evict-me}
spec:
  nodeName: sim-node-2
  tolerations:
  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
  containers:
  - {name: app, image: nginx:1.27}
`,
  });
  await eventually('evict-me Running', async () => (await k.ok(['get', 'pod', 'evict-me', '-o', 'jsonpath={.status.phase}'])) === 'Running');
  await k.ok(['patch', 'simnode', 'sim-node-2', '--type', 'merge', '-p', '{"spec":{"state":"Stopped"}}']);
  // The node lease is no longer renewed: after the 50 s grace period the node is Unknown.
  await eventually('sim-node-2 NotReady', async () => tableRows(await k.ok(['get', 'node', 'sim-node-2']))[1]?.[1] === 'NotReady', 120_000);
  const reason = await k.ok(['get', 'node', 'sim-node-2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}']);
  assert.equal(reason, 'NodeStatusUnknown');
  await eventually('unreachable NoExecute taint', async () =>
    (await k.ok(['get', 'node', 'sim-node-2', '-o', 'jsonpath={.spec.taints[*].key}'])).includes('node.kubernetes.io/unreachable'));
  await eventually('evict-me marked for deletion', async () => {
    const r = await k(['get', 'pod', 'evict-me', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
    return r.code !== 0 || r.stdout.trim() !== '';
  }, 30_000);
  const events = await k.ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={.items[*].message}']);
  assert.match(events, /Marking for deletion Pod default\/evict-me/);
  // sim-node-1 stayed healthy.
  assert.equal(tableRows(await k.ok(['get', 'node', 'sim-node-1']))[1]?.[1], 'Ready');
  await k.ok(['patch', 'simnode', 'sim-node-2', '--type', 'merge', '-p', '{"spec":{"state":"Ready"}}']);
  await eventually('sim-node-2 Ready again without taints', async () =>
    tableRows(await k.ok(['get', 'node', 'sim-node-2']))[1]?.[1] === 'Ready' &&
    !(await k.ok(['get', 'node', 'sim-node-2', '-o', 'jsonpath={.spec.taints[*].key}'])).includes('unreachable'), 60_000);
});
