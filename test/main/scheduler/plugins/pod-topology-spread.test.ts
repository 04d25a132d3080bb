import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../../../../main/api/meta/object.js';
import type { NodeInfo } from '../../../../main/scheduler/framework/types.js';
import { PodTopologySpread } from '../../../../main/scheduler/plugins/pod-topology-spread.js';
import { ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from '../../../../main/scheduler/plugins/pod-topology-spread-filter.js';
import { fakeContext, makeNode, makePod, nodeInfo, runFilter, runScore, unresolvable, unschedulable, type ListerData } from './builders.js';

const HOST = 'kubernetes.io/hostname';
const node = (name: string, zone?: string, extra: Record<string, string> = {}) =>
  makeNode(name, { labels: { [HOST]: name, ...(zone ? { zone } : {}), ...extra } });
const foo = (o: Parameters<typeof makePod>[0] = {}) => makePod({ labels: { foo: '' }, ...o });
const constraint = (maxSkew: number, topologyKey: string, when = 'DoNotSchedule', extra: Record<string, unknown> = {}) => ({
  maxSkew,
  topologyKey,
  whenUnsatisfiable: when,
  labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
  ...extra,
});

function filter(pod: ReturnType<typeof makePod>, nodes: NodeInfo[]) {
  return Object.fromEntries(runFilter(new PodTopologySpread(fakeContext(nodes)), pod, nodes));
}
const SKEW = unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);

test('PodTopologySpread filter: no existing pods, all nodes fit', () => {
  const nodes = [nodeInfo(node('node-a', 'zone1')), nodeInfo(node('node-b', 'zone1')), nodeInfo(node('node-x', 'zone2')), nodeInfo(node('node-y', 'zone2'))];
  const pod = foo({ topologySpreadConstraints: [constraint(1, 'zone')] });
  assert.deepEqual(filter(pod, nodes), { 'node-a': 'fits', 'node-b': 'fits', 'node-x': 'fits', 'node-y': 'fits' });
});

test('PodTopologySpread filter: pods spread across zones as 3/3 (all fit), 3/1 (only zone2 fits)', () => {
  const nodes = [
    nodeInfo(node('node-a', 'zone1'), foo(), foo()),
    nodeInfo(node('node-b', 'zone1'), foo()),
    nodeInfo(node('node-x', 'zone2'), foo(), foo()),
    nodeInfo(node('node-y', 'zone2'), foo()),
  ];
  const pod = foo({ topologySpreadConstraints: [constraint(1, 'zone')] });
  assert.deepEqual(filter(pod, nodes), { 'node-a': 'fits', 'node-b': 'fits', 'node-x': 'fits', 'node-y': 'fits' });
  const uneven = [nodes[0]!, nodes[1]!, nodeInfo(node('node-x', 'zone2'), foo()), nodeInfo(node('node-y', 'zone2'))];
  assert.deepEqual(filter(pod, uneven), { 'node-a': SKEW, 'node-b': SKEW, 'node-x': 'fits', 'node-y': 'fits' });
});

test('PodTopologySpread filter: a node without the topology label is unresolvable, and is not a domain', () => {
  const nodes = [nodeInfo(node('node-a', 'zone1'), foo()), nodeInfo(node('node-b'), foo(), foo()), nodeInfo(node('node-x', 'zone2'), foo(), foo())];
  const pod = foo({ topologySpreadConstraints: [constraint(1, 'zone')] });
  assert.deepEqual(filter(pod, nodes), { 'node-a': 'fits', 'node-b': unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH), 'node-x': SKEW });
});

test('PodTopologySpread filter: pods spread across nodes as 2/1/0/3 with maxSkew 1 and 2', () => {
  const nodes = [
    nodeInfo(node('node-a', 'zone1'), foo(), foo()),
    nodeInfo(node('node-b', 'zone1'), foo()),
    nodeInfo(node('node-x', 'zone2')),
    nodeInfo(node('node-y', 'zone2'), foo(), foo(), foo()),
  ];
  assert.deepEqual(filter(foo({ topologySpreadConstraints: [constraint(1, HOST)] }), nodes), { 'node-a': SKEW, 'node-b': SKEW, 'node-x': 'fits', 'node-y': SKEW });
  assert.deepEqual(filter(foo({ topologySpreadConstraints: [constraint(2, HOST)] }), nodes), { 'node-a': SKEW, 'node-b': 'fits', 'node-x': 'fits', 'node-y': SKEW });
  // an incoming pod that does not match its own selector does not add itself
  assert.deepEqual(filter(makePod({ labels: { bar: '' }, topologySpreadConstraints: [constraint(1, HOST)] }), nodes), {
    'node-a': SKEW,
    'node-b': 'fits',
    'node-x': 'fits',
    'node-y': SKEW,
  });
});

test('PodTopologySpread filter: pods in other namespaces and terminating pods do not count', () => {
  const nodes = [nodeInfo(node('node-a', 'zone1'), foo({ namespace: 'ns2' }), foo({ deleting: true })), nodeInfo(node('node-x', 'zone2'))];
  assert.deepEqual(filter(foo({ topologySpreadConstraints: [constraint(1, 'zone')] }), nodes), { 'node-a': 'fits', 'node-x': 'fits' });
});

test('PodTopologySpread filter: minDomains treats the global minimum as 0 while domains are too few', () => {
  const nodes = [nodeInfo(node('node-a', 'zone1'), foo()), nodeInfo(node('node-x', 'zone2'), foo())];
  assert.deepEqual(filter(foo({ topologySpreadConstraints: [constraint(1, 'zone')] }), nodes), { 'node-a': 'fits', 'node-x': 'fits' });
  assert.deepEqual(filter(foo({ topologySpreadConstraints: [constraint(1, 'zone', 'DoNotSchedule', { minDomains: 3 })] }), nodes), {
    'node-a': SKEW,
    'node-x': SKEW,
  });
});

test('PodTopologySpread filter: nodeAffinityPolicy Honor excludes nodes the pod cannot use; Ignore counts them', () => {
  const nodes = [
    nodeInfo(node('node-a', 'zone1', { env: 'prod' }), foo()),
    nodeInfo(node('node-x', 'zone2', { env: 'prod' }), foo()),
    nodeInfo(node('node-y', 'zone3')),
  ];
  const honor = foo({ nodeSelector: { env: 'prod' }, topologySpreadConstraints: [constraint(1, 'zone')] });
  assert.deepEqual(filter(honor, nodes), { 'node-a': 'fits', 'node-x': 'fits', 'node-y': 'fits' });
  const ignore = foo({ nodeSelector: { env: 'prod' }, topologySpreadConstraints: [constraint(1, 'zone', 'DoNotSchedule', { nodeAffinityPolicy: 'Ignore' })] });
  assert.deepEqual(filter(ignore, nodes), { 'node-a': SKEW, 'node-x': SKEW, 'node-y': 'fits' });
});

test('PodTopologySpread filter: nodeTaintsPolicy Honor drops untolerated tainted nodes from the domains', () => {
  const tainted = makeNode('node-y', { labels: { [HOST]: 'node-y', zone: 'zone3' }, taints: [{ key: 'k', effect: 'NoSchedule' }] });
  const nodes = [nodeInfo(node('node-a', 'zone1'), foo()), nodeInfo(node('node-x', 'zone2'), foo()), nodeInfo(tainted)];
  assert.deepEqual(filter(foo({ topologySpreadConstraints: [constraint(1, 'zone')] }), nodes), { 'node-a': SKEW, 'node-x': SKEW, 'node-y': 'fits' });
  const honor = foo({ topologySpreadConstraints: [constraint(1, 'zone', 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })] });
  // zone3 is no domain now: node-y counts 0 against a minimum of 1 (TaintToleration rejects it separately)
  assert.deepEqual(filter(honor, nodes), { 'node-a': 'fits', 'node-x': 'fits', 'node-y': 'fits' });
  const honorTwo = foo({ topologySpreadConstraints: [constraint(1, 'zone', 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' })] });
  const more = [nodeInfo(node('node-a', 'zone1'), foo(), foo()), nodeInfo(node('node-x', 'zone2'), foo()), nodeInfo(tainted)];
  assert.deepEqual(filter(honorTwo, more), { 'node-a': SKEW, 'node-x': 'fits', 'node-y': 'fits' });
});

test('PodTopologySpread filter: matchLabelKeys narrows the selector to pods with the same label value', () => {
  const v = (rev: string) => makePod({ labels: { foo: '', rev } });
  const nodes = [nodeInfo(node('node-a', 'zone1'), v('1'), v('1')), nodeInfo(node('node-x', 'zone2'), v('2'))];
  const pod = makePod({ labels: { foo: '', rev: '2' }, topologySpreadConstraints: [constraint(1, 'zone', 'DoNotSchedule', { matchLabelKeys: ['rev'] })] });
  // only rev=2 pods count: zone1 0, zone2 1 → zone2 would be 2 − 0 > 1
  assert.deepEqual(filter(pod, nodes), { 'node-a': 'fits', 'node-x': SKEW });
});

test('PodTopologySpread filter: two constraints must both hold', () => {
  const nodes = [
    nodeInfo(node('node-a', 'zone1'), foo()),
    nodeInfo(node('node-b', 'zone1')),
    nodeInfo(node('node-x', 'zone2'), foo(), foo()),
    nodeInfo(node('node-y', 'zone2')),
  ];
  const pod = foo({ topologySpreadConstraints: [constraint(1, 'zone'), constraint(1, HOST)] });
  assert.deepEqual(filter(pod, nodes), { 'node-a': SKEW, 'node-b': 'fits', 'node-x': SKEW, 'node-y': SKEW });
});

function score(pod: ReturnType<typeof makePod>, filtered: NodeInfo[], all: NodeInfo[] = filtered, data: ListerData = {}, args = {}) {
  return runScore(new PodTopologySpread(fakeContext(all, data), args), pod, filtered);
}

test('PodTopologySpread score: one hostname constraint, 4 candidate nodes (upstream case)', () => {
  const nodes = [
    nodeInfo(node('node-a'), foo(), foo()),
    nodeInfo(node('node-b'), foo()),
    nodeInfo(node('node-c')),
    nodeInfo(node('node-d'), foo(), foo(), foo()),
  ];
  const pod = foo({ topologySpreadConstraints: [constraint(1, HOST, 'ScheduleAnyway')] });
  assert.deepEqual(score(pod, nodes), { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 });
});

test('PodTopologySpread score: no existing pods → all 100; nodes lacking the key score 0', () => {
  const nodes = [nodeInfo(node('node-a', 'zone1')), nodeInfo(node('node-b', 'zone2')), nodeInfo(makeNode('node-c'))];
  const pod = foo({ topologySpreadConstraints: [constraint(1, 'zone', 'ScheduleAnyway')] });
  assert.deepEqual(score(pod, nodes), { 'node-a': 100, 'node-b': 100, 'node-c': 0 });
});

test('PodTopologySpread score: zone constraint counts pods on all nodes of the zone, also non-candidates', () => {
  const all = [
    nodeInfo(node('node-a', 'zone1'), foo(), foo()),
    nodeInfo(node('node-b', 'zone1')),
    nodeInfo(node('node-x', 'zone2'), foo()),
    nodeInfo(node('node-y', 'zone2')),
  ];
  const pod = foo({ topologySpreadConstraints: [constraint(1, 'zone', 'ScheduleAnyway')] });
  // weight log(2 + 2) = 1.386: zone1 2 pods → 3, zone2 1 pod → 1; normalized 100 × (3 + 1 − s) / 3
  assert.deepEqual(score(pod, [all[1]!, all[3]!], all), { 'node-b': 33, 'node-y': 100 });
});

test('PodTopologySpread: system default constraints apply to pods selected by a Service', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { selector: { foo: '' } } } as KObject;
  const z = { 'topology.kubernetes.io/zone': 'zone1' };
  const nodes = [nodeInfo(node('node-a', undefined, z), foo(), foo()), nodeInfo(node('node-b', undefined, z))];
  // no Service: no default constraints → skip → all 0
  assert.deepEqual(score(foo(), nodes), { 'node-a': 0, 'node-b': 0 });
  // with the Service: hostname maxSkew 3 (+2) and zone maxSkew 5 (+4): a = round(2×log 4 + 2 + 2×log 3 + 4) = 11, b = round(2 + 2×log 3 + 4) = 8
  assert.deepEqual(score(foo(), nodes, nodes, { services: [svc] }), { 'node-a': 72, 'node-b': 100 });
  // without the well-known zone label only hostname spreading applies (keys are not required for defaults)
  const bare = [nodeInfo(node('node-a'), foo(), foo()), nodeInfo(node('node-b'))];
  assert.deepEqual(score(foo(), bare, bare, { services: [svc] }), { 'node-a': 40, 'node-b': 100 });
  // List defaulting with no constraints: nothing to do
  assert.deepEqual(score(foo(), nodes, nodes, { services: [svc] }, { defaultingType: 'List' }), { 'node-a': 0, 'node-b': 0 });
});
