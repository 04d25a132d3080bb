/**
 * StatefulSets and DaemonSets through the real kubectl against `pilothouse serve --simulated-nodes 2` (all
 * controllers, the scheduler and simulated kubelets): web-0, web-1, web-2 created in order, each after the
 * previous is Running and Ready; `kubectl get sts` READY 3/3; `kubectl rollout status sts/web`; scale down
 * removes web-2 first; `kubectl set image` rolls the pods to a new revision. A DaemonSet covers both nodes and
 * a SimulatedNode applied later; `kubectl get ds` columns; `kubectl rollout status ds/x` through an image update;
 * `kubectl rollout undo ds/x`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { tableRows } from '../helpers/kubectl.js';

const { k, eventually } = serveSuite({
  args: ['--simulated-nodes', '2'],
  eventuallyMs: 60_000,
  setUp: async () => {
    await eventually('2 nodes Ready', async () => {
      const rows = tableRows(await k.ok(['get', 'nodes'])).slice(1);
      return rows.length === 2 && rows.every((r) => r[1] === 'Ready');
    });
  },
});

const statefulSet = (replicas: number) => `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: ${replicas}
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
        image: nginx:1.27
`;

const daemonSet = (image: string) => `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: x
spec:
  selector:
    matchLabels:
      app: x
  template:
    metadata:
      labels:
        app: x
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: agent
        image: ${image}
`;

interface PodView {
  name: string;
  created: number;
  ready?: number;
}

async function statefulPods(): Promise<PodView[]> {
  const out = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=nginx', '-o', 'json'])) as {
    items: { metadata: { name: string; creationTimestamp: string }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } }[];
  };
  return out.items.map((p) => {
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
    return { name: p.metadata.name, created: Date.parse(p.metadata.creationTimestamp), ready: ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : undefined };
  });
}

test('StatefulSet: web-0, web-1, web-2 in order; READY 3/3; rollout status; scale down removes web-2 first; set image rolls', async () => {
  await k.ok(['apply', '-f', '-'], { input: statefulSet(3) });
  const rollout = await k(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeoutMs: 130_000 });
  assert.equal(rollout.code, 0, rollout.stderr);
  // The defaulted partition (0) makes kubectl report the partitioned form, as against Kubernetes.
  assert.match(rollout.stdout, /partitioned roll out complete: 3 new pods have been updated\.\.\./);

  const rows = tableRows(await k.ok(['get', 'sts']));
  assert.deepEqual(rows[0], ['NAME', 'READY', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 2), ['web', '3/3']);
  const pods = (await statefulPods()).sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(pods.map((p) => p.name), ['web-0', 'web-1', 'web-2']);
  // Each pod was created no earlier than its predecessor became Ready (timestamps have second precision).
  for (let i = 1; i < pods.length; i++) assert.ok(pods[i]!.created >= pods[i - 1]!.ready!, `${pods[i]!.name} after ${pods[i - 1]!.name} was ready`);
  const podRows = tableRows(await k.ok(['get', 'pods', '-l', 'app=nginx']));
  assert.ok(podRows.slice(1).every((r) => r[1] === '1/1' && r[2] === 'Running'), JSON.stringify(podRows));
  const hostname = await k.ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.spec.hostname}.{.spec.subdomain} {.metadata.labels.apps\\.kubernetes\\.io/pod-index}']);
  assert.equal(hostname, 'web-1.nginx 1');
  const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
  assert.match(events, /SuccessfulCreate create Pod web-0 in StatefulSet web successful/);

  await k.ok(['scale', 'sts/web', '--replicas=1']);
  const seen: string[] = [];
  await eventually('only web-0 left', async () => {
    const names = (await statefulPods()).map((p) => p.name).sort().join(',');
    if (seen[seen.length - 1] !== names) seen.push(names);
    return names === 'web-0';
  });
  assert.ok(!seen.some((s) => s.includes('web-2') && !s.includes('web-1')), `web-2 removed before web-1: ${seen.join(' | ')}`);
  assert.ok(seen.includes('web-0,web-1'), `web-1 outlived web-2: ${seen.join(' | ')}`);
  await eventually('READY 1/1', async () => tableRows(await k.ok(['get', 'sts', 'web']))[1]?.[1] === '1/1');

  // A rolling update through kubectl: the pod is replaced at the new revision; history lists both revisions.
  await k.ok(['scale', 'sts/web', '--replicas=2']);
  await k.ok(['set', 'image', 'sts/web', 'nginx=nginx:1.28']);
  const update = await k(['rollout', 'status', 'sts/web', '--timeout=120s'], { timeoutMs: 130_000 });
  assert.equal(update.code, 0, update.stderr);
  await eventually('both pods on nginx:1.28 and ready', async () => {
    const out = await k.ok(['get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image}{" "}{end}']);
    return out.trim().split(' ').sort().join() === 'web-0=nginx:1.28,web-1=nginx:1.28' && tableRows(await k.ok(['get', 'sts', 'web']))[1]?.[1] === '2/2';
  });
  const [current, updated] = (await k.ok(['get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision} {.status.updateRevision}'])).split(' ');
  assert.equal(current, updated);
  const history = await k.ok(['rollout', 'history', 'sts/web']);
  assert.match(history, /\n1 .*\n2 /s);
});

test('DaemonSet: a pod on each node and on a SimulatedNode applied later; get ds columns; rollout status', async () => {
  await k.ok(['apply', '-f', '-'], { input: daemonSet('agent:1') });
  const first = await k(['rollout', 'status', 'ds/x', '--timeout=120s'], { timeoutMs: 130_000 });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /daemon set "x" successfully rolled out/);
  const nodesOf = async () => (await k.ok(['get', 'pods', '-l', 'app=x', '-o', 'jsonpath={.items[*].spec.nodeName}'])).split(' ').filter(Boolean).sort();
  assert.deepEqual(await nodesOf(), ['sim-node-1', 'sim-node-2']);
  const rows = tableRows(await k.ok(['get', 'ds']));
  assert.deepEqual(rows[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 7), ['x', '2', '2', '2', '2', '2', '<none>']);

  await k.ok(['apply', '-f', '-'], {
    input: 'apiVersion: pilothouse.dev/v1alpha1\nkind: SimulatedNode\nmetadata:\n  name: sim-node-3\nspec: {}\n',
  });
  await eventually('a pod on sim-node-3', async () => (await nodesOf()).join() === 'sim-node-1,sim-node-2,sim-node-3');
  await eventually('3 ready', async () => tableRows(await k.ok(['get', 'ds', 'x']))[1]!.slice(1, 6).join() === '3,3,3,3,3');

  await k.ok(['set', 'image', 'ds/x', 'agent=agent:2']);
  const second = await k(['rollout', 'status', 'ds/x', '--timeout=120s'], { timeoutMs: 130_000 });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /daemon set "x" successfully rolled out/);
  const images = (await k.ok(['get', 'pods', '-l', 'app=x', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ');
  assert.deepEqual(images, ['agent:2', 'agent:2', 'agent:2']);
  const history = await k.ok(['rollout', 'history', 'ds/x']);
  assert.match(history, /REVISION/);
  assert.match(history, /\n1 .*\n2 /s);

  // Undo re-applies revision 1's template; that revision becomes number 3.
  await k.ok(['rollout', 'undo', 'ds/x']);
  const third = await k(['rollout', 'status', 'ds/x', '--timeout=120s'], { timeoutMs: 130_000 });
  assert.equal(third.code, 0, third.stderr);
  await eventually('back on agent:1', async () =>
    (await k.ok(['get', 'pods', '-l', 'app=x', '-o', 'jsonpath={.items[*].spec.containers[0].image}'])).split(' ').join() === 'agent:1,agent:1,agent:1');
  const revisions = await k.ok(['get', 'controllerrevisions', '-l', 'app=x', '-o', 'jsonpath={range .items[*]}{.revision}{"\\n"}{end}']);
  assert.deepEqual(revisions.trim().split('\n').sort(), ['2', '3']);
});
