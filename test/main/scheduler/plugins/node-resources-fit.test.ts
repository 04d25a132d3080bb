import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeResourcesFit } from '../../../../main/scheduler/plugins/node-resources-fit.js';
import { ctr, filterOne, makeNode, makePod, nodeInfo, podReq, runScore, unschedulable } from './builders.js';

// upstream TestEnoughRequests: allocatable cpu 10m, memory 20, pods 32, example.com/aaa 5, ephemeral 20, hugepages-2Mi 5
const node = () =>
  makeNode('n', { cpu: '10m', memory: '20', pods: 32, ephemeral: '20', extra: { 'example.com/aaa': '5', 'hugepages-2Mi': '5' } });
const r = (cpu: number, mem: number, extra: Record<string, string> = {}) => ({ cpu: `${cpu}m`, memory: String(mem), ...extra });
const pod = (cpu: number, mem: number, o: Parameters<typeof makePod>[0] = {}, extra: Record<string, string> = {}) =>
  makePod({ containers: [ctr(r(cpu, mem, extra))], ...o });

const cases: { name: string; pod: ReturnType<typeof makePod>; existing: ReturnType<typeof makePod>[]; want: ReturnType<typeof filterOne>; args?: object }[] = [
  { name: 'no resources requested always fits', pod: makePod({ containers: [ctr()] }), existing: [pod(10, 20)], want: 'fits' },
  { name: 'too many resources fails', pod: pod(1, 1), existing: [pod(10, 20)], want: unschedulable('Insufficient cpu', 'Insufficient memory') },
  { name: 'too many resources fails due to init container cpu', pod: pod(1, 1, { initContainers: [ctr(r(3, 1))] }), existing: [pod(8, 19)], want: unschedulable('Insufficient cpu') },
  {
    name: 'too many resources fails due to highest init container cpu',
    pod: pod(1, 1, { initContainers: [ctr(r(3, 1)), ctr(r(2, 1))] }),
    existing: [pod(8, 19)],
    want: unschedulable('Insufficient cpu'),
  },
  { name: 'too many resources fails due to init container memory', pod: pod(1, 1, { initContainers: [ctr(r(1, 3))] }), existing: [pod(9, 19)], want: unschedulable('Insufficient memory') },
  { name: "init container fits because it's the max, not sum, of containers and init containers", pod: pod(1, 1, { initContainers: [ctr(r(1, 1))] }), existing: [pod(9, 19)], want: 'fits' },
  { name: 'both resources fit', pod: pod(1, 1), existing: [pod(5, 5)], want: 'fits' },
  { name: 'one resource memory fits', pod: pod(2, 1), existing: [pod(9, 5)], want: unschedulable('Insufficient cpu') },
  { name: 'one resource cpu fits', pod: pod(1, 2), existing: [pod(5, 19)], want: unschedulable('Insufficient memory') },
  { name: 'equal edge case', pod: pod(5, 1), existing: [pod(5, 19)], want: 'fits' },
  { name: 'equal edge case for init container', pod: pod(4, 1, { initContainers: [ctr(r(5, 1))] }), existing: [pod(5, 19)], want: 'fits' },
  { name: 'extended resource fits', pod: pod(0, 0, {}, { 'example.com/aaa': '1' }), existing: [pod(0, 0)], want: 'fits' },
  { name: 'extended resource capacity enforced', pod: pod(0, 0, {}, { 'example.com/aaa': '10' }), existing: [pod(0, 0)], want: unschedulable('Insufficient example.com/aaa') },
  {
    name: 'extended resource allocatable enforced with existing usage',
    pod: pod(0, 0, {}, { 'example.com/aaa': '1' }),
    existing: [pod(0, 0, {}, { 'example.com/aaa': '5' })],
    want: unschedulable('Insufficient example.com/aaa'),
  },
  { name: 'extended resource allocatable enforced for unknown resource', pod: pod(0, 0, {}, { 'example.com/bbb': '1' }), existing: [pod(0, 0)], want: unschedulable('Insufficient example.com/bbb') },
  { name: 'hugepages capacity enforced', pod: pod(0, 0, {}, { 'hugepages-2Mi': '10' }), existing: [pod(0, 0)], want: unschedulable('Insufficient hugepages-2Mi') },
  {
    name: 'skip checking ignored extended resource',
    pod: pod(0, 0, {}, { 'example.com/bbb': '1' }),
    existing: [pod(0, 0)],
    want: 'fits',
    args: { ignoredResources: ['example.com/bbb'] },
  },
  {
    name: 'skip checking ignored extended resource group',
    pod: pod(0, 0, {}, { 'example.com/bbb': '1' }),
    existing: [pod(0, 0)],
    want: 'fits',
    args: { ignoredResourceGroups: ['example.com'] },
  },
  { name: 'resources + pod overhead fits', pod: pod(1, 1, { overhead: { cpu: '3m', memory: '13' } }), existing: [pod(5, 5)], want: 'fits' },
  { name: 'requests + overhead does not fit for memory', pod: pod(1, 1, { overhead: { cpu: '1m', memory: '15' } }), existing: [pod(5, 5)], want: unschedulable('Insufficient memory') },
  { name: 'ephemeral storage enforced', pod: pod(0, 0, {}, { 'ephemeral-storage': '25' }), existing: [pod(0, 0)], want: unschedulable('Insufficient ephemeral-storage') },
  {
    name: 'sidecar (restartable init container) is added to the containers sum',
    pod: pod(1, 1, { initContainers: [ctr(r(1, 1), { restartPolicy: 'Always' })] }),
    existing: [pod(9, 5)],
    want: unschedulable('Insufficient cpu'),
  },
  {
    name: 'init container after a sidecar needs the sidecar too',
    pod: pod(1, 1, { initContainers: [ctr(r(1, 1), { restartPolicy: 'Always' }), ctr(r(2, 1))] }),
    existing: [pod(8, 5)],
    want: unschedulable('Insufficient cpu'),
  },
];

for (const c of cases) {
  test(`NodeResourcesFit filter: ${c.name}`, () => {
    const ni = nodeInfo(node(), ...c.existing);
    assert.deepEqual(filterOne(new NodeResourcesFit(c.args as never), c.pod, ni), c.want);
  });
}

test('NodeResourcesFit filter: Too many pods comes first and is combined with other shortfalls', () => {
  const ni = nodeInfo(makeNode('n', { cpu: '10m', memory: '20', pods: 1 }), pod(10, 0));
  assert.deepEqual(filterOne(new NodeResourcesFit(), pod(1, 0), ni), unschedulable('Too many pods', 'Insufficient cpu'));
  assert.deepEqual(filterOne(new NodeResourcesFit(), makePod(), ni), unschedulable('Too many pods'));
});

// Scores: requests cpu 3000m / memory 5000 on nodes 4000m/10000 and 6000m/10000.
const sized = () => [nodeInfo(makeNode('node1', { cpu: '4000m', memory: '10000' })), nodeInfo(makeNode('node2', { cpu: '6000m', memory: '10000' }))];
const cpuAndMemory = () => makePod({ containers: [ctr({ cpu: '1000m', memory: '2000' }), ctr({ cpu: '2000m', memory: '3000' })] });

test('NodeResourcesFit score LeastAllocated: differently sized nodes', () => {
  assert.deepEqual(runScore(new NodeResourcesFit(), cpuAndMemory(), sized()), { node1: 37, node2: 50 });
});

test('NodeResourcesFit score LeastAllocated: existing pods count, resource weights apply', () => {
  const nodes = [
    nodeInfo(makeNode('node1', { cpu: '10000m', memory: '20000' }), podReq({ cpu: '3000m', memory: '0' }), podReq({ cpu: '3000m', memory: '5000' })),
    nodeInfo(makeNode('node2', { cpu: '10000m', memory: '20000' }), podReq({ cpu: '3000m', memory: '5000' })),
  ];
  // node1: cpu (10000-9000)*100/10000 = 10, memory (20000-10000)*100/20000 = 50 → 30
  // node2: cpu (10000-6000)/10000 = 40, memory (20000-10000)/20000 = 50 → 45
  assert.deepEqual(runScore(new NodeResourcesFit(), cpuAndMemory(), nodes), { node1: 30, node2: 45 });
  const weighted = new NodeResourcesFit({ scoringStrategy: { resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }] } });
  // (10*2 + 50)/3 = 23, (40*2 + 50)/3 = 43
  assert.deepEqual(runScore(weighted, cpuAndMemory(), nodes), { node1: 23, node2: 43 });
});

test('NodeResourcesFit score: a pod without requests is scored with the 100m / 200Mi defaults', () => {
  const nodes = [nodeInfo(makeNode('node1', { cpu: '4000m', memory: `${800 * 1024 * 1024}` }))];
  // cpu (4000-100)*100/4000 = 97, memory (800Mi-200Mi)*100/800Mi = 75 → 86
  assert.deepEqual(runScore(new NodeResourcesFit(), makePod(), nodes), { node1: 86 });
});

test('NodeResourcesFit score MostAllocated', () => {
  const fit = new NodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } });
  assert.deepEqual(runScore(fit, cpuAndMemory(), sized()), { node1: 62, node2: 50 });
  // requested above capacity counts as full
  const big = makePod({ containers: [ctr({ cpu: '8000m', memory: '5000' })] });
  assert.deepEqual(runScore(fit, big, sized()), { node1: 75, node2: 75 });
});

test('NodeResourcesFit score RequestedToCapacityRatio with a decreasing shape', () => {
  const fit = new NodeResourcesFit({
    scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] } },
  });
  // node1: cpu 75% → 25, memory 50% → 50 → round(37.5) = 38; node2: 50, 50 → 50
  assert.deepEqual(runScore(fit, cpuAndMemory(), sized()), { node1: 38, node2: 50 });
});

test('NodeResourcesFit score: extended resources are scored only when the pod requests them', () => {
  const fit = new NodeResourcesFit({ scoringStrategy: { resources: [{ name: 'cpu', weight: 1 }, { name: 'example.com/gpu', weight: 1 }] } });
  const nodes = [
    nodeInfo(makeNode('a', { cpu: '4000m', memory: '1Gi', extra: { 'example.com/gpu': '4' } })),
    nodeInfo(makeNode('b', { cpu: '4000m', memory: '1Gi' })),
  ];
  // no gpu request: only cpu counts: (4000-1000)*100/4000 = 75 on both
  assert.deepEqual(runScore(fit, podReq({ cpu: '1000m' }), nodes), { a: 75, b: 75 });
  // gpu 1 of 4: a → (75 + 75)/2 = 75; b lacks the resource: cpu only → 75
  assert.deepEqual(runScore(fit, podReq({ cpu: '1000m', 'example.com/gpu': '3' }), nodes), { a: 50, b: 75 });
});
