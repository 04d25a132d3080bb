/**
 * The scheduler benchmark's load generator: creates the pods and watches for their bindings, on the control plane's
 * thread (in-process client) or in a worker thread reaching the API server over a MessagePort (as components do)
 * or over HTTPS.
 */
import { isMainThread, MessageChannel, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { Pod } from '../../main/api/core/v1/pod-types.js';
import type { ApiServer } from '../../main/apiserver/api-server.js';
import { LOOPBACK_USER } from '../../main/apiserver/authn/user-info.js';
import { createHttpsClient } from '../../main/client/https-client.js';
import { NAMESPACES, PODS, type KubeClient } from '../../main/client/kube-client.js';
import { LocalTransport } from '../../main/client/local-client.js';
import { createKubeClient } from '../../main/client/transport.js';
import { PortTransport } from '../../main/components/port-transport.js';
import { servePortTransport } from '../../main/components/port-transport-server.js';

export interface PodPhase {
  createMs: number;
  bindMs: number;
  bound: number;
}

export function benchPod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, namespace: 'bench', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'c', image: 'registry.local/bench:1', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  } as Pod;
}

async function runWorkers(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Creates `count` pods and resolves when a watch has seen every one of them bound (or after the timeout). */
export async function schedulePods(client: KubeClient, count: number, concurrency: number, timeoutMs: number): Promise<PodPhase> {
  await client.create(NAMESPACES, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  const bound = new Set<string>();
  let lastBind = 0;
  let allBound!: () => void;
  const done = new Promise<void>((r) => (allBound = r));
  const rv = (await client.list<Pod>(PODS, 'bench', { limit: 1 })).resourceVersion;
  const watch = client.watch<Pod>(PODS, 'bench', { resourceVersion: rv }, (e) => {
    if (e.type !== 'ADDED' && e.type !== 'MODIFIED') return;
    const name = e.object.metadata.name ?? '';
    if (!e.object.spec?.nodeName || bound.has(name)) return;
    bound.add(name);
    lastBind = performance.now();
    if (bound.size === count) allBound();
  });
  const t0 = performance.now();
  try {
    await runWorkers(count, concurrency, async (i) => {
      await client.create(PODS, 'bench', benchPod(i));
    });
    const createMs = performance.now() - t0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([done, timeout]);
    clearTimeout(timer);
    return { createMs, bindMs: (bound.size ? lastBind : performance.now()) - t0, bound: bound.size };
  } finally {
    watch.stop();
  }
}

interface LoadJob {
  role: 'scheduler-load';
  /** HTTPS with this kubeconfig, or else the MessagePort API transport (as components use) on `api`. */
  kubeconfigPath?: string;
  api?: MessagePort;
  count: number;
  concurrency: number;
  timeoutMs: number;
}

function runLoadWorker(job: Omit<LoadJob, 'role'>, transferList: MessagePort[]): Promise<PodPhase> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { role: 'scheduler-load', ...job } satisfies LoadJob, transferList });
    w.once('message', (m: PodPhase | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/** Runs schedulePods in a worker thread over HTTPS (keep-alive connections, one per concurrent request). */
export function schedulePodsOverHttps(job: { kubeconfigPath: string; count: number; concurrency: number; timeoutMs: number }): Promise<PodPhase> {
  return runLoadWorker(job, []);
}

/** Runs schedulePods in a worker thread whose client reaches `server` over a MessagePort, as an admin. */
export async function schedulePodsOverPort(server: ApiServer, job: { count: number; concurrency: number; timeoutMs: number }): Promise<PodPhase> {
  const { port1, port2 } = new MessageChannel();
  const served = servePortTransport(port1, new LocalTransport(server, LOOPBACK_USER));
  try {
    return await runLoadWorker({ ...job, api: port2 }, [port2]);
  } finally {
    served.close();
  }
}

if (!isMainThread && (workerData as LoadJob | undefined)?.role === 'scheduler-load') {
  const job = workerData as LoadJob;
  const userAgent = 'pilothouse-bench/scheduler';
  const client = job.api
    ? createKubeClient(new PortTransport(job.api), { userAgent })
    : createHttpsClient({ kubeconfigPath: job.kubeconfigPath!, userAgent });
  schedulePods(client, job.count, job.concurrency, job.timeoutMs)
    .then((r) => parentPort!.postMessage(r), (e: unknown) => parentPort!.postMessage({ error: String(e) }))
    .finally(() => {
      (client as { close?: () => void }).close?.();
      job.api?.close();
    });
}
