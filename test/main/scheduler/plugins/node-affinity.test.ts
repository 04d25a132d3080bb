import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD, NodeAffinity } from '../../../../main/scheduler/plugins/node-affinity.js';
import { makeNode, makePod, nodeInfo, runFilter, runScore, unresolvable } from './builders.js';

type Req = { key: string; operator: string; values?: string[] };
const required = (...terms: { matchExpressions?: Req[]; matchFields?: Req[] }[]) => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const FAIL = unresolvable(ERR_REASON_POD);

const cases: { name: string; pod: Parameters<typeof makePod>[0]; labels?: Record<string, string>; nodeName?: string; want: unknown }[] = [
  { name: 'no selector', pod: {}, want: 'fits' },
  { name: 'missing labels', pod: { nodeSelector: { foo: 'bar' } }, want: FAIL },
  { name: 'same labels', pod: { nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar' }, want: 'fits' },
  { name: 'node labels are superset', pod: { nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar', baz: 'blah' }, want: 'fits' },
  { name: 'node labels are subset', pod: { nodeSelector: { foo: 'bar', baz: 'blah' } }, labels: { foo: 'bar' }, want: FAIL },
  {
    name: 'matchExpressions using In operator that matches the existing node',
    pod: { affinity: required({ matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar', 'value2'] }] }) },
    labels: { foo: 'bar' },
    want: 'fits',
  },
  {
    name: 'matchExpressions using Gt operator that matches the existing node',
    pod: { affinity: required({ matchExpressions: [{ key: 'kernel-version', operator: 'Gt', values: ['0204'] }] }) },
    labels: { 'kernel-version': '0206' },
    want: 'fits',
  },
  {
    name: 'matchExpressions using Lt operator that does not match',
    pod: { affinity: required({ matchExpressions: [{ key: 'kernel-version', operator: 'Lt', values: ['0204'] }] }) },
    labels: { 'kernel-version': '0206' },
    want: FAIL,
  },
  {
    name: 'Gt with a non-integer label value does not match',
    pod: { affinity: required({ matchExpressions: [{ key: 'kernel-version', operator: 'Gt', values: ['1'] }] }) },
    labels: { 'kernel-version': 'v2' },
    want: FAIL,
  },
  {
    name: "matchExpressions using NotIn operator that doesn't match the existing node",
    pod: { affinity: required({ matchExpressions: [{ key: 'mem-type', operator: 'NotIn', values: ['DDR', 'DDR2'] }] }) },
    labels: { 'mem-type': 'DDR3' },
    want: 'fits',
  },
  {
    name: 'matchExpressions using Exists operator that matches the existing node',
    pod: { affinity: required({ matchExpressions: [{ key: 'GPU', operator: 'Exists' }] }) },
    labels: { GPU: 'NVIDIA-GRID-K1' },
    want: 'fits',
  },
  {
    name: 'DoesNotExist on a node without the label',
    pod: { affinity: required({ matchExpressions: [{ key: 'GPU', operator: 'DoesNotExist' }] }) },
    labels: { foo: 'bar' },
    want: 'fits',
  },
  {
    name: "affinity that don't match node's labels won't schedule onto the node",
    pod: { affinity: required({ matchExpressions: [{ key: 'foo', operator: 'In', values: ['value1', 'value2'] }] }) },
    labels: { foo: 'bar' },
    want: FAIL,
  },
  { name: 'a nil []NodeSelectorTerm in affinity matches no node', pod: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } }, labels: { foo: 'bar' }, want: FAIL },
  { name: 'an empty NodeSelectorTerm matches no node', pod: { affinity: required({}) }, labels: { foo: 'bar' }, want: FAIL },
  { name: 'an empty MatchExpressions list matches no node', pod: { affinity: required({ matchExpressions: [] }) }, labels: { foo: 'bar' }, want: FAIL },
  {
    name: 'In without values is invalid and matches nothing',
    pod: { affinity: required({ matchExpressions: [{ key: 'foo', operator: 'In', values: [] }] }) },
    labels: { foo: 'bar' },
    want: FAIL,
  },
  {
    name: 'terms are ORed: the second term matches',
    pod: {
      affinity: required(
        { matchExpressions: [{ key: 'foo', operator: 'In', values: ['nope'] }] },
        { matchExpressions: [{ key: 'diffkey', operator: 'In', values: ['wrong', 'value2'] }] },
      ),
    },
    labels: { foo: 'bar', diffkey: 'value2' },
    want: 'fits',
  },
  {
    name: 'expressions in one term are ANDed',
    pod: { affinity: required({ matchExpressions: [{ key: 'foo', operator: 'Exists' }, { key: 'bar', operator: 'Exists' }] }) },
    labels: { foo: 'bar' },
    want: FAIL,
  },
  {
    name: 'nodeSelector and affinity must both match',
    pod: { nodeSelector: { foo: 'bar' }, affinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }) },
    labels: { foo: 'bar', zone: 'b' },
    want: FAIL,
  },
  {
    name: 'matchFields metadata.name NotIn',
    pod: { affinity: required({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node1'] }] }) },
    nodeName: 'node1',
    want: FAIL,
  },
  {
    name: 'matchFields and matchExpressions in one term are ANDed',
    pod: { affinity: required({ matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node2'] }] }) },
    labels: { foo: 'bar' },
    nodeName: 'node1',
    want: 'fits',
  },
];

for (const c of cases) {
  test(`NodeAffinity filter: ${c.name}`, () => {
    const ni = nodeInfo(makeNode(c.nodeName ?? 'node1', { labels: c.labels }));
    assert.deepEqual(runFilter(new NodeAffinity(), makePod(c.pod), [ni]).get(ni.name), c.want);
  });
}

test('NodeAffinity PreFilter narrows to metadata.name matchFields (union of terms, intersection within a term)', () => {
  const nodes = ['node1', 'node2', 'node3'].map((n) => nodeInfo(makeNode(n)));
  const f = (values: string[]) => ({ key: 'metadata.name', operator: 'In', values });
  const run = (pod: ReturnType<typeof makePod>) => Object.fromEntries(runFilter(new NodeAffinity(), pod, nodes));
  assert.deepEqual(run(makePod({ affinity: required({ matchFields: [f(['node1'])] }) })), { node1: 'fits', node2: 'excluded', node3: 'excluded' });
  assert.deepEqual(run(makePod({ affinity: required({ matchFields: [f(['node1'])] }, { matchFields: [f(['node2'])] }) })), {
    node1: 'fits',
    node2: 'fits',
    node3: 'excluded',
  });
  // PreFilter intersects to node2; Filter then rejects it, since a field requirement takes exactly one value
  // (upstream's field selector conversion fails and the term matches nothing).
  assert.deepEqual(run(makePod({ affinity: required({ matchFields: [f(['node1', 'node2']), f(['node2', 'node3'])] }) })), {
    node1: 'excluded',
    node2: unresolvable(ERR_REASON_POD),
    node3: 'excluded',
  });
  // a term without a name requirement admits every node
  assert.deepEqual(run(makePod({ affinity: required({ matchFields: [f(['node1'])] }, { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }) })), {
    node1: 'fits',
    node2: 'fits',
    node3: 'fits',
  });
  const conflict = run(makePod({ affinity: required({ matchFields: [f(['node1']), f(['node2'])] }) }));
  assert.deepEqual(conflict.node1, unresolvable(ERR_REASON_CONFLICT));
});

test('NodeAffinity: scheduler-enforced addedAffinity is checked first', () => {
  const pl = new NodeAffinity({ addedAffinity: required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }).nodeAffinity });
  const nodes = [nodeInfo(makeNode('a', { labels: { zone: 'a' } })), nodeInfo(makeNode('b', { labels: { zone: 'b' } }))];
  const out = runFilter(pl, makePod(), nodes);
  assert.equal(out.get('a'), 'fits');
  assert.deepEqual(out.get('b'), unresolvable(ERR_REASON_ENFORCED));
});

test('NodeAffinity score: weights of matching preferred terms, normalized to 100 (upstream case)', () => {
  const pref = (weight: number, ...exprs: Req[]) => ({ weight, preference: { matchExpressions: exprs } });
  const pod = makePod({
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          pref(2, { key: 'foo', operator: 'In', values: ['bar'] }),
          pref(4, { key: 'key', operator: 'In', values: ['value'] }),
          pref(5, { key: 'foo', operator: 'In', values: ['bar'] }, { key: 'key', operator: 'In', values: ['value'] }, { key: 'az', operator: 'In', values: ['az1'] }),
        ],
      },
    },
  });
  const nodes = [
    nodeInfo(makeNode('node1', { labels: { foo: 'bar' } })),
    nodeInfo(makeNode('node5', { labels: { foo: 'bar', key: 'value', az: 'az1' } })),
    nodeInfo(makeNode('node2', { labels: { key: 'value' } })),
  ];
  assert.deepEqual(runScore(new NodeAffinity(), pod, nodes), { node1: 18, node5: 100, node2: 36 });
  // no preferred terms: PreScore skips
  assert.deepEqual(runScore(new NodeAffinity(), makePod(), nodes), { node1: 0, node5: 0, node2: 0 });
  // preferred terms matching no node: all 0
  const none = makePod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(3, { key: 'x', operator: 'Exists' })] } } });
  assert.deepEqual(runScore(new NodeAffinity(), none, nodes), { node1: 0, node5: 0, node2: 0 });
});
