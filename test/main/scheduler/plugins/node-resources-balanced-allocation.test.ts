import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeResourcesBalancedAllocation } from '../../../../main/scheduler/plugins/node-resources-balanced-allocation.js';
import { balancedResourceScorer } from '../../../../main/scheduler/plugins/resource-allocation.js';
import { ctr, makeNode, makePod, nodeInfo, podReq, runScore } from './builders.js';

const cpuAndMemory = () => makePod({ containers: [ctr({ cpu: '1000m', memory: '2000' }), ctr({ cpu: '2000m', memory: '3000' })] });

test('BalancedAllocation: differently sized nodes (upstream case)', () => {
  const nodes = [nodeInfo(makeNode('node1', { cpu: '4000m', memory: '10000' })), nodeInfo(makeNode('node2', { cpu: '6000m', memory: '10000' }))];
  // node1: fractions 0.75 / 0.5 → std 0.125 → 87; node2: 0.5 / 0.5 → 100
  assert.deepEqual(runScore(new NodeResourcesBalancedAllocation(), cpuAndMemory(), nodes), { node1: 87, node2: 100 });
});

test('BalancedAllocation: existing pods and capped fractions', () => {
  const nodes = [
    nodeInfo(makeNode('node1', { cpu: '10000m', memory: '20000' }), podReq({ cpu: '3000m', memory: '0' }), podReq({ cpu: '3000m', memory: '5000' })),
    nodeInfo(makeNode('node2', { cpu: '10000m', memory: '20000' }), podReq({ cpu: '3000m', memory: '5000' })),
  ];
  // memory requests of 0 count as 0 (explicitly set): node1 cpu 0.9, memory 0.5 → std 0.2 → 80; node2 0.6/0.5 → 95
  assert.deepEqual(runScore(new NodeResourcesBalancedAllocation(), cpuAndMemory(), nodes), { node1: 80, node2: 95 });
  const over = makePod({ containers: [ctr({ cpu: '20000m', memory: '5000' })] });
  // cpu fraction capped at 1; memory (5000+5000)/20000 = 0.5 → std 0.25 → 75 on both
  assert.deepEqual(runScore(new NodeResourcesBalancedAllocation(), over, nodes), { node1: 75, node2: 75 });
});

test('BalancedAllocation: three resources use the population standard deviation', () => {
  // fractions 0.2, 0.4, 0.6 → mean 0.4, std sqrt((0.04+0+0.04)/3) = 0.1633 → 83
  assert.equal(balancedResourceScorer([2, 4, 6], [10, 10, 10]), 83);
  // a skipped resource (allocatable 0) does not count
  assert.equal(balancedResourceScorer([2, 0, 6], [10, 0, 10]), 80);
});
