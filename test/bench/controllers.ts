/**
 * Controller manager benchmark, in process: a control plane (startControlPlane with every component, each in its
 * worker thread as `serve` runs them; lowdb store in a temp dir), measured as `serve` runs (server V8 flags).
 *   nodes     N SimulatedNodes (default 100), all Ready
 *   rollout   D Deployments × R replicas (default 100 × 10 = 1,000 pods) created at once; time from the first
 *             create until every Deployment reports all R replicas updated and available (observedGeneration
 *             current)
 *   update    a rolling update of all of them (new image): time until every Deployment is rolled out again
 *   idle      after a settling pause (default 60 s: V8's memory reducer runs its GCs after load ends), CPU over a
 *             window as % of one core: of the whole process, and of the control plane alone — every thread but
 *             the simulated kubelets' worker (target ≤ 1 %) — with a split by thread; and RSS
 *
 * usage: run(['--nodes=100', '--deployments=100', '--replicas=10', '--idle-seconds=30', '--settle-seconds=60'])
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DeploymentObject as Deployment } from '../../main/api/apps/v1/deployment.js';
import type { Node } from '../../main/api/core/v1/node.js';
import type { SimulatedNode } from '../../main/api/pilothouse.dev/v1alpha1/simulated-node.js';
import { LOOPBACK_USER } from '../../main/apiserver/authn/user-info.js';
import { DEPLOYMENTS, NAMESPACES, NODES, type KubeClient } from '../../main/client/kube-client.js';
import { createLocalClient } from '../../main/client/local-client.js';
import { startControlPlane } from '../../main/control-plane/control-plane.js';
import { SIMULATED_NODES } from '../../main/nodes/providers/simulated/simulated-node-provider.js';
import { describeNodeFlags, hasServerFlags, rerunWithServerFlags } from '../helpers/server-node-flags.js';
import { argValue, fmt } from './startup.js';
import { everyAligned } from '../../main/timing/aligned-ticker.js';
import { threadCpuMs } from '../../main/components/thread-cpu.js';
import { wakeUpCostPercent } from '../helpers/wake-up-cost.js';

const NS = 'bench';
const MB = 1024 * 1024;

async function inParallel(count: number, concurrency: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, async () => {
    while (next < count) await job(next++);
  }));
}

/** Resolves when `done(objects)` holds for the watched collection, or rejects after `timeoutMs`. */
function watchUntil<T extends { metadata: { name?: string } }>(
  client: KubeClient, ref: typeof NODES, namespace: string, done: (objs: Map<string, T>) => boolean, timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const objs = new Map<string, T>();
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      w.stop();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`not done after ${timeoutMs / 1000} s (${objs.size} objects seen)`)), timeoutMs);
    const w = client.watch<T & { metadata: { name?: string } }>(ref, namespace, {}, (e) => {
      if (e.type === 'DELETED') objs.delete(e.object.metadata.name ?? '');
      else if (e.type === 'ADDED' || e.type === 'MODIFIED') objs.set(e.object.metadata.name ?? '', e.object as T);
      if (done(objs)) finish();
    });
  });
}

const nodeReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

function rolledOut(d: Deployment, replicas: number, image: string): boolean {
  const s = d.status;
  return (d.metadata.generation ?? 0) === (s?.observedGeneration ?? -1) &&
    d.spec?.template?.spec?.containers?.[0]?.image === image &&
    s?.replicas === replicas && s.updatedReplicas === replicas && s.availableReplicas === replicas && !s.unavailableReplicas;
}

function deployment(i: number, replicas: number, image: string): Deployment {
  const labels = { app: `web-${i}` };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: NS },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  } as Deployment;
}

export async function run(args: string[]): Promise<void> {
  if (!hasServerFlags(args)) return rerunWithServerFlags('controllers', args);
  const nodes = Number(argValue(args, 'nodes') ?? 100);
  const deployments = Number(argValue(args, 'deployments') ?? 100);
  const replicas = Number(argValue(args, 'replicas') ?? 10);
  const idleSeconds = Number(argValue(args, 'idle-seconds') ?? 30);
  const settleSeconds = Number(argValue(args, 'settle-seconds') ?? 60);
  console.log(`controllers benchmark: node ${process.version}; ${describeNodeFlags()}`);
  console.log(`  ${nodes} simulated nodes, ${deployments} Deployments × ${replicas} replicas, lowdb store, components in worker threads`);
  const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-bench-controllers-'));
  // Controllers retry failed syncs and log each failure, as upstream does; during a mass rollout those are many and
  // transient (e.g. a ReplicaSet's status lagging its scale-down), so they are counted, not printed.
  let retriedSyncs = 0;
  const log = (m: string) => {
    if (/^(GET|POST|PUT|PATCH|DELETE) /.test(m)) return;
    if (/: sync failed \(\d+ retries so far\)/.test(m)) retriedSyncs++;
    else process.stderr.write(`  [control plane] ${m}\n`);
  };
  const cp = await startControlPlane({ dataDir, apiPort: 0, log });
  const client = createLocalClient(cp.server, LOOPBACK_USER, { userAgent: 'pilothouse-bench/controllers' });
  try {
    let t0 = performance.now();
    const allReady = watchUntil<Node>(client, NODES, '', (m) => [...m.values()].filter(nodeReady).length >= nodes, 120_000);
    await inParallel(nodes, 32, (i) => client.create<SimulatedNode>(SIMULATED_NODES, '', {
      apiVersion: 'pilothouse.dev/v1alpha1', kind: 'SimulatedNode', metadata: { name: `bench-node-${i}` }, spec: {},
    }));
    await allReady;
    console.log(`  nodes Ready:          ${fmt(performance.now() - t0)} ms for ${nodes}`);

    await client.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const v1 = 'registry.local/web:1';
    t0 = performance.now();
    const available = watchUntil<Deployment>(client, DEPLOYMENTS, NS,
      (m) => m.size === deployments && [...m.values()].every((d) => rolledOut(d, replicas, v1)), 600_000);
    await inParallel(deployments, 16, (i) => client.create(DEPLOYMENTS, NS, deployment(i, replicas, v1)));
    await available;
    const rolloutMs = performance.now() - t0;
    console.log(`  all available:        ${fmt(rolloutMs)} ms for ${deployments * replicas} pods (${deployments} Deployments)`);

    const v2 = 'registry.local/web:2';
    t0 = performance.now();
    const updated = watchUntil<Deployment>(client, DEPLOYMENTS, NS,
      (m) => m.size === deployments && [...m.values()].every((d) => rolledOut(d, replicas, v2)), 600_000);
    await inParallel(deployments, 16, (i) => client.patch(DEPLOYMENTS, NS, `web-${i}`, 'strategic',
      { spec: { template: { spec: { containers: [{ name: 'web', image: v2 }] } } } }));
    await updated;
    console.log(`  rolling update:       ${fmt(performance.now() - t0)} ms until all ${deployments} Deployments rolled out`);

    await new Promise((r) => setTimeout(r, settleSeconds * 1000));
    // Each component's own thread is measured too, so the simulated kubelets — stand-ins for other machines —
    // can be told apart from the control plane proper (API server and store on this thread, scheduler, controller
    // manager, and the V8/libuv helper threads they all share).
    const components = { scheduler: cp.scheduler, 'controller manager': cp.controllerManager, 'simulated kubelets': cp.simulatedNodes };
    const threadCpu = () => Promise.all(Object.values(components).map((c) => c?.threadCpuMs() ?? Promise.resolve(undefined)));
    const threads0 = await threadCpu();
    const api0 = threadCpuMs();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    let peakRss = process.memoryUsage.rss();
    // Sampled on the grid the lease renewals use (aligned-ticker.ts): the sampler would wake the process too.
    const sampler = everyAligned(10_000, () => (peakRss = Math.max(peakRss, process.memoryUsage.rss())));
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    sampler.stop();
    const cpu = process.cpuUsage(cpu0);
    const threads1 = await threadCpu();
    const api1 = threadCpuMs();
    const wallMs = performance.now() - wall0;
    const pctOf = (ms: number) => (ms / wallMs) * 100;
    const total = pctOf((cpu.user + cpu.system) / 1000);
    const byThread = Object.keys(components).map((name, i) =>
      [name, threads0[i] !== undefined && threads1[i] !== undefined ? pctOf(threads1[i]! - threads0[i]!) : undefined] as const);
    const kubelets = byThread.find(([n]) => n === 'simulated kubelets')?.[1];
    console.log(`  idle CPU, all threads: ${total.toFixed(2)} % of one core over ${idleSeconds} s (simulated kubelets included)`);
    if (kubelets !== undefined) {
      const controlPlane = total - kubelets;
      console.log(`  idle CPU, control plane: ${controlPlane.toFixed(2)} % of one core (all threads but the simulated kubelets')   target ≤ 1 %: ${controlPlane <= 1 ? 'MET' : 'MISSED'}`);
      const named = byThread.reduce((sum, [, v]) => sum + (v ?? 0), 0);
      const api = pctOf(api1! - api0!);
      console.log(`    by thread: ${byThread.map(([n, v]) => `${n} ${v?.toFixed(2) ?? '?'} %`).join(', ')}, API server and store ${api.toFixed(2)} %, V8 and libuv helper threads ${(total - named - api).toFixed(2)} %`);
    } else {
      console.log(`  (per-thread CPU needs Linux /proc: the control plane cannot be told apart from the simulated kubelets)   target ≤ 1 %: ${total <= 1 ? 'MET' : 'MISSED'}`);
    }
    console.log(`  idle RSS:             ${(process.memoryUsage.rss() / MB).toFixed(0)} MB (peak ${(peakRss / MB).toFixed(0)} MB while idle)`);
    console.log(`  host wake-up cost:    ${(await wakeUpCostPercent()).toFixed(3)} % for a process waking once a second (quiet host ≈ 0.01 %; idle figures grow with it)`);
    console.log(`  controller syncs retried: ${retriedSyncs} (transient failures logged by the controllers)`);
  } finally {
    await cp.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
