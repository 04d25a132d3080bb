import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecisionStore } from '../../../main/scheduler/decisions/decision-store.js';
import { newDiagnosis } from '../../../main/scheduler/fit-error.js';
import { Status } from '../../../main/scheduler/framework/types.js';
import { ProfileConfigError } from '../../../main/scheduler/runtime/framework-runtime.js';
import { cpuFit, pod, runtime } from './fake-plugins.js';

test('decision store: bounded pods and attempts, filter failures and top scores', () => {
  const s = new DecisionStore({ maxPods: 2, maxAttemptsPerPod: 2, maxScoredNodes: 1 });
  const p = pod('a');
  const d = newDiagnosis();
  d.nodeToStatus.set('n1', Status.unschedulable('Insufficient cpu').withPlugin('NodeResourcesFit'));
  for (let i = 1; i <= 3; i++) s.record({ pod: p, schedulerName: 'default-scheduler', attempt: i, startedAt: 0, durationMs: 1, result: 'Unschedulable', message: 'm', numAllNodes: 1, evaluatedNodes: 1, feasibleNodes: 0, diagnosis: d });
  const obj = s.get('default', 'a')!;
  assert.deepEqual(obj.attempts!.map((a) => a.attempt), [2, 3]);
  assert.deepEqual(obj.attempts![1]!.filterFailures, [{ node: 'n1', plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] }]);
  s.record({ pod: pod('b'), schedulerName: 'x', attempt: 1, startedAt: 0, durationMs: 1, result: 'Binding', node: 'n2', numAllNodes: 2, evaluatedNodes: 2, feasibleNodes: 2,
    scores: [{ name: 'n1', scores: [], totalScore: 5 }, { name: 'n2', scores: [{ plugin: 'A', raw: 1, normalized: 1, weighted: 2 }], totalScore: 2 }], weights: new Map([['A', 2]]) });
  s.updateLatest(pod('b'), { result: 'Scheduled' });
  s.record({ pod: pod('c'), schedulerName: 'x', attempt: 1, startedAt: 0, durationMs: 1, result: 'Scheduled', numAllNodes: 0, evaluatedNodes: 0, feasibleNodes: 0 });
  assert.equal(s.size, 2);
  assert.equal(s.get('default', 'a'), undefined, 'least recently attempted dropped');
  const b = s.list('default').find((x) => x.metadata.name === 'b')!;
  assert.deepEqual(b.attempts![0]!.scores!.map((x) => x.node), ['n1', 'n2'], 'top 1 plus the chosen node');
  assert.equal(b.attempts![0]!.scores![1]!.plugins[0]!.weight, 2);
});

test('profiles: multiPoint enables plugins where they implement; unknown plugin is a config error', () => {
  const fwk = runtime({ CpuFit: cpuFit }, { multiPoint: [{ name: 'CpuFit' }] });
  assert.deepEqual(fwk.filterPlugins.map((p) => p.name), ['CpuFit']);
  assert.equal(fwk.scorePlugins.length, 0);
  assert.throws(() => runtime({}, { multiPoint: [{ name: 'Nope' }] }), ProfileConfigError);
});
