/**
 * API benchmark against one `pilothouse serve` (HTTPS, admin client certificate, keep-alive):
 *   GET      latency of a single-object GET (sequential requests): p50/p99
 *   LIST     latency of listing 1k and 10k ConfigMaps, as JSON and as a Table (kubectl's Accept header): p50/p99
 *   WATCH    delivery latency with N concurrent watchers: for each write, the time from the write's response
 *            arriving at the client to the event arriving at each watcher: p50/p99 (plus from the write's start)
 *
 * usage: run(['--gets=2000', '--lists=20', '--watchers=100', '--writes=200', '--big=10000', '--small=1000'])
 * Client and server share the machine's cores: the figures include the client's own work.
 */
import { performance } from 'node:perf_hooks';
import { request, type Agent } from 'node:https';
import { startServe } from '../helpers/serve-process.js';
import { argValue, benchConfigMap, fillConfigMaps, fmt, KubeClient, percentile } from './startup.js';

/** What `kubectl get` sends for human-readable output. */
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

function line(label: string, values: number[], extra = ''): string {
  return `${label.padEnd(44)} p50 ${fmt(percentile(values, 50)).padStart(7)} ms   p99 ${fmt(percentile(values, 99)).padStart(7)} ms` +
    `   min ${fmt(Math.min(...values)).padStart(7)}   max ${fmt(Math.max(...values)).padStart(7)}   n=${values.length}${extra}`;
}

async function benchGet(c: KubeClient, gets: number): Promise<void> {
  const path = '/api/v1/namespaces/bench-1k/configmaps/cm-0';
  for (let i = 0; i < 100; i++) await c.ok('GET', path); // warm-up (JIT, connection)
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < gets; i++) {
    const s = performance.now();
    const r = await c.ok('GET', path);
    lat.push(r.endAt - s);
  }
  const total = performance.now() - t0;
  console.log(line('GET single ConfigMap (JSON)', lat, `   ${Math.round(gets / (total / 1000))} req/s sequential`));
  // kubectl get configmap cm-0 asks for a Table.
  const tlat: number[] = [];
  for (let i = 0; i < gets / 4; i++) {
    const s = performance.now();
    const r = await c.ok('GET', path, undefined, { Accept: TABLE_ACCEPT });
    tlat.push(r.endAt - s);
  }
  console.log(line('GET single ConfigMap (Table)', tlat));
}

async function benchList(c: KubeClient, namespace: string, count: number, runs: number): Promise<void> {
  for (const [kind, accept] of [['JSON', 'application/json'], ['Table', TABLE_ACCEPT]] as const) {
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    const first = await c.ok('GET', path, undefined, { Accept: accept }); // warm-up
    const parsed = JSON.parse(first.body) as { items?: unknown[]; rows?: unknown[] };
    const n = (parsed.items ?? parsed.rows ?? []).length;
    if (n !== count) throw new Error(`LIST ${namespace} (${kind}) returned ${n} items, expected ${count}`);
    const lat: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      const r = await c.ok('GET', path, undefined, { Accept: accept });
      lat.push(r.endAt - s);
    }
    console.log(line(`LIST ${count} ConfigMaps (${kind})`, lat, `   ${(first.body.length / 1024 / 1024).toFixed(1)} MB`));
  }
  // What kubectl get actually does: pages of 500 as Table.
  const lat: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(runs / 2)); i++) {
    const s = performance.now();
    let cont = '';
    do {
      const r = await c.ok('GET', `/api/v1/namespaces/${namespace}/configmaps?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, undefined, { Accept: TABLE_ACCEPT });
      cont = (JSON.parse(r.body) as { metadata: { continue?: string } }).metadata.continue ?? '';
    } while (cont);
    lat.push(performance.now() - s);
  }
  console.log(line(`LIST ${count} ConfigMaps (Table, pages of 500)`, lat));
}

interface Watcher {
  /** name → performance.now() when the ADDED event for it arrived. */
  arrivals: Map<string, number>;
  close(): void;
}

function openWatcher(agent: Agent, c: KubeClient, namespace: string, resourceVersion: string): Promise<Watcher> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<string, number>();
    const req = request(
      {
        method: 'GET',
        hostname: c.url.hostname,
        port: c.url.port,
        path: `/api/v1/namespaces/${namespace}/configmaps?watch=true&resourceVersion=${resourceVersion}`,
        agent,
        headers: { Accept: 'application/json' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch: ${res.statusCode}`));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const ev = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (!ev.trim()) continue;
            const e = JSON.parse(ev) as { type: string; object: { metadata: { name: string } } };
            if (e.type === 'ADDED') arrivals.set(e.object.metadata.name, at);
          }
        });
        res.on('error', () => undefined);
        resolve({ arrivals, close: () => req.destroy() });
      },
    );
    req.on('error', (e) => reject(e));
    req.end();
  });
}

async function benchWatch(c: KubeClient, watchers: number, writes: number): Promise<void> {
  const ns = 'bench-watch';
  await c.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const list = JSON.parse((await c.ok('GET', `/api/v1/namespaces/${ns}/configmaps`)).body) as { metadata: { resourceVersion: string } };
  const agent = c.streamAgent();
  const ws: Watcher[] = [];
  for (let i = 0; i < watchers; i += 20)
    ws.push(...(await Promise.all(Array.from({ length: Math.min(20, watchers - i) }, () => openWatcher(agent, c, ns, list.metadata.resourceVersion)))));
  await new Promise((r) => setTimeout(r, 200));

  const sentAt = new Map<string, number>();
  const ackAt = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < writes; i++) {
    const name = `w-${i}`;
    const s = performance.now();
    const r = await c.ok('POST', `/api/v1/namespaces/${ns}/configmaps`, benchConfigMap(name, i));
    sentAt.set(name, s);
    ackAt.set(name, r.endAt);
  }
  const writeMs = performance.now() - t0;
  // Wait for the stragglers.
  const deadline = performance.now() + 10_000;
  while (ws.some((w) => w.arrivals.size < writes) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));

  const fromAck: number[] = [];
  const fromSend: number[] = [];
  let missing = 0;
  let early = 0;
  for (const w of ws) {
    for (const [name, ack] of ackAt) {
      const at = w.arrivals.get(name);
      if (at === undefined) {
        missing++;
        continue;
      }
      if (at < ack) early++;
      fromAck.push(Math.max(0, at - ack));
      fromSend.push(at - sentAt.get(name)!);
    }
  }
  for (const w of ws) w.close();
  agent.destroy();
  console.log(`WATCH: ${watchers} watchers, ${writes} sequential creates (${Math.round(writes / (writeMs / 1000))} creates/s while watched), ` +
    `${fromAck.length} deliveries, ${missing} missing, ${early} arrived before the write's response (counted as 0)`);
  console.log(line('  watch delivery, from the write response', fromAck));
  console.log(line('  watch delivery, from the write request', fromSend));
}

export async function run(args: string[]): Promise<void> {
  const gets = Number(argValue(args, 'gets') ?? 2000);
  const lists = Number(argValue(args, 'lists') ?? 20);
  const watchers = Number(argValue(args, 'watchers') ?? 100);
  const writes = Number(argValue(args, 'writes') ?? 200);
  const big = Number(argValue(args, 'big') ?? 10_000);
  const small = Number(argValue(args, 'small') ?? 1000);

  const server = await startServe({ timeoutMs: 60_000 });
  const c = await KubeClient.fromKubeconfig(server.kubeconfig);
  try {
    console.log(`api benchmark: node ${process.version}, server ${server.url}`);
    const f1 = await fillConfigMaps(c, 'bench-1k', small, 50);
    const f2 = await fillConfigMaps(c, 'bench-10k', big, 50);
    console.log(`  (filled ${small} + ${big} ConfigMaps in ${fmt(f1 + f2)} ms = ${Math.round((small + big) / ((f1 + f2) / 1000))} creates/s, 50 concurrent)`);

    await benchGet(c, gets);
    await benchList(c, 'bench-1k', small, lists);
    await benchList(c, 'bench-10k', big, Math.max(5, Math.floor(lists / 2)));
    await benchWatch(c, watchers, writes);
  } finally {
    c.close();
    const code = await server.stop();
    await server.cleanup();
    if (code !== 0) console.error(`serve exited with ${code}:\n${server.output()}`);
  }
}
