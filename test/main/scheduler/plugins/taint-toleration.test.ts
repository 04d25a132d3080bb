import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Taint } from '../../../../main/api/core/v1/node.js';
import type { Toleration } from '../../../../main/api/core/v1/pod-types.js';
import { TaintToleration } from '../../../../main/scheduler/plugins/taint-toleration.js';
import { filterOne, makeNode, makePod, nodeInfo, runScore, unresolvable } from './builders.js';

const cases: { name: string; tolerations?: Toleration[]; taints: Taint[]; want: unknown }[] = [
  {
    name: "a pod having no tolerations can't be scheduled onto a node with nonempty taints",
    taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
    want: unresolvable('node(s) had untolerated taint {dedicated: user1}'),
  },
  {
    name: 'a pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
    tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
    taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
    want: 'fits',
  },
  {
    name: "a pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
    taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
    want: unresolvable('node(s) had untolerated taint {dedicated: user1}'),
  },
  {
    name: 'a pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
    tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
    taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
    want: 'fits',
  },
  {
    name: 'a pod has multiple tolerations, node has multiple taints, all the taints are tolerated',
    tolerations: [
      { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
      { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
    ],
    taints: [
      { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
    ],
    want: 'fits',
  },
  {
    name: "a toleration whose key and value match but whose (non-empty) effect doesn't match can't schedule",
    tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
    taints: [{ key: 'foo', value: 'blah', effect: 'NoSchedule' }],
    want: unresolvable('node(s) had untolerated taint {foo: blah}'),
  },
  {
    name: 'a toleration with empty effect tolerates a NoSchedule taint with the same key and value',
    tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }],
    taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
    want: 'fits',
  },
  {
    name: 'an untolerated PreferNoSchedule taint does not filter',
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
    taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
    want: 'fits',
  },
  { name: 'no toleration, PreferNoSchedule taint: fits', taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }], want: 'fits' },
  {
    name: 'NoExecute taints filter too, and the first untolerated taint is reported',
    tolerations: [{ key: 'a', operator: 'Exists' }],
    taints: [
      { key: 'a', value: '1', effect: 'NoExecute' },
      { key: 'b', effect: 'NoExecute' },
      { key: 'c', value: '3', effect: 'NoSchedule' },
    ],
    want: unresolvable('node(s) had untolerated taint {b: }'),
  },
  { name: 'an empty key with Exists tolerates everything', tolerations: [{ operator: 'Exists' }], taints: [{ key: 'x', value: 'y', effect: 'NoExecute' }], want: 'fits' },
];

for (const c of cases) {
  test(`TaintToleration filter: ${c.name}`, () => {
    const ni = nodeInfo(makeNode('n', { taints: c.taints }));
    assert.deepEqual(filterOne(new TaintToleration(), makePod({ tolerations: c.tolerations }), ni), c.want);
  });
}

test('TaintToleration score: the more intolerable PreferNoSchedule taints, the lower the score', () => {
  const pns = (key: string, value: string): Taint => ({ key, value, effect: 'PreferNoSchedule' });
  const nodes = [
    nodeInfo(makeNode('nodeA')),
    nodeInfo(makeNode('nodeB', { taints: [pns('cpu-type', 'arm64')] })),
    nodeInfo(makeNode('nodeC', { taints: [pns('cpu-type', 'arm64'), pns('disk-type', 'ssd')] })),
  ];
  assert.deepEqual(runScore(new TaintToleration(), makePod(), nodes), { nodeA: 100, nodeB: 50, nodeC: 0 });
});

test('TaintToleration score: tolerated taints do not count; only PreferNoSchedule (or effect-less) tolerations apply', () => {
  const pod = makePod({
    tolerations: [
      { key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' },
      { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
    ],
  });
  const nodes = [
    nodeInfo(makeNode('nodeA', { taints: [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }] })),
    nodeInfo(makeNode('nodeB', { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }] })),
    nodeInfo(makeNode('nodeC', { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }] })),
  ];
  assert.deepEqual(runScore(new TaintToleration(), pod, nodes), { nodeA: 100, nodeB: 0, nodeC: 100 });
});
