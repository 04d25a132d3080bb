/**
 * Scheduler hot-path micro-benchmark, without an API server: a Scheduler with a no-op client, N kwok-like
 * nodes fed through onNodeAdd, P pods (100m / 128Mi, as test/bench/scheduler.ts) popped and scheduled one by
 * one; each binding is confirmed back to the cache (onPodUpdate) a macrotask later, as an informer would.
 * Measures the scheduling loop alone (filter, score, decision recording, snapshot, assume).
 * Not a test (no .test suffix): node dist/test/main/scheduler/hot-path-bench.js [nodes] [pods] [--profile]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import type { Node } from '../../../main/api/core/v1/node.js';
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { KubeClient } from '../../../main/client/kube-client.js';
import type { SharedInformerFactory } from '../../../main/client/shared-informer-factory.js';
import { defaultRegistry } from '../../../main/scheduler/default-registry.js';
import { Scheduler } from '../../../main/scheduler/scheduler.js';

function node(i: number): Node {
  const name = `node-${i}`;
  const alloc = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '1', labels: { 'kubernetes.io/hostname': name, type: 'kwok' } },
    spec: {},
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node;
}

function pod(i: number): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: 'bench', uid: `uid-pod-${i}`, resourceVersion: '1', labels: { app: 'bench', shard: String(i % 16) } },
    spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  } as Pod;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const nodes = Number(args[0] ?? 1000);
  const pods = Number(args[1] ?? 10000);
  const profile = process.argv.includes('--profile');
  let sched!: Scheduler;
  const byName = new Map<string, Pod>();
  const client = new Proxy({}, {
    get: (_t, prop) => {
      if (prop === 'post') {
        return async (_r: unknown, _ns: string, name: string, _sub: string, body: { target: { name: string } }) => {
          const old = byName.get(name)!;
          const bound = { ...old, metadata: { ...old.metadata, resourceVersion: '2' }, spec: { ...old.spec, nodeName: body.target.name } };
          await new Promise((r) => setImmediate(r));
          sched.onPodUpdate(old, bound);
          return {};
        };
      }
      return async () => ({});
    },
  }) as unknown as KubeClient;
  sched = new Scheduler({ client, informers: undefined as unknown as SharedInformerFactory, registry: defaultRegistry(), log: () => {} });
  for (let i = 0; i < nodes; i++) sched.onNodeAdd(node(i));
  for (let i = 0; i < pods; i++) {
    const p = pod(i);
    byName.set(p.metadata.name!, p);
    sched.onPodAdd(p);
  }
  let session: Session | undefined;
  if (profile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const t0 = performance.now();
  let lastYield = t0;
  for (let i = 0; i < pods; i++) {
    const q = await sched.queue.pop();
    if (!q) break;
    await sched.scheduleOne(q);
    if (performance.now() - lastYield > 4) {
      await new Promise<void>((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  const loopMs = performance.now() - t0;
  await sched.stop();
  const totalMs = performance.now() - t0;
  if (session) {
    const { profile: p } = await session.post('Profiler.stop');
    const file = `/tmp/hot-path-${nodes}x${pods}.cpuprofile`;
    writeFileSync(file, JSON.stringify(p));
    const { summariseCpuProfile } = await import('../../bench/startup.js');
    console.log(summariseCpuProfile(file, 25));
  }
  const lat = sched.metrics.attemptLatency as unknown as { quantile?(q: number): number };
  console.log(`${nodes} nodes / ${pods} pods: loop ${loopMs.toFixed(0)} ms (${((pods / loopMs) * 1000).toFixed(0)} pods/s), ` +
    `with binds ${totalMs.toFixed(0)} ms; scheduled ${sched.metrics.scheduled}` +
    (lat.quantile ? `; attempt p50 ${lat.quantile(0.5).toFixed(3)} ms p99 ${lat.quantile(0.99).toFixed(3)} ms` : '') +
    `; heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
}

await main();
