/**
 * Scheduling through the real kubectl against `pilothouse serve --simulated-nodes 3` (three 4-cpu nodes):
 * nodeSelector, required and preferred node affinity, pod anti-affinity spreading, taints and tolerations,
 * insufficient resources (upstream's FailedScheduling summary in `kubectl describe pod`, and the
 * SchedulingDecision record), cordon/uncordon, preemption honouring a PDB, an unknown schedulerName, and the
 * Scheduled event.
 *
 * The tests share one server and run in order; each uses its own namespace and leaves the nodes as it found
 * them (labels, taints, cordons removed; its pods force-deleted and gone) so the next one starts from three
 * empty, identical nodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { stringify as stringifyYaml } from 'yaml';
import { serveSuite } from '../helpers/serve-suite.js';
import { tableRows } from '../helpers/kubectl.js';

/** test/fixtures/e2e/scheduling, from dist/test/e2e. */
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/e2e/scheduling/', import.meta.url));
const NODES = ['sim-node-1', 'sim-node-2', 'sim-node-3'];
const L = 'e2e.pilothouse.dev';

const { k, eventually } = serveSuite({
  args: ['--simulated-nodes', '3'],
  setUp: async () => {
    await eventually('3 nodes Ready', async () => {
      const rows = tableRows(await k.ok(['get', 'nodes'])).slice(1);
      return rows.length === 3 && rows.every((r) => r[1] === 'Ready');
    });
  },
});

interface PodOpts {
  labels?: Record<string, string>;
  cpu?: string;
  nodeSelector?: Record<string, string>;
  affinity?: unknown;
  tolerations?: unknown[];
  schedulerName?: string;
}

function pod(name: string, o: PodOpts = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      terminationGracePeriodSeconds: 5,
      containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: o.cpu ?? '100m', memory: '64Mi' } } }],
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
    },
  };
}

/**
 * `kubectl create -f -` with the objects as a multi-document YAML stream. Not a v1 List: kubectl validates a
 * List against /openapi/v2, which the server does not serve yet.
 */
async function create(ns: string, ...objects: object[]): Promise<void> {
  await k.ok(['create', '-n', ns, '-f', '-'], { input: objects.map((o) => stringifyYaml(o)).join('---\n') });
}

async function namespace(ns: string): Promise<void> {
  await k.ok(['create', 'namespace', ns]);
}

/** The pod's row of `kubectl get pod -o wide`: [NAME, READY, STATUS, RESTARTS, AGE, IP, NODE, ...]. */
async function wideRow(ns: string, name: string): Promise<string[]> {
  return tableRows(await k.ok(['get', 'pod', name, '-n', ns, '-o', 'wide']))[1]!;
}

/** Waits until the pod is Running on some node (NODE column) and returns that node. */
async function runningNode(ns: string, name: string): Promise<string> {
  let node = '';
  await eventually(`${ns}/${name} Running`, async () => {
    const row = await wideRow(ns, name);
    node = row[6] ?? '';
    return row[2] === 'Running' && NODES.includes(node);
  });
  return node;
}

/** Waits until the pod is bound (NODE column set) and returns the node. */
async function boundNode(ns: string, name: string): Promise<string> {
  let node = '';
  await eventually(`${ns}/${name} bound`, async () => NODES.includes((node = (await wideRow(ns, name))[6] ?? '')));
  return node;
}

/** The newest FailedScheduling message in `kubectl describe pod` (waits for one to appear). */
async function failedScheduling(ns: string, name: string, want?: string): Promise<string> {
  let msg = '';
  const check = async () => {
    const out = await k.ok(['describe', 'pod', name, '-n', ns]);
    const hits = [...out.matchAll(/^\s*Warning\s+FailedScheduling\s+.*?\s{2,}default-scheduler\s+(.+)$/gm)];
    msg = hits.at(-1)?.[1]?.trim() ?? '';
    return want === undefined ? msg !== '' : msg === want;
  };
  await eventually(`FailedScheduling for ${ns}/${name}`, check, 10_000).catch((err: Error) => {
    throw new Error(`${err.message}\n  want: ${want}\n  last: ${msg}`);
  });
  return msg;
}

async function assertPending(ns: string, name: string): Promise<void> {
  const row = await wideRow(ns, name);
  assert.equal(row[2], 'Pending', `${ns}/${name} is Pending`);
  assert.equal(row[6], '<none>', `${ns}/${name} has no node`);
}

/** Force-deletes every pod of the namespace and waits until they are gone (their nodes are free again). */
async function cleanup(ns: string): Promise<void> {
  await k.ok(['delete', 'pods', '--all', '-n', ns, '--grace-period=0', '--force']);
  await eventually(`pods of ${ns} gone`, async () => (await k.ok(['get', 'pods', '-n', ns, '-o', 'name'])).trim() === '');
}

const hostnameAntiAffinity = (app: string) => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' },
    ],
  },
});

const required = (...matchExpressions: object[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
});

const preferred = (weight: number, ...matchExpressions: object[]) => ({
  nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, preference: { matchExpressions } }] },
});

test('nodeSelector: the pod lands on the labelled node, runs, and gets the Scheduled event', async () => {
  const ns = 'sched-selector';
  await namespace(ns);
  await k.ok(['label', 'nodes', 'sim-node-2', `${L}/disk=ssd`]);
  try {
    await create(ns, pod('db', { nodeSelector: { [`${L}/disk`]: 'ssd' } }));
    assert.equal(await runningNode(ns, 'db'), 'sim-node-2');
    // The scheduler's events are posted asynchronously, like upstream's broadcaster.
    await eventually('Scheduled event', async () => {
      const rows = tableRows(await k.ok(['get', 'events', '-n', ns]));
      return rows.some((r) => r[1] === 'Normal' && r[2] === 'Scheduled' && r[3] === 'pod/db' &&
        r[4] === `Successfully assigned ${ns}/db to sim-node-2`);
    });
    const cond = await k.ok(['get', 'pod', 'db', '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].status}']);
    assert.equal(cond, 'True');
  } finally {
    await k.ok(['label', 'nodes', 'sim-node-2', `${L}/disk-`]);
    await cleanup(ns);
  }
});

test('node affinity: required In / NotIn / Exists / DoesNotExist / Gt / Lt, and preferred terms', async () => {
  const ns = 'sched-affinity';
  await namespace(ns);
  await k.ok(['label', 'nodes', 'sim-node-1', `${L}/tier=gold`, `${L}/cores=8`]);
  await k.ok(['label', 'nodes', 'sim-node-2', `${L}/tier=silver`, `${L}/cores=16`]);
  await k.ok(['label', 'nodes', 'sim-node-3', `${L}/cores=32`]);
  try {
    const tier = `${L}/tier`;
    const cores = `${L}/cores`;
    const cases: [string, object, string][] = [
      ['in-gold', required({ key: tier, operator: 'In', values: ['gold'] }), 'sim-node-1'],
      // NotIn also matches nodes without the label.
      ['notin-gold-silver', required({ key: tier, operator: 'NotIn', values: ['gold', 'silver'] }), 'sim-node-3'],
      ['exists-gt-10', required({ key: tier, operator: 'Exists' }, { key: cores, operator: 'Gt', values: ['10'] }), 'sim-node-2'],
      ['doesnotexist', required({ key: tier, operator: 'DoesNotExist' }), 'sim-node-3'],
      ['gt-20', required({ key: cores, operator: 'Gt', values: ['20'] }), 'sim-node-3'],
      ['lt-10', required({ key: cores, operator: 'Lt', values: ['10'] }), 'sim-node-1'],
      ['prefers-silver', preferred(80, { key: tier, operator: 'In', values: ['silver'] }), 'sim-node-2'],
      ['prefers-gt-20', preferred(80, { key: cores, operator: 'Gt', values: ['20'] }), 'sim-node-3'],
    ];
    await create(ns, ...cases.map(([name, affinity]) => pod(name, { affinity })));
    const got = await Promise.all(cases.map(async ([name]) => [name, await boundNode(ns, name)]));
    assert.deepEqual(got, cases.map(([name, , node]) => [name, node]));

    // Nothing matches: Pending, and preemption cannot help (UnschedulableAndUnresolvable on every node).
    await create(ns, pod('nowhere', { affinity: required({ key: tier, operator: 'In', values: ['platinum'] }) }));
    await failedScheduling(ns, 'nowhere',
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await assertPending(ns, 'nowhere');
  } finally {
    await k.ok(['label', 'nodes', '--all', `${L}/tier-`, `${L}/cores-`]);
    await cleanup(ns);
  }
});

test('pod anti-affinity on kubernetes.io/hostname spreads 3 replicas one per node; a 4th stays Pending', async () => {
  const ns = 'sched-anti';
  await namespace(ns);
  try {
    const replica = (i: number) => pod(`web-${i}`, { labels: { app: 'web' }, affinity: hostnameAntiAffinity('web') });
    await create(ns, replica(1), replica(2), replica(3));
    const nodes = await Promise.all([1, 2, 3].map((i) => runningNode(ns, `web-${i}`)));
    assert.deepEqual([...nodes].sort(), NODES);

    await create(ns, replica(4));
    await failedScheduling(ns, 'web-4',
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. " +
      'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.');
    await assertPending(ns, 'web-4');

    // Deleting a replica frees its node: the parked 4th pod is requeued by the pod-deleted event.
    const freed = nodes[0]!;
    await k.ok(['delete', 'pod', 'web-1', '-n', ns, '--grace-period=0', '--force']);
    assert.equal(await boundNode(ns, 'web-4'), freed);
  } finally {
    await cleanup(ns);
  }
});

test('taints and tolerations: NoSchedule keeps pods off; a toleration lets them on; removing the taint requeues', async () => {
  const ns = 'sched-taints';
  await namespace(ns);
  const taint = `${L}/dedicated`;
  try {
    await k.ok(['taint', 'nodes', 'sim-node-1', `${taint}=infra:NoSchedule`]);
    await create(ns, ...[1, 2, 3, 4].map((i) => pod(`app-${i}`)));
    for (const i of [1, 2, 3, 4]) assert.notEqual(await boundNode(ns, `app-${i}`), 'sim-node-1', `app-${i} avoids the tainted node`);

    await k.ok(['taint', 'nodes', 'sim-node-2', 'sim-node-3', `${taint}=infra:NoSchedule`]);
    await create(ns, pod('blocked'));
    const msg = await failedScheduling(ns, 'blocked');
    assert.equal(msg,
      `0/3 nodes are available: 3 node(s) had untolerated taint {${taint}: infra}. ` +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await assertPending(ns, 'blocked');
    const describe = await k.ok(['describe', 'pod', 'blocked', '-n', ns]);
    assert.match(describe, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 node\(s\) had untolerated taint/);

    await create(ns, pod('tolerant', { tolerations: [{ key: taint, operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] }));
    assert.ok(NODES.includes(await runningNode(ns, 'tolerant')));
    await assertPending(ns, 'blocked');

    await k.ok(['taint', 'nodes', '--all', `${taint}-`]);
    assert.ok(NODES.includes(await boundNode(ns, 'blocked')), 'a node update requeues the parked pod');
  } finally {
    await k(['taint', 'nodes', '--all', `${taint}-`]);
    await cleanup(ns);
  }
});

test('insufficient cpu: Pending with upstream’s summary in kubectl describe; the decision names NodeResourcesFit per node', async () => {
  const ns = 'sched-resources';
  await namespace(ns);
  try {
    await create(ns, pod('huge', { cpu: '5' }));
    const want = '0/3 nodes are available: 3 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    await failedScheduling(ns, 'huge', want);
    await assertPending(ns, 'huge');
    const describe = await k.ok(['describe', 'pod', 'huge', '-n', ns]);
    assert.match(describe, /^\s*Warning\s+FailedScheduling\s+\S+.*\s{2,}default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/m);
    assert.match(describe, /PodScheduled\s+False/);
    const cond = JSON.parse(await k.ok(['get', 'pod', 'huge', '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")]}'])) as
      { status: string; reason: string; message: string };
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', want]);

    // The decision record, through kubectl (short name sd).
    const sd = JSON.parse(await k.ok(['get', 'sd', 'huge', '-n', ns, '-o', 'json'])) as {
      status: { result: string; message: string; numAllNodes: number; feasibleNodes: number };
      attempts: { filterFailures: { node: string; plugin: string; reasons: string[] }[]; reasonCounts: Record<string, number> }[];
    };
    assert.equal(sd.status.result, 'Unschedulable');
    assert.equal(sd.status.message, want);
    assert.deepEqual([sd.status.numAllNodes, sd.status.feasibleNodes], [3, 0]);
    const last = sd.attempts.at(-1)!;
    assert.deepEqual(last.reasonCounts, { 'Insufficient cpu': 3 });
    assert.deepEqual(
      last.filterFailures.map((f) => [f.node, f.plugin, f.reasons]).sort(),
      NODES.map((n) => [n, 'NodeResourcesFit', ['Insufficient cpu']]),
    );
    const yaml = await k.ok(['get', 'sd', 'huge', '-n', ns, '-o', 'yaml']);
    for (const n of NODES) assert.match(yaml, new RegExp(`node: ${n}\\n\\s+plugin: NodeResourcesFit`));
    const row = tableRows(await k.ok(['get', 'sd', '-n', ns]));
    assert.equal(row[1]?.[0], 'huge');
    assert.ok(row[1]?.includes('Unschedulable'), `get sd row: ${row[1]?.join(' | ')}`);
  } finally {
    await cleanup(ns);
  }
});

test('cordon: new pods avoid the node (SchedulingDisabled); uncordon schedules the pod that waited for it', async () => {
  const ns = 'sched-cordon';
  await namespace(ns);
  try {
    await k.ok(['cordon', 'sim-node-1']);
    const status = tableRows(await k.ok(['get', 'nodes'])).find((r) => r[0] === 'sim-node-1')?.[1];
    assert.equal(status, 'Ready,SchedulingDisabled');
    await create(ns, ...[1, 2, 3, 4].map((i) => pod(`app-${i}`)));
    for (const i of [1, 2, 3, 4]) assert.notEqual(await boundNode(ns, `app-${i}`), 'sim-node-1');

    await create(ns, pod('pinned', { nodeSelector: { 'kubernetes.io/hostname': 'sim-node-1' } }));
    await failedScheduling(ns, 'pinned',
      "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
    await assertPending(ns, 'pinned');

    await k.ok(['uncordon', 'sim-node-1']);
    assert.equal(tableRows(await k.ok(['get', 'nodes'])).find((r) => r[0] === 'sim-node-1')?.[1], 'Ready');
    assert.equal(await runningNode(ns, 'pinned'), 'sim-node-1');
  } finally {
    await k(['uncordon', 'sim-node-1']);
    await cleanup(ns);
  }
});

test('preemption: a high-priority pod preempts the low-priority pod whose eviction violates no PDB', async () => {
  const ns = 'sched-preempt';
  await namespace(ns);
  try {
    await k.ok(['apply', '-f', `${FIXTURES}priority-classes.yaml`]);
    await k.ok(['apply', '-n', ns, '-f', `${FIXTURES}protected-pdb.yaml`]);
    await k.ok(['apply', '-n', ns, '-f', `${FIXTURES}low-priority-pods.yaml`]);
    const lowNodes = await Promise.all(['low-1', 'low-2', 'low-3'].map((p) => runningNode(ns, p)));
    assert.deepEqual([...lowNodes].sort(), NODES, 'one 3-cpu pod per 4-cpu node');
    const freeNode = lowNodes[0]!;
    assert.equal(await k.ok(['get', 'pod', 'low-1', '-n', ns, '-o', 'jsonpath={.spec.priority}']), '10');

    await k.ok(['apply', '-n', ns, '-f', `${FIXTURES}high-priority-pod.yaml`]);
    const uid = await k.ok(['get', 'pod', 'critical', '-n', ns, '-o', 'jsonpath={.metadata.uid}']);
    assert.equal(await runningNode(ns, 'critical'), freeNode, 'scheduled where the unprotected victim was');
    await eventually('low-1 gone', async () => (await k(['get', 'pod', 'low-1', '-n', ns])).code !== 0);
    // The protected pods were left alone.
    for (const p of ['low-2', 'low-3']) assert.equal((await wideRow(ns, p))[2], 'Running');

    await eventually('Preempted event', async () => {
      const rows = tableRows(await k.ok(['get', 'events', '-n', ns, '--field-selector', 'reason=Preempted']));
      return rows.some((r) => r[1] === 'Normal' && r[3] === 'pod/low-1' && r[4] === `Preempted by pod ${uid} on node ${freeNode}`);
    });
    await eventually('Scheduled event for critical', async () =>
      (await k.ok(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=critical,reason=Scheduled', '-o', 'jsonpath={.items[*].message}']))
        .includes(`Successfully assigned ${ns}/critical to ${freeNode}`));
  } finally {
    await cleanup(ns);
    await k(['delete', '-f', `${FIXTURES}priority-classes.yaml`]);
  }
});

test('schedulerName: a pod for an unknown scheduler stays Pending with no event and no decision', async () => {
  const ns = 'sched-other';
  await namespace(ns);
  try {
    await create(ns, pod('elsewhere', { schedulerName: 'my-scheduler' }), pod('here'));
    await runningNode(ns, 'here'); // the default scheduler is working meanwhile
    await new Promise((r) => setTimeout(r, 1500));
    await assertPending(ns, 'elsewhere');
    const events = await k.ok(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=elsewhere', '-o', 'name']);
    assert.equal(events.trim(), '');
    assert.match(await k.ok(['describe', 'pod', 'elsewhere', '-n', ns]), /Events:\s+<none>/);
    const sd = await k(['get', 'sd', 'elsewhere', '-n', ns]);
    assert.notEqual(sd.code, 0);
    assert.match(sd.stderr, /NotFound|not found/);
  } finally {
    await cleanup(ns);
  }
});
