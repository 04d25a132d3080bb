/**
 * ReplicaSets and ReplicationControllers through the real kubectl against `pilothouse serve --simulated-nodes 3`
 * (all controllers, scheduler and simulated nodes running): READY 3, a deleted pod replaced, scale up and down,
 * and an RC behaving the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { tableRows } from '../helpers/kubectl.js';

const { k, eventually } = serveSuite({ args: ['--simulated-nodes', '3'], eventuallyMs: 60_000 });

const template = (app: string) => `
    metadata:
      labels:
        app: ${app}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: nginx:1.27
`;

const rsYaml = `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      app: frontend
  template:${template('frontend')}`;

const rcYaml = `
apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 2
  selector:
    app: legacy
  template:${template('legacy')}`;

/** The row of `kubectl get <kind> <name>` as [NAME, DESIRED, CURRENT, READY, AGE]. */
async function row(kind: string, name: string): Promise<string[]> {
  return tableRows(await k.ok(['get', kind, name]))[1]!;
}

/** Names of the Running, non-terminating pods with label app=<app>. */
async function runningPods(app: string): Promise<string[]> {
  const out = await k.ok(['get', 'pods', '-l', `app=${app}`, '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}']);
  return out.split('\n').map((l) => l.trim().split(' ')).filter((f) => f.length === 2 && f[1] === 'Running').map((f) => f[0]!);
}

const readyIs = (kind: string, name: string, n: number) => async () => {
  const r = await row(kind, name);
  return r[1] === String(n) && r[2] === String(n) && r[3] === String(n);
};

test('kubectl create -f rs.yaml: the ReplicaSet reaches READY 3 with its pods running', async () => {
  await k.ok(['create', '-f', '-'], { input: rsYaml });
  await eventually('frontend READY 3', readyIs('rs', 'frontend', 3));
  const rows = tableRows(await k.ok(['get', 'rs']));
  assert.deepEqual(rows[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 4), ['frontend', '3', '3', '3']);
  const pods = await runningPods('frontend');
  assert.equal(pods.length, 3);
  for (const p of pods) assert.match(p, /^frontend-[a-z0-9]{5}$/);
  const owners = await k.ok(['get', 'pods', '-l', 'app=frontend', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].name}']);
  assert.deepEqual(owners.split(' '), ['frontend', 'frontend', 'frontend']);
  const described = await k.ok(['describe', 'rs', 'frontend']);
  assert.match(described, /Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed/);
  assert.match(described, /SuccessfulCreate\s+.*replicaset-controller\s+Created pod: frontend-[a-z0-9]{5}/);
});

test('deleting a pod brings a replacement', async () => {
  const before = await runningPods('frontend');
  const victim = before[0]!;
  await k.ok(['delete', 'pod', victim, '--wait=false']);
  await eventually('a replacement running', async () => {
    const now = await runningPods('frontend');
    return now.length === 3 && !now.includes(victim);
  });
  await eventually('frontend READY 3 again', readyIs('rs', 'frontend', 3));
});

test('kubectl scale rs frontend --replicas=5, then 1', async () => {
  assert.match(await k.ok(['scale', 'rs', 'frontend', '--replicas=5']), /replicaset.apps\/frontend scaled/);
  await eventually('frontend READY 5', readyIs('rs', 'frontend', 5));
  assert.equal((await runningPods('frontend')).length, 5);
  await k.ok(['scale', 'rs', 'frontend', '--replicas=1']);
  await eventually('frontend 1/1/1', readyIs('rs', 'frontend', 1));
  await eventually('one pod left', async () => (await k.ok(['get', 'pods', '-l', 'app=frontend', '-o', 'name'])).trim().split('\n').length === 1);
  const events = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=frontend,reason=SuccessfulDelete', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}']);
  assert.equal(events.trim().split('\n').filter((m) => /^Deleted pod: frontend-[a-z0-9]{5}$/.test(m)).length, 4);
});

test('a ReplicationController works the same (kubectl get rc, scale)', async () => {
  await k.ok(['create', '-f', '-'], { input: rcYaml });
  await eventually('legacy READY 2', readyIs('rc', 'legacy', 2));
  const rows = tableRows(await k.ok(['get', 'rc']));
  assert.deepEqual(rows[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 4), ['legacy', '2', '2', '2']);
  const victim = (await runningPods('legacy'))[0]!;
  await k.ok(['delete', 'pod', victim, '--wait=false']);
  await eventually('legacy replacement', async () => {
    const now = await runningPods('legacy');
    return now.length === 2 && !now.includes(victim);
  });
  await k.ok(['scale', 'rc', 'legacy', '--replicas=3']);
  await eventually('legacy READY 3', readyIs('rc', 'legacy', 3));
  const source = await k.ok(['get', 'events', '--field-selector', 'involvedObject.kind=ReplicationController,reason=SuccessfulCreate', '-o', 'jsonpath={.items[0].source.component}']);
  assert.equal(source, 'replication-controller');
});
