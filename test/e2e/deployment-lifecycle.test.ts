/**
 * The seeds' nginx-deployment through the real kubectl against `pilothouse serve --simulated-nodes 3`, with every
 * component working together (deployment + replicaset controllers, scheduler, simulated kubelets, garbage
 * collector): 3/3 available, set image → rollout status completes, history, undo, a deleted pod replaced,
 * cascade delete versus --cascade=orphan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { tableRows } from '../helpers/kubectl.js';

const { k, eventually } = serveSuite({ args: ['--simulated-nodes', '3'], eventuallyMs: 60_000 });

// The example from the Kubernetes documentation the seeds use.
const nginxDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`;

const runningPods = async (selector: string): Promise<string[]> => {
  const out = await k.ok(['get', 'pods', '-l', selector, '-o',
    'jsonpath={range .items[?(@.status.phase=="Running")]}{.metadata.name}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}']);
  return out.split('\n').filter((l) => l.trim() && l.trim().split(' ').length === 1).map((l) => l.trim());
};

test('nginx-deployment reaches 3/3 available; rollout status completes', async () => {
  assert.match(await k.ok(['apply', '-f', '-'], { input: nginxDeployment }), /deployment\.apps\/nginx-deployment created/);
  const status = await k.ok(['rollout', 'status', 'deployment/nginx-deployment', '--timeout=90s']);
  assert.match(status, /deployment "nginx-deployment" successfully rolled out/);
  const rows = tableRows(await k.ok(['get', 'deploy', 'nginx-deployment']));
  assert.deepEqual(rows[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 4), ['nginx-deployment', '3/3', '3', '3']);
  const rs = tableRows(await k.ok(['get', 'rs', '-l', 'app=nginx']));
  assert.equal(rs.length, 2);
  assert.match(rs[1]![0]!, /^nginx-deployment-[a-z0-9]+$/);
  assert.deepEqual(rs[1]!.slice(1, 4), ['3', '3', '3']);
  assert.equal((await runningPods('app=nginx')).length, 3);
});

test('set image rolls out a new ReplicaSet; history shows both revisions; undo restores the old image', async () => {
  await k.ok(['set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:1.16.1']);
  assert.match(await k.ok(['rollout', 'status', 'deployment/nginx-deployment', '--timeout=90s']), /successfully rolled out/);
  const image = () => k.ok(['get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
  assert.equal(await image(), 'nginx:1.16.1');
  const podImages = async () => (await k.ok(['get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ');
  await eventually('only new pods left', async () => (await podImages()).every((i) => i === 'nginx:1.16.1') && (await runningPods('app=nginx')).length === 3);
  const history = await k.ok(['rollout', 'history', 'deployment/nginx-deployment']);
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  const rs = tableRows(await k.ok(['get', 'rs', '-l', 'app=nginx']));
  assert.equal(rs.length, 3, 'two ReplicaSets: the new one with 3, the old one scaled to 0');
  assert.deepEqual(rs.slice(1).map((r) => r[1]).sort(), ['0', '3']);

  assert.match(await k.ok(['rollout', 'undo', 'deployment/nginx-deployment']), /deployment\.apps\/nginx-deployment rolled back/);
  assert.match(await k.ok(['rollout', 'status', 'deployment/nginx-deployment', '--timeout=90s']), /successfully rolled out/);
  assert.equal(await image(), 'nginx:1.14.2');
  assert.match(await k.ok(['rollout', 'history', 'deployment/nginx-deployment']), /\n2\s+<none>\n3\s+<none>/);
});

test('a deleted pod is replaced', async () => {
  const before = await runningPods('app=nginx');
  assert.equal(before.length, 3);
  await k.ok(['delete', 'pod', before[0]!, '--wait=false']);
  await eventually('a replacement Running', async () => {
    const now = await runningPods('app=nginx');
    return now.length === 3 && !now.includes(before[0]!);
  });
});

test('delete --cascade=orphan leaves the ReplicaSets and pods; a background delete of a ReplicaSet takes its pods', async () => {
  await k.ok(['delete', 'deployment', 'nginx-deployment', '--cascade=orphan']);
  await eventually('deployment gone', async () => (await k(['get', 'deploy', 'nginx-deployment'])).code !== 0);
  const rsNames = (await k.ok(['get', 'rs', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);
  assert.equal(rsNames.length, 2, 'both ReplicaSets remain');
  await eventually('owner references to the deployment removed', async () =>
    (await k.ok(['get', 'rs', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.ownerReferences}'])).trim() === '');
  assert.equal((await runningPods('app=nginx')).length, 3, 'the pods keep running');

  const active = tableRows(await k.ok(['get', 'rs', '-l', 'app=nginx'])).slice(1).find((r) => r[1] === '3')![0]!;
  await k.ok(['delete', 'rs', active]);
  await eventually('its pods are gone', async () =>
    (await k.ok(['get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.name}'])).trim() === '', 60_000);
});

test('a node that stops heartbeating goes NotReady; its pods are evicted and recreated on the other nodes', async () => {
  // Pods tolerate the unreachable taint for 2 s only (the default is 300 s) to keep the test short.
  const yaml = nginxDeployment
    .replace('name: nginx-deployment', 'name: survivor')
    .replaceAll('app: nginx', 'app: survivor')
    .replace('      terminationGracePeriodSeconds: 1', `      terminationGracePeriodSeconds: 1
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}`);
  await k.ok(['apply', '-f', '-'], { input: yaml });
  assert.match(await k.ok(['rollout', 'status', 'deployment/survivor', '--timeout=90s']), /successfully rolled out/);
  const nodeOf = async () => (await k.ok(['get', 'pods', '-l', 'app=survivor', '-o',
    'jsonpath={range .items[*]}{.metadata.name}={.spec.nodeName}={.status.phase}={.metadata.deletionTimestamp}{"\\n"}{end}']))
    .split('\n').filter(Boolean).map((l) => l.split('='));
  const victim = (await nodeOf())[0]![1]!;
  await k.ok(['patch', 'simnode', victim, '--type=merge', '-p', '{"spec":{"state":"Stopped"}}']);
  await eventually(`${victim} NotReady`, async () =>
    (await k.ok(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])) === 'Unknown', 120_000);
  await eventually('3 Running pods, none on the stopped node', async () => {
    const pods = (await nodeOf()).filter(([, , phase, deleting]) => phase === 'Running' && !deleting);
    return pods.length === 3 && pods.every(([, node]) => node !== victim);
  }, 120_000);
  const taints = await k.ok(['get', 'node', victim, '-o', 'jsonpath={.spec.taints[*].key}']);
  assert.match(taints, /node\.kubernetes\.io\/unreachable/);
  await k.ok(['patch', 'simnode', victim, '--type=merge', '-p', '{"spec":{"state":"Ready"}}']);
});
