import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CycleState, NodeInfo, PodInfo } from '../../../../main/scheduler/framework/types.js';
import { InterPodAffinity } from '../../../../main/scheduler/plugins/inter-pod-affinity.js';
import {
  ERR_REASON_AFFINITY,
  ERR_REASON_ANTI_AFFINITY,
  ERR_REASON_EXISTING_ANTI_AFFINITY,
} from '../../../../main/scheduler/plugins/inter-pod-affinity-filter.js';
import { fakeContext, makeNode, makePod, namespace, nodeInfo, runFilter, runScore, unresolvable, unschedulable, type ListerData } from './builders.js';

const term = (key: string, values: string[], topologyKey: string, extra: Record<string, unknown> = {}) => ({
  labelSelector: { matchExpressions: [{ key, operator: 'In', values }] },
  topologyKey,
  ...extra,
});
const affinity = (...terms: unknown[]) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const antiAffinity = (...terms: unknown[]) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });

function filter(pod: ReturnType<typeof makePod>, nodes: NodeInfo[], data: ListerData = {}) {
  const pl = new InterPodAffinity(fakeContext(nodes, data));
  return Object.fromEntries(runFilter(pl, pod, nodes));
}

const region = (name: string, r?: string) => makeNode(name, { labels: r ? { region: r, 'kubernetes.io/hostname': name } : { 'kubernetes.io/hostname': name } });

test('InterPodAffinity filter: a pod without affinity and no existing anti-affinity skips (fits)', () => {
  const nodes = [nodeInfo(region('n1', 'r1'), makePod({ labels: { service: 'x' } }))];
  assert.deepEqual(filter(makePod(), nodes), { n1: 'fits' });
});

test('InterPodAffinity filter: required affinity satisfied in the topology domain, missing topology label fails', () => {
  const existing = makePod({ labels: { service: 'securityscan' } });
  const nodes = [nodeInfo(region('n1', 'r1'), existing), nodeInfo(region('n2', 'r1')), nodeInfo(region('n3', 'r2')), nodeInfo(region('n4'))];
  const pod = makePod({ affinity: affinity(term('service', ['securityscan', 'value2'], 'region')) });
  assert.deepEqual(filter(pod, nodes), {
    n1: 'fits',
    n2: 'fits',
    n3: unresolvable(ERR_REASON_AFFINITY),
    n4: unresolvable(ERR_REASON_AFFINITY),
  });
});

test('InterPodAffinity filter: affinity to pods in another namespace requires the namespace to be listed', () => {
  const existing = makePod({ labels: { service: 'securityscan' }, namespace: 'other' });
  const nodes = [nodeInfo(region('n1', 'r1'), existing)];
  const pod = makePod({ affinity: affinity(term('service', ['securityscan'], 'region')), labels: { service: 'x' } });
  assert.deepEqual(filter(pod, nodes), { n1: unresolvable(ERR_REASON_AFFINITY) });
  const listed = makePod({ affinity: affinity(term('service', ['securityscan'], 'region', { namespaces: ['other'] })) });
  assert.deepEqual(filter(listed, nodes), { n1: 'fits' });
  const bySelector = makePod({ affinity: affinity(term('service', ['securityscan'], 'region', { namespaceSelector: { matchLabels: { team: 'a' } } })) });
  assert.deepEqual(filter(bySelector, nodes, { namespaces: [namespace('other', { team: 'a' }), namespace('default')] }), { n1: 'fits' });
  assert.deepEqual(filter(bySelector, nodes, { namespaces: [namespace('other', { team: 'b' })] }), { n1: unresolvable(ERR_REASON_AFFINITY) });
  const allNs = makePod({ affinity: affinity(term('service', ['securityscan'], 'region', { namespaceSelector: {} })) });
  assert.deepEqual(filter(allNs, nodes), { n1: 'fits' });
});

test('InterPodAffinity filter: the first pod of a self-affine group may go anywhere with the topology key', () => {
  const nodes = [nodeInfo(region('n1', 'r1')), nodeInfo(region('n2'))];
  const pod = makePod({ labels: { app: 'db' }, affinity: affinity(term('app', ['db'], 'region')) });
  assert.deepEqual(filter(pod, nodes), { n1: 'fits', n2: unresolvable(ERR_REASON_AFFINITY) });
  // ... but not when it does not match its own term
  const other = makePod({ labels: { app: 'web' }, affinity: affinity(term('app', ['db'], 'region')) });
  assert.deepEqual(filter(other, nodes), { n1: unresolvable(ERR_REASON_AFFINITY), n2: unresolvable(ERR_REASON_AFFINITY) });
});

test('InterPodAffinity filter: required anti-affinity of the incoming pod', () => {
  const nodes = [nodeInfo(region('n1', 'r1'), makePod({ labels: { app: 'web' } })), nodeInfo(region('n2', 'r1')), nodeInfo(region('n3', 'r2')), nodeInfo(region('n4'))];
  const pod = makePod({ labels: { app: 'web' }, affinity: antiAffinity(term('app', ['web'], 'region')) });
  assert.deepEqual(filter(pod, nodes), {
    n1: unschedulable(ERR_REASON_ANTI_AFFINITY),
    n2: unschedulable(ERR_REASON_ANTI_AFFINITY),
    n3: 'fits',
    n4: 'fits',
  });
  const byHost = makePod({ labels: { app: 'web' }, affinity: antiAffinity(term('app', ['web'], 'kubernetes.io/hostname')) });
  assert.deepEqual(filter(byHost, nodes), { n1: unschedulable(ERR_REASON_ANTI_AFFINITY), n2: 'fits', n3: 'fits', n4: 'fits' });
});

test("InterPodAffinity filter: existing pods' anti-affinity rejects matching incoming pods", () => {
  const guard = makePod({ labels: { app: 'guard' }, affinity: antiAffinity(term('security', ['S1'], 'region')) });
  const nodes = [nodeInfo(region('n1', 'r1'), guard), nodeInfo(region('n2', 'r1')), nodeInfo(region('n3', 'r2'))];
  assert.deepEqual(filter(makePod({ labels: { security: 'S1' } }), nodes), {
    n1: unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY),
    n2: unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY),
    n3: 'fits',
  });
  assert.deepEqual(filter(makePod({ labels: { security: 'S2' } }), nodes), { n1: 'fits', n2: 'fits', n3: 'fits' });
});

test('InterPodAffinity AddPod/RemovePod update the PreFilter counts (preemption simulation)', () => {
  const victim = makePod({ labels: { app: 'web' } });
  const n1 = nodeInfo(region('n1', 'r1'), victim);
  const nodes = [n1, nodeInfo(region('n2', 'r2'))];
  const pl = new InterPodAffinity(fakeContext(nodes));
  const pod = makePod({ affinity: antiAffinity(term('app', ['web'], 'region')) });
  const pi = new PodInfo(pod);
  const state = new CycleState();
  pl.preFilter(state, pi, nodes);
  assert.equal(pl.filter(state, pi, n1)?.reasons[0], ERR_REASON_ANTI_AFFINITY);
  const sim = state.clone();
  pl.removePod(sim, pi, n1.pods[0]!, n1);
  assert.equal(pl.filter(sim, pi, n1), null);
  assert.equal(pl.filter(state, pi, n1)?.reasons[0], ERR_REASON_ANTI_AFFINITY, 'clone is independent');
  pl.addPod(sim, pi, n1.pods[0]!, n1);
  assert.equal(pl.filter(sim, pi, n1)?.reasons[0], ERR_REASON_ANTI_AFFINITY);
});

const pref = (weight: number, key: string, values: string[], topologyKey: string) => ({ weight, podAffinityTerm: term(key, values, topologyKey) });

test('InterPodAffinity score: preferred affinity favours the topology domain of matching pods', () => {
  const nodes = [
    nodeInfo(makeNode('node1', { labels: { region: 'China' } }), makePod({ labels: { security: 'S1' } })),
    nodeInfo(makeNode('node2', { labels: { region: 'China' } })),
    nodeInfo(makeNode('node3', { labels: { region: 'India' } })),
  ];
  const pod = makePod({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(5, 'security', ['S1'], 'region')] } } });
  assert.deepEqual(runScore(new InterPodAffinity(fakeContext(nodes)), pod, nodes), { node1: 100, node2: 100, node3: 0 });
});

test('InterPodAffinity score: preferred anti-affinity and mixed weights normalize between min and max', () => {
  const nodes = [
    nodeInfo(makeNode('node1', { labels: { az: 'az1' } }), makePod({ labels: { security: 'S1' } })),
    nodeInfo(makeNode('node2', { labels: { az: 'az2' } }), makePod({ labels: { security: 'S2' } })),
    nodeInfo(makeNode('node3', { labels: { az: 'az3' } })),
  ];
  const pod = makePod({
    affinity: {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(8, 'security', ['S2'], 'az')] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(5, 'security', ['S1'], 'az')] },
    },
  });
  // raw: node1 −5, node2 +8, node3 0 → (s − min) / (max − min) × 100
  assert.deepEqual(runScore(new InterPodAffinity(fakeContext(nodes)), pod, nodes), { node1: 0, node2: 100, node3: 38 });
});

test("InterPodAffinity score: existing pods' required affinity counts with hardPodAffinityWeight", () => {
  const existing = makePod({ labels: { app: 'a' }, affinity: affinity(term('app', ['b'], 'region')) });
  const nodes = [nodeInfo(region('n1', 'r1'), existing), nodeInfo(region('n2', 'r2'))];
  const pod = makePod({ labels: { app: 'b' } });
  assert.deepEqual(runScore(new InterPodAffinity(fakeContext(nodes)), pod, nodes), { n1: 100, n2: 0 });
  assert.deepEqual(runScore(new InterPodAffinity(fakeContext(nodes), { hardPodAffinityWeight: 0 }), pod, nodes), { n1: 0, n2: 0 });
});
