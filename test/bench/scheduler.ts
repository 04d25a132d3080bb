/**
 * Scheduler benchmark, in process: a control plane (startControlPlane: API server on this thread; scheduler and
 * simulated node provider each in its worker thread, as `serve` runs them; `--inline` runs them on this thread)
 * with the lowdb store in a temp dir (the realistic, durable one; `--store=memory` for comparison).
 * Per scenario:
 *   nodes   N SimulatedNodes created through the API (64 concurrent creates); time from the first create until
 *           all N Nodes report Ready=True, seen through a Node watch                     (target 1,000 ≤ 2 s)
 *   pods    P simple pods (100m cpu / 128Mi requests) created by a load client, `--concurrency`
 *           at a time; pods/s from the first create to the last binding persisted (a pod watch seeing
 *           spec.nodeName set)                                (targets ≥ 2,000 pods/s at 1k/10k, ≥ 1,000 at 5k/50k)
 *           plus the scheduler's own metrics: attempt (scheduling cycle) latency p50/p99, queue → bound p50/p99
 *   memory  peak RSS of the process, sampled every 50 ms during the scenario (and the OS high-water mark)
 *
 * The simulated kubelets keep running, as in a lab, but bench nodes get podStartSeconds 3600 so the pods stay
 * ContainerCreating for the whole run: the provider still writes each pod's first status (ContainerCreating)
 * through its coalescing queue, but no Running transitions, IPs or kubelet events compete with scheduling.
 * `--lifecycle` uses the default (pods Running after 1 s) instead. There is no knob to switch the pod
 * lifecycle off completely.
 *
 * The load client (pods created, bindings watched) runs by default on the control plane's thread through the
 * in-process client (`--client=in-process`); `--client=port` runs it in a worker thread of its own over the
 * MessagePort transport components use (measured slower on 2 cores: four busy threads then share them);
 * `--client=https` speaks HTTPS from that worker as kubectl would (TLS and HTTP parsing then land on the control
 * plane's thread too: about half the throughput).
 *
 * usage: run(['--small', '--store=lowdb|memory', '--client=port|https|in-process', '--concurrency=256', '--lifecycle',
 *             '--inline', '--profile', '--scenario=1000x10000'])
 *   --inline    components on the control plane's thread (componentMode 'inline'); --profile then sees them too
 *   --small     only the 1k nodes / 10k pods scenario
 *   --scenario  one custom scenario <nodes>x<pods> (repeatable as a comma list)
 *   --profile   record a CPU profile (inspector) of each scenario's pod phase; prints the top self-time
 *               functions and files and keeps the .cpuprofile
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Node } from '../../main/api/core/v1/node.js';
import type { SimulatedNode } from '../../main/api/pilothouse.dev/v1alpha1/simulated-node.js';
import { LOOPBACK_USER } from '../../main/apiserver/authn/user-info.js';
import { createLocalClient } from '../../main/client/local-client.js';
import { NODES, type KubeClient, type WatchHandle } from '../../main/client/kube-client.js';
import { startControlPlane, type ControlPlane } from '../../main/control-plane/control-plane.js';
import { SIMULATED_NODES } from '../../main/nodes/providers/simulated/simulated-node-provider.js';
import { openMemoryStore } from '../../main/store/memory-store.js';
import { argValue, fmt, summariseCpuProfile } from './startup.js';
import { describeNodeFlags, hasServerFlags, rerunWithServerFlags } from '../helpers/server-node-flags.js';
import { schedulePods, schedulePodsOverHttps, schedulePodsOverPort } from './scheduler-load.js';

interface Scenario {
  nodes: number;
  pods: number;
  /** Target pods/s. */
  target?: number;
}

interface Options {
  store: 'lowdb' | 'memory';
  /** Where the load generator runs: the control plane's thread (default) or a worker thread over HTTPS. */
  client: 'port' | 'https' | 'in-process';
  concurrency: number;
  podStartSeconds?: number;
  profileDir?: string;
  componentMode: 'worker' | 'inline';
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;

/** Samples RSS every `everyMs` until stopped; returns the peak. */
function rssSampler(everyMs = 50): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), everyMs);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function runWorkers(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await job(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const isReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Creates `count` SimulatedNodes and resolves with the ms from the first create until every Node is Ready. */
async function bringUpNodes(client: KubeClient, count: number, podStartSeconds: number | undefined): Promise<number> {
  const ready = new Set<string>();
  let allReady!: () => void;
  const done = new Promise<void>((r) => (allReady = r));
  const rv = (await client.list<Node>(NODES, '', { limit: 1 })).resourceVersion;
  const watch: WatchHandle = client.watch<Node>(NODES, '', { resourceVersion: rv }, (e) => {
    const name = e.object.metadata.name ?? '';
    if ((e.type === 'ADDED' || e.type === 'MODIFIED') && name.startsWith('bench-node-') && isReady(e.object)) {
      ready.add(name);
      if (ready.size === count) allReady();
    }
  });
  const t0 = performance.now();
  try {
    await runWorkers(count, 64, async (i) => {
      await client.create<SimulatedNode>(SIMULATED_NODES, '', {
        apiVersion: 'pilothouse.dev/v1alpha1',
        kind: 'SimulatedNode',
        metadata: { name: `bench-node-${i}` },
        spec: podStartSeconds === undefined ? {} : { podStartSeconds },
      });
    });
    const created = performance.now() - t0;
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`only ${ready.size}/${count} nodes Ready after 120 s`)), 120_000).unref());
    await Promise.race([done, timeout]);
    const ms = performance.now() - t0;
    console.log(`  nodes: ${count} SimulatedNodes created in ${fmt(created)} ms; all ${count} Nodes Ready after ${fmt(ms)} ms`);
    return ms;
  } finally {
    watch.stop();
  }
}

async function startProfile(): Promise<Session> {
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.setSamplingInterval', { interval: 500 });
  await s.post('Profiler.start');
  return s;
}

async function stopProfile(s: Session, file: string): Promise<void> {
  const { profile } = await s.post('Profiler.stop');
  s.disconnect();
  await writeFile(file, JSON.stringify(profile));
  console.log(summariseCpuProfile(file, 20));
}

async function runScenario(sc: Scenario, opts: Options): Promise<void> {
  const label = `${sc.nodes} nodes / ${sc.pods} pods`;
  console.log(`\n== ${label} (store: ${opts.store}, ${opts.concurrency} concurrent creates, ` +
    `simulated pod start: ${opts.podStartSeconds === undefined ? 'default 1 s' : `${opts.podStartSeconds} s`}) ==`);
  const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-bench-scheduler-'));
  const rss = rssSampler();
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane({
      dataDir,
      apiPort: 0,
      store: opts.store === 'memory' ? openMemoryStore() : undefined,
      componentMode: opts.componentMode,
      log: (m) => {
        if (!/^(GET|POST|PUT|PATCH|DELETE) /.test(m)) process.stderr.write(`  [control plane] ${m}\n`);
      },
    });
    const client = createLocalClient(cp.server, LOOPBACK_USER, { userAgent: 'pilothouse-bench/scheduler' });
    const rssBeforeNodes = process.memoryUsage.rss();
    const readyMs = await bringUpNodes(client, sc.nodes, opts.podStartSeconds);
    if (!cp.scheduler) throw new Error('the control plane runs no scheduler');
    const scheduler = cp.scheduler;
    await scheduler.call('resetLatencies');
    const before = await scheduler.call('metrics');

    const profile = opts.profileDir ? await startProfile() : undefined;
    const timeoutMs = Math.max(120_000, sc.pods * 20);
    const load = { count: sc.pods, concurrency: opts.concurrency, timeoutMs };
    const r = opts.client === 'in-process'
      ? await schedulePods(client, sc.pods, opts.concurrency, timeoutMs)
      : opts.client === 'port'
        ? await schedulePodsOverPort(cp.server, load)
        : await schedulePodsOverHttps({ kubeconfigPath: cp.kubeconfigPath, ...load });
    if (profile) await stopProfile(profile, join(opts.profileDir!, `scheduler-${sc.nodes}x${sc.pods}.cpuprofile`));
    // The watch can see the last binding persisted a moment before the worker has counted its response.
    let m = await scheduler.call('metrics');
    for (let i = 0; i < 40 && m.scheduled! - before.scheduled! < r.bound; i++) {
      await new Promise((res) => setTimeout(res, 25));
      m = await scheduler.call('metrics');
    }
    const peak = rss.stop();
    const podsPerSec = r.bound / (r.bindMs / 1000);

    const readyTarget = sc.nodes === 1000 ? `   target ≤ 2000 ms: ${readyMs <= 2000 ? 'MET' : 'MISSED'}` : '';
    console.log(`  nodes Ready:        ${fmt(readyMs)} ms for ${sc.nodes}${readyTarget}`);
    console.log(`  pods created:       ${sc.pods} in ${fmt(r.createMs)} ms (${Math.round(sc.pods / (r.createMs / 1000))} creates/s)`);
    console.log(`  pods bound:         ${r.bound}/${sc.pods} in ${fmt(r.bindMs)} ms from the first create to the last bind seen` +
      (r.bound < sc.pods ? `  (TIMED OUT after ${fmt(timeoutMs)} ms)` : ''));
    console.log(`  throughput:         ${Math.round(podsPerSec)} pods/s` +
      (sc.target ? `   target ≥ ${sc.target} pods/s: ${podsPerSec >= sc.target && r.bound === sc.pods ? 'MET' : 'MISSED'}` : ''));
    console.log(`  attempt latency:    p50 ${fmt(m.attemptP50Ms!)} ms   p99 ${fmt(m.attemptP99Ms!)} ms   (${m.attempts} attempts)`);
    console.log(`  queue → bound:      p50 ${fmt(m.e2eP50Ms!)} ms   p99 ${fmt(m.e2eP99Ms!)} ms`);
    console.log(`  scheduler counters: scheduled ${m.scheduled! - before.scheduled!}, unschedulable ${m.unschedulable! - before.unschedulable!}, ` +
      `errors ${m.errors! - before.errors!}, binding failures ${m.bindingFailures! - before.bindingFailures!}`);
    console.log(`  memory:             peak RSS ${mb(peak)} (${mb(rssBeforeNodes)} before the nodes; heap used now ${mb(process.memoryUsage().heapUsed)})`);
  } finally {
    rss.stop();
    await cp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function parseScenarios(args: string[]): Scenario[] {
  const custom = argValue(args, 'scenario');
  if (custom) {
    return custom.split(',').map((s) => {
      const [nodes, pods] = s.split('x').map(Number);
      if (!nodes || !pods) throw new Error(`--scenario: expected <nodes>x<pods>, got "${s}"`);
      return { nodes, pods };
    });
  }
  const all: Scenario[] = [{ nodes: 1000, pods: 10_000, target: 2000 }, { nodes: 5000, pods: 50_000, target: 1000 }];
  return argValue(args, 'small') !== undefined ? all.slice(0, 1) : all;
}

const LOAD_CLIENTS: Record<Options['client'], string> = {
  port: 'from a worker thread over the MessagePort API transport',
  https: 'from a worker thread over HTTPS',
  'in-process': "through the in-process client on the control plane's thread",
};

export async function run(args: string[]): Promise<void> {
  // Measured as `serve` runs: with the server's V8 flags (see main/cli/server-node-flags.ts).
  if (!hasServerFlags(args)) return rerunWithServerFlags('scheduler', args);
  console.log(describeNodeFlags());
  const store = (argValue(args, 'store') ?? 'lowdb') as Options['store'];
  if (store !== 'lowdb' && store !== 'memory') throw new Error(`--store: lowdb or memory, not "${store}"`);
  const client = (argValue(args, 'client') ?? 'in-process') as Options['client'];
  if (!LOAD_CLIENTS[client]) throw new Error(`--client: port, https or in-process, not "${client}"`);
  const opts: Options = {
    store,
    client,
    concurrency: Number(argValue(args, 'concurrency') ?? 256),
    podStartSeconds: argValue(args, 'lifecycle') !== undefined ? undefined : 3600,
    profileDir: argValue(args, 'profile') !== undefined ? await mkdtemp(join(tmpdir(), 'pilothouse-scheduler-profiles-')) : undefined,
    componentMode: argValue(args, 'inline') !== undefined ? 'inline' : 'worker',
  };
  console.log(`scheduler benchmark: node ${process.version}, in-process control plane (components: ${opts.componentMode === 'worker' ? 'worker threads' : 'inline'}), ${store} store, ` +
    `pods created and watched ${LOAD_CLIENTS[client]}`);
  for (const sc of parseScenarios(args)) await runScenario(sc, opts);
  console.log(`\nprocess peak RSS (OS high-water mark over all scenarios): ${mb(process.resourceUsage().maxRSS * 1024)}`);
  if (opts.profileDir) console.log(`profiles kept in ${opts.profileDir}`);
}
