/** DaemonSet rolling update planning (upstream rollingUpdate) as a table over per-node pod states. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DaemonSetObject } from '../../../main/api/apps/v1/daemon-set.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import { planRollingUpdate, scaledValue } from '../../../main/controllers/daemon-set/daemon-rolling-update.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

/** n=new/o=old, upper case = available, lower case = not ready; e.g. 'O' an available old pod. */
function podsOf(spec: string, node: string): Pod[] {
  return [...spec].map((c, i) => ({
    metadata: { name: `${node}-${i}`, labels: { 'controller-revision-hash': c.toLowerCase() === 'n' ? 'new' : 'old' } },
    spec: { containers: [], nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: c === c.toUpperCase() ? 'True' : 'False' }] },
  }));
}

function ds(maxUnavailable: number | string, maxSurge: number | string): DaemonSetObject {
  return { metadata: { name: 'x' }, spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } } };
}

const cases: { name: string; ds: DaemonSetObject; nodes: string[]; deletes: string[]; creates: string[] }[] = [
  { name: 'maxUnavailable 1: one available old pod goes', ds: ds(1, 0), nodes: ['O', 'O', 'O'], deletes: ['n0-0'], creates: [] },
  { name: 'maxUnavailable 1: an unready new pod blocks', ds: ds(1, 0), nodes: ['n', 'O', 'O'], deletes: [], creates: [] },
  { name: 'maxUnavailable 1: a node without pods counts as unavailable', ds: ds(1, 0), nodes: ['', 'O', 'O'], deletes: [], creates: [] },
  { name: 'maxUnavailable 1: unready old pods are replaced at once, plus one candidate', ds: ds(1, 0), nodes: ['o', 'O', 'O'], deletes: ['n0-0', 'n1-0'], creates: [] },
  { name: 'maxUnavailable 50% of 4 rounds to 2', ds: ds('50%', 0), nodes: ['O', 'O', 'O', 'O'], deletes: ['n0-0', 'n1-0'], creates: [] },
  { name: 'both zero means maxUnavailable 1', ds: ds(0, 0), nodes: ['O', 'O'], deletes: ['n0-0'], creates: [] },
  { name: 'maxSurge 1: a new pod beside one old pod', ds: ds(0, 1), nodes: ['O', 'O', 'O'], deletes: [], creates: ['n0'] },
  { name: 'maxSurge 1: an available new pod retires the old one and frees the surge', ds: ds(0, 1), nodes: ['ON', 'O', 'O'], deletes: ['n0-0'], creates: ['n1'] },
  { name: 'maxSurge 1: a new pod still starting blocks further surge', ds: ds(0, 1), nodes: ['On', 'O'], deletes: [], creates: [] },
  { name: 'maxSurge 1: nodes with unready old pods get new pods regardless', ds: ds(0, 1), nodes: ['o', 'o', 'O'], deletes: [], creates: ['n0', 'n1', 'n2'] },
  { name: 'several old pods on a node: skipped', ds: ds(1, 0), nodes: ['OO'], deletes: [], creates: [] },
];

for (const c of cases) {
  test(`planRollingUpdate: ${c.name}`, () => {
    const nodePods = new Map(c.nodes.map((spec, i) => [`n${i}`, podsOf(spec, `n${i}`)] as const));
    const plan = planRollingUpdate(c.ds, nodePods, 'new', c.nodes.length, NOW);
    assert.deepEqual(plan.deletePods.map((p) => p.metadata.name).sort(), c.deletes);
    assert.deepEqual(plan.createOnNodes.sort(), c.creates);
  });
}

test('scaledValue: integers, percentages rounded up, garbage as 0', () => {
  assert.deepEqual([scaledValue(2, 10), scaledValue('10%', 15), scaledValue('0%', 5), scaledValue(undefined, 5), scaledValue('x', 5)], [2, 2, 0, 0, 0]);
});
