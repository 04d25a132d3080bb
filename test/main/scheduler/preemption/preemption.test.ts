import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickOneNodeForPreemption } from '../../../../main/scheduler/preemption/select-candidate.js';
import { filterPodsWithPDBViolation, selectVictimsOnNode } from '../../../../main/scheduler/preemption/victims.js';
import { DefaultPreemption } from '../../../../main/scheduler/preemption/default-preemption.js';
import { CycleState, NodeInfo, PodInfo, Snapshot, Status } from '../../../../main/scheduler/framework/types.js';
import { createPluginContext, emptyListers, staticLister } from '../../../../main/scheduler/plugin-context.js';
import { cpuFit, node, pod } from '../fake-plugins.js';

const fwk = {
  runFilterWithNominatedPods: (s: CycleState, p: PodInfo, n: NodeInfo) => cpuFit.filter(s, p, n),
  runPreFilterAddPod: () => null,
  runPreFilterRemovePod: () => null,
};

test('victims: lowest priority first evicted, most important reprieved', () => {
  const ni = new NodeInfo(node('n', '3'), pod('v-low', { cpu: '1', priority: 1 }), pod('v-mid', { cpu: '1', priority: 5 }), pod('keep', { cpu: '1', priority: 100 }));
  const sel = selectVictimsOnNode(fwk, new CycleState(), new PodInfo(pod('p', { cpu: '1', priority: 10 })), ni, []);
  assert.equal(sel.status, null);
  assert.deepEqual(sel.victims.map((v) => v.pod.metadata.name), ['v-low']);
});

test('victims: none lower priority → UnschedulableAndUnresolvable "No preemption victims found for incoming pod"', () => {
  const ni = new NodeInfo(node('n', '1'), pod('x', { cpu: '1', priority: 10 }));
  const sel = selectVictimsOnNode(fwk, new CycleState(), new PodInfo(pod('p', { cpu: '1', priority: 10 })), ni, []);
  assert.equal(sel.status?.message(), 'No preemption victims found for incoming pod');
});

test('PDB: pods beyond disruptionsAllowed are violating; empty selector matches nothing', () => {
  const pods = ['a', 'b', 'c'].map((n) => new PodInfo(pod(n, { labels: { app: 'db' } })));
  const pdb = { metadata: { name: 'p', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 1 } };
  const empty = { metadata: { name: 'e', namespace: 'default' }, spec: { selector: {} }, status: { disruptionsAllowed: 0 } };
  const r = filterPodsWithPDBViolation(pods, [pdb, empty]);
  assert.deepEqual(r.nonViolating.map((p) => p.pod.metadata.name), ['a']);
  assert.deepEqual(r.violating.map((p) => p.pod.metadata.name), ['b', 'c']);
});

test('candidate selection follows upstream criteria order', () => {
  const v = (name: string, priority: number, start?: string) => {
    const p = pod(name, { priority });
    if (start) p.status = { startTime: start };
    return new PodInfo(p);
  };
  const c = (nodeName: string, victims: PodInfo[], numPDBViolations = 0) => ({ nodeName, victims, numPDBViolations });
  assert.equal(pickOneNodeForPreemption([c('a', [v('1', 1)], 1), c('b', [v('2', 1), v('3', 1)], 0)])!.nodeName, 'b', 'fewest PDB violations');
  assert.equal(pickOneNodeForPreemption([c('a', [v('1', 5)]), c('b', [v('2', 1), v('3', 2)])])!.nodeName, 'b', 'lowest highest priority');
  assert.equal(pickOneNodeForPreemption([c('a', [v('1', 2), v('2', 2)]), c('b', [v('3', 2), v('4', 1)])])!.nodeName, 'b', 'smallest priority sum');
  assert.equal(pickOneNodeForPreemption([c('a', [v('1', -5), v('2', -5)]), c('b', [v('3', -5)])])!.nodeName, 'b', 'sum counts negative priorities as positive: fewer victims');
  assert.equal(pickOneNodeForPreemption([c('a', [v('1', 1, '2026-01-01T00:00:00Z')]), c('b', [v('2', 1, '2026-01-02T00:00:00Z')])])!.nodeName, 'b', 'latest start');
  assert.equal(pickOneNodeForPreemption([c('a', [v('1', 1, '2026-01-01T00:00:00Z')]), c('b', [v('2', 1, '2026-01-01T00:00:00Z')])])!.nodeName, 'a', 'first');
});

test('DefaultPreemption: evicts on the best node, nominates it; preemptionPolicy Never; nothing helpful', async () => {
  const nodes = [new NodeInfo(node('n1', '1'), pod('low1', { cpu: '1', priority: 1 })), new NodeInfo(node('n2', '1'), pod('high', { cpu: '1', priority: 1000 }))];
  const snapshot = Snapshot.from(nodes);
  const evicted: string[] = [];
  const listers = { ...emptyListers(), podDisruptionBudgets: staticLister([]) };
  const ctx = createPluginContext({ schedulerName: 'default-scheduler', listers, snapshot: () => snapshot, nominatedPodsForNode: () => [] });
  const pl = new DefaultPreemption(ctx, {
    framework: () => fwk, random: () => 0,
    preemptVictim: async (v) => void evicted.push(v.metadata.name!), clearNominatedNodeName: async () => {},
  });
  const preemptor = new PodInfo(pod('p', { cpu: '1', priority: 100 }));
  const m = new Map([['n1', Status.unschedulable('Insufficient cpu')], ['n2', Status.unschedulable('Insufficient cpu')]]);
  const out = await pl.postFilter(new CycleState(), preemptor, m);
  assert.equal(out.status, null);
  assert.equal(out.result?.nominatedNodeName, 'n1');
  assert.deepEqual(evicted, ['low1']);

  const never = new PodInfo({ ...pod('n', { priority: 100 }), spec: { ...pod('n').spec, preemptionPolicy: 'Never' } });
  assert.equal((await pl.postFilter(new CycleState(), never, m)).status?.message(), 'preemption: not eligible due to preemptionPolicy=Never.');

  const unresolvable = new Map([['n1', Status.unresolvable("node(s) didn't match Pod's node affinity/selector")], ['n2', Status.unschedulable('Insufficient cpu')]]);
  const low = new PodInfo(pod('lowp', { cpu: '1', priority: 0 }));
  assert.equal((await pl.postFilter(new CycleState(), low, unresolvable)).status?.message(),
    'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
});
