/**
 * Simulated nodes through the real kubectl against `pilothouse serve --simulated-nodes 3`: nodes Ready with
 * their leases, a pod bound with spec.nodeName running with an IP from its node's pod CIDR, a run-seconds pod
 * Completed, deletion, state NotReady, and SimulatedNodes added and removed at runtime.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { tableRows } from '../helpers/kubectl.js';
import { ipToInt, parseCidr } from '../../main/nodes/providers/simulated/address-pool.js';

const { k, eventually } = serveSuite({ args: ['--simulated-nodes', '3'] });

const podYaml = (name: string, opts: { node?: string; restartPolicy?: string; annotations?: Record<string, string> } = {}) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${opts.annotations ? `  annotations:\n${Object.entries(opts.annotations).map(([a, v]) => `    ${a}: "${v}"`).join('\n')}\n` : ''}spec:
  nodeName: ${opts.node ?? 'sim-node-1'}
  restartPolicy: ${opts.restartPolicy ?? 'Always'}
  terminationGracePeriodSeconds: 5
  containers:
  - name: app
    image: nginx:1.27
`;

test('kubectl get nodes: three Ready simulated nodes at v1.32.0, each with a Lease', async () => {
  await eventually('3 nodes Ready', async () => {
    const rows = tableRows(await k.ok(['get', 'nodes']));
    return rows.length === 4 && rows.slice(1).every((r) => r[1] === 'Ready');
  });
  const rows = tableRows(await k.ok(['get', 'nodes']));
  assert.deepEqual(rows[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1], r[2], r[4]]), [
    ['sim-node-1', 'Ready', '<none>', 'v1.32.0'],
    ['sim-node-2', 'Ready', '<none>', 'v1.32.0'],
    ['sim-node-3', 'Ready', '<none>', 'v1.32.0'],
  ]);
  await eventually('3 leases', async () => tableRows(await k.ok(['get', 'leases', '-n', 'kube-node-lease'])).length === 4);
  const holders = await k.ok(['get', 'leases', '-n', 'kube-node-lease', '-o', 'jsonpath={.items[*].spec.holderIdentity}']);
  assert.deepEqual(holders.split(' ').sort(), ['sim-node-1', 'sim-node-2', 'sim-node-3']);
  const simnodes = tableRows(await k.ok(['get', 'simnode']));
  assert.deepEqual(simnodes[0], ['NAME', 'STATE', 'CPU', 'MEMORY', 'PODS', 'AGE']);
  assert.deepEqual(simnodes[1]!.slice(0, 5), ['sim-node-1', 'Ready', '4', '16Gi', '110']);
});

test('a pod with spec.nodeName runs with an IP from its node’s pod CIDR', async () => {
  await k.ok(['apply', '-f', '-'], { input: podYaml('web') });
  await k.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=20s']);
  const [ip, phase] = (await k.ok(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP} {.status.phase}'])).split(' ');
  assert.equal(phase, 'Running');
  const cidr = parseCidr(await k.ok(['get', 'node', 'sim-node-1', '-o', 'jsonpath={.spec.podCIDR}']))!;
  const n = ipToInt(ip!)!;
  assert.ok(n > cidr.base && n < cidr.base + cidr.size, `${ip} in the node's CIDR`);
  const row = tableRows(await k.ok(['get', 'pod', 'web', '-o', 'wide']))[1]!;
  assert.deepEqual([row[1], row[2], row[5], row[6]], ['1/1', 'Running', ip, 'sim-node-1']);
  // Events are posted asynchronously (fire-and-forget, like the kubelet's broadcaster).
  const reasons = async () =>
    (await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}'])).split('\n');
  await eventually('kubelet events', async () => {
    const rs = await reasons();
    return ['Pulled', 'Created', 'Started'].every((r) => rs.includes(r));
  });
});

test('a restartPolicy Never pod with run-seconds shows Completed', async () => {
  await k.ok(['apply', '-f', '-'], { input: podYaml('once', { restartPolicy: 'Never', annotations: { 'pilothouse.dev/run-seconds': '1' } }) });
  await eventually('Completed', async () => tableRows(await k.ok(['get', 'pod', 'once']))[1]?.[2] === 'Completed');
  assert.equal(await k.ok(['get', 'pod', 'once', '-o', 'jsonpath={.status.phase}']), 'Succeeded');
});

test('kubectl delete pod waits for the simulated kubelet to finish the deletion', async () => {
  const out = await k.ok(['delete', 'pod', 'web', '--timeout=30s']);
  assert.equal(out.trim(), 'pod "web" deleted');
  const r = await k(['get', 'pod', 'web']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /NotFound|not found/);
});

test('state NotReady shows the node NotReady; Ready brings it back', async () => {
  await k.ok(['patch', 'simnode', 'sim-node-2', '--type', 'merge', '-p', '{"spec":{"state":"NotReady"}}']);
  await eventually('NotReady', async () => tableRows(await k.ok(['get', 'node', 'sim-node-2']))[1]?.[1] === 'NotReady');
  const reason = await k.ok(['get', 'node', 'sim-node-2', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}']);
  assert.equal(reason, 'KubeletNotReady');
  await k.ok(['patch', 'simnode', 'sim-node-2', '--type', 'merge', '-p', '{"spec":{"state":"Ready"}}']);
  await eventually('Ready again', async () => tableRows(await k.ok(['get', 'node', 'sim-node-2']))[1]?.[1] === 'Ready');
});

test('a SimulatedNode applied at runtime registers a Node; deleting it removes the Node', async () => {
  await k.ok(['apply', '-f', '-'], {
    input: `
apiVersion: pilothouse.dev/v1alpha1
kind: SimulatedNode
metadata:
  name: big-1
spec:
  capacity:
    cpu: "64"
    memory: 256Gi
  labels:
    topology.kubernetes.io/zone: zone-b
`,
  });
  await eventually('big-1 Ready', async () => tableRows(await k.ok(['get', 'node', 'big-1']))[1]?.[1] === 'Ready');
  assert.equal(await k.ok(['get', 'node', 'big-1', '-o', 'jsonpath={.status.capacity.cpu}']), '64');
  assert.equal(await k.ok(['get', 'nodes', '-l', 'topology.kubernetes.io/zone=zone-b', '-o', 'name']), 'node/big-1\n');
  await k.ok(['delete', 'simnode', 'big-1']);
  await eventually('big-1 Node gone', async () => (await k(['get', 'node', 'big-1'])).code !== 0);
  const rows = tableRows(await k.ok(['get', 'nodes']));
  assert.equal(rows.length, 4);
});
