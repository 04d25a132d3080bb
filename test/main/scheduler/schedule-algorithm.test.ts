import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScheduleAlgorithm, numFeasibleNodesToFind } from '../../../main/scheduler/schedule-algorithm.js';
import { FitError, formatFitError, newDiagnosis } from '../../../main/scheduler/fit-error.js';
import { CycleState, NodeInfo, PodInfo, Snapshot, Status } from '../../../main/scheduler/framework/types.js';
import { cpuFit, node, pod, rejectFilter, runtime, tableScore } from './fake-plugins.js';

test('numFeasibleNodesToFind as upstream', () => {
  const cases: [number | undefined, number, number][] = [
    [undefined, 10, 10], [undefined, 99, 99], [undefined, 100, 100], [undefined, 1000, 420], [undefined, 5000, 500],
    [undefined, 6000, 300], [undefined, 50000, 2500], [10, 1000, 100], [50, 1000, 500], [1, 1000, 100], [100, 3000, 3000],
  ];
  for (const [pct, n, want] of cases) assert.equal(numFeasibleNodesToFind(pct, n), want, `${pct}% of ${n}`);
});

const snap = (n: number, cpu = '4') => Snapshot.from(Array.from({ length: n }, (_, i) => new NodeInfo(node(`n${i}`, cpu))));

test('filter stops after numFeasibleNodesToFind and the start index rotates', () => {
  const fwk = runtime({ CpuFit: cpuFit }, { multiPoint: [{ name: 'CpuFit' }] });
  const algo = new ScheduleAlgorithm();
  const s = snap(1000);
  const r = algo.schedulePod(fwk, new CycleState(), new PodInfo(pod('p')), s);
  assert.equal(r.feasibleNodes, 420);
  assert.equal(r.evaluatedNodes, 420);
  assert.equal(algo.nextStartNodeIndex, 420);
  algo.schedulePod(fwk, new CycleState(), new PodInfo(pod('q')), s);
  assert.equal(algo.nextStartNodeIndex, 840);
});

test('weights and normalization decide; ties break at random', () => {
  const fwk = runtime({ A: tableScore('A', { n0: 10, n1: 5, n2: 0 }, true), B: tableScore('B', { n0: 0, n1: 60, n2: 100 }) },
    { multiPoint: [{ name: 'A', weight: 1 }, { name: 'B', weight: 2 }] });
  const r = new ScheduleAlgorithm().schedulePod(fwk, new CycleState(), new PodInfo(pod('p')), snap(3));
  // n0: 100 + 0, n1: 50 + 120, n2: 0 + 200
  assert.equal(r.suggestedHost, 'n2');
  const n1 = r.scores!.find((s) => s.name === 'n1')!;
  assert.deepEqual(n1.scores, [{ plugin: 'A', raw: 5, normalized: 50, weighted: 50 }, { plugin: 'B', raw: 60, normalized: 60, weighted: 120 }]);
  const tie = runtime({ A: tableScore('A', {}) }, { multiPoint: [{ name: 'A' }] });
  const seen = new Set<string>();
  let x = 0;
  const algo = new ScheduleAlgorithm({ random: () => ((x = (x * 9301 + 49297) % 233280), x / 233280) });
  for (let i = 0; i < 50; i++) seen.add(algo.schedulePod(tie, new CycleState(), new PodInfo(pod('p')), snap(3)).suggestedHost);
  assert.equal(seen.size, 3);
});

test('no feasible node: FitError with reasons counted per node, sorted', () => {
  const fwk = runtime({ T: rejectFilter('TaintToleration', new Set(['n0']), 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'), CpuFit: cpuFit },
    { multiPoint: [{ name: 'T' }, { name: 'CpuFit' }] });
  const s = snap(3, '1');
  assert.throws(() => new ScheduleAlgorithm().schedulePod(fwk, new CycleState(), new PodInfo(pod('big', { cpu: '2' })), s), (e: unknown) => {
    assert.ok(e instanceof FitError);
    assert.equal(e.message, '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.');
    assert.deepEqual([...e.diagnosis.unschedulablePlugins].sort(), ['CpuFit', 'TaintToleration']);
    return true;
  });
});

test('FitError message formatting table', () => {
  const st = (...r: string[]) => Status.unschedulable(...r);
  const cases: { nodes: [string, Status][]; pre?: string; post?: string; want: string }[] = [
    { nodes: [['a', st('Insufficient cpu')], ['b', st('Insufficient cpu', 'Insufficient memory')]], want: '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.' },
    { nodes: [['a', st("node(s) didn't match Pod's node affinity/selector")]], post: 'preemption: not eligible due to preemptionPolicy=Never.',
      want: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: not eligible due to preemptionPolicy=Never." },
    { nodes: [['a', st('x')], ['b', st('x')]], pre: 'pod has unbound immediate PersistentVolumeClaims', want: '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.' },
    { nodes: [], want: '0/0 nodes are available:' },
    { nodes: Array.from({ length: 12 }, (_, i) => [`n${i}`, st(i < 10 ? 'B' : 'A')] as [string, Status]), want: '0/12 nodes are available: 10 B, 2 A.' },
  ];
  for (const c of cases) {
    const d = newDiagnosis();
    for (const [n, s] of c.nodes) d.nodeToStatus.set(n, s);
    d.preFilterMsg = c.pre ?? '';
    d.postFilterMsg = c.post ?? '';
    assert.equal(formatFitError(c.nodes.length, d), c.want);
  }
});

test('empty cluster: "no nodes available to schedule pods"', () => {
  const fwk = runtime({ CpuFit: cpuFit }, { multiPoint: [{ name: 'CpuFit' }] });
  assert.throws(() => new ScheduleAlgorithm().schedulePod(fwk, new CycleState(), new PodInfo(pod('p')), new Snapshot()), /no nodes available to schedule pods/);
});
