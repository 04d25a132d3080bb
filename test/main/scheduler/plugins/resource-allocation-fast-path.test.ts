import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeInfo } from '../../../../main/scheduler/framework/node-info.js';
import {
  balancedResourceScorer,
  leastAllocatedScorer,
  scoreAllocation,
  withCpuMemoryFastPath,
  type ResourceAllocationScorer,
  type ResourceSpec,
} from '../../../../main/scheduler/plugins/resource-allocation.js';
import { makeNode, nodeInfo, podReq } from './builders.js';

/** Deterministic pseudo-random numbers (LCG) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

test('scoreAllocation: the inline [cpu, memory] path gives the generic path\'s scores', () => {
  const r = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const nodes: NodeInfo[] = [];
  for (let i = 0; i < 300; i++) {
    const cpu = pick(['0', '1', '3', '4000m', '7500m', '64']);
    const memory = pick(['0', '1Gi', '3Gi', '12345678', '256Gi']);
    const pods = Array.from({ length: Math.floor(r() * 4) }, () =>
      podReq({ cpu: pick(['0', '100m', '1500m', '5']), memory: pick(['0', '128Mi', '3Gi', '77777']) }));
    nodes.push(nodeInfo(makeNode(`n${i}`, { cpu, memory }), ...pods));
  }
  const weightSets: ResourceSpec[][] = [
    [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }],
    [{ name: 'cpu', weight: 3 }, { name: 'memory', weight: 1 }],
    [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 7 }],
  ];
  for (const resources of weightSets) {
    const variants: [ResourceAllocationScorer, ResourceAllocationScorer][] = [
      [{ resources, useRequested: false, scorer: leastAllocatedScorer(resources) },
        withCpuMemoryFastPath({ resources, useRequested: false, scorer: leastAllocatedScorer(resources) }, 'least')],
      [{ resources, useRequested: false, scorer: balancedResourceScorer },
        withCpuMemoryFastPath({ resources, useRequested: false, scorer: balancedResourceScorer }, 'balanced')],
    ];
    for (const [generic, fast] of variants) {
      assert.equal(generic.cpuMemory, undefined);
      assert.ok(fast.cpuMemory);
      for (const ni of nodes) {
        for (const req of [[0, 0], [100, 134217728], [2500, 3 * 1024 ** 3], [100000, 1]]) {
          assert.equal(scoreAllocation(fast, ni, req), scoreAllocation(generic, ni, req), `${ni.name} ${JSON.stringify(req)} ${JSON.stringify(resources)}`);
        }
      }
    }
  }
});

test('withCpuMemoryFastPath: only for exactly [cpu, memory]', () => {
  const s = (resources: ResourceSpec[]) => withCpuMemoryFastPath({ resources, useRequested: false, scorer: balancedResourceScorer }, 'balanced');
  assert.equal(s([{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 1 }]).cpuMemory, undefined);
  assert.equal(s([{ name: 'cpu', weight: 1 }]).cpuMemory, undefined);
  assert.equal(s([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'ephemeral-storage', weight: 1 }]).cpuMemory, undefined);
  assert.equal(s([{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]).cpuMemory, 'balanced');
});
