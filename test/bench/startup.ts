/**
 * Startup benchmark: time from spawning `pilothouse serve` to its first successful `/readyz` (polled over HTTPS
 * from the moment of the spawn), in three situations:
 *   cold   empty data dir, nothing there yet: includes creating the PKI (CA, serving, admin, SA keys)
 *   warm   empty cluster restarted: PKI already created, store holds only the seeded objects     (target ≤ 300 ms)
 *   10k    restart with 10k ConfigMaps stored                                                    (target ≤ 1 s)
 * Prints median/p90 (and min/max) per case, plus the server's own "ready in N ms" figure.
 *
 * usage: run(['--runs=7', '--objects=10000', '--profile', '--dir=/tmp'])
 *   --profile  one extra run per case under `node --cpu-prof`; prints the functions and files with the most
 *              self time, and keeps the .cpuprofile files (path printed).
 *
 * Also exports the small HTTPS client and statistics helpers the API benchmark uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseYaml } from 'yaml';
import { CLI } from '../helpers/serve-process.js';

// ---------------------------------------------------------------------------------------------------------
// Shared helpers (also used by api.ts)

export function argValue(args: string[], name: string): string | undefined {
  const hit = args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (hit === undefined) return undefined;
  return hit.includes('=') ? hit.slice(hit.indexOf('=') + 1) : 'true';
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export interface Reply {
  status: number;
  body: string;
  /** performance.now() when the response (headers) arrived / when the body was complete. */
  headersAt: number;
  endAt: number;
}

/** An HTTPS client authenticated with the admin client certificate from a kubeconfig written by `serve`. */
export class KubeClient {
  readonly agent: Agent;
  readonly url: URL;
  private readonly tls: { ca: Buffer; cert: Buffer; key: Buffer };

  private constructor(server: string, tls: { ca: Buffer; cert: Buffer; key: Buffer }, maxSockets: number) {
    this.url = new URL(server);
    this.tls = tls;
    this.agent = new Agent({ keepAlive: true, maxSockets, ...tls });
  }

  static async fromKubeconfig(path: string, maxSockets = 64): Promise<KubeClient> {
    const kc = parseYaml(await readFile(path, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    const b64 = (v: string) => Buffer.from(v, 'base64');
    return new KubeClient(kc.clusters[0]!.cluster.server, {
      ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
      cert: b64(kc.users[0]!.user['client-certificate-data']),
      key: b64(kc.users[0]!.user['client-key-data']),
    }, maxSockets);
  }

  /** A separate agent without a socket limit, for long-lived watch streams. */
  streamAgent(): Agent {
    return new Agent({ keepAlive: false, maxSockets: Infinity, ...this.tls });
  }

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          method,
          hostname: this.url.hostname,
          port: this.url.port,
          path,
          agent: this.agent,
          headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers },
        },
        (res) => {
          const headersAt = performance.now();
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headersAt, endAt: performance.now() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async ok(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply> {
    const r = await this.call(method, path, body, headers);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: ${r.status} ${r.body.slice(0, 500)}`);
    return r;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A typical small ConfigMap (~0.5 KB stored, with managed fields). */
export function benchConfigMap(name: string, i: number): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench', shard: String(i % 16) } },
    data: { 'app.properties': `index=${i}\nmode=production\nlog.level=info\n`, owner: 'team-bench' },
  };
}

/** Creates `count` ConfigMaps `<prefix><i>` in `namespace` (created if missing) with `concurrency` parallel requests. */
export async function fillConfigMaps(c: KubeClient, namespace: string, count: number, concurrency = 50, prefix = 'cm-'): Promise<number> {
  const ns = await c.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  if (ns.status !== 201 && ns.status !== 409) throw new Error(`create namespace ${namespace}: ${ns.status} ${ns.body}`);
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++)
      await c.ok('POST', `/api/v1/namespaces/${namespace}/configmaps`, benchConfigMap(`${prefix}${i}`, i));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------------------
// The startup benchmark

interface Started {
  child: ChildProcess;
  /** spawn → first /readyz 200 "ok". */
  readyMs: number;
  /** the server's own "ready in N ms" figure. */
  selfMs: number;
  exited: Promise<number | null>;
  kubeconfig: string;
  output(): string;
}

function readyzOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { hostname: '127.0.0.1', port, path: '/readyz', method: 'GET', rejectUnauthorized: false, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve(res.statusCode === 200 && body === 'ok'));
        res.on('error', () => resolve(false));
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function startTimed(dataDir: string, nodeArgs: string[] = []): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--data-dir', dataDir, '--api-port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code, signal) => {
    if (signal) out += `[killed by ${signal}]\n`;
    r(code);
  }));
  let dead = false;
  void exited.then(() => (dead = true));
  for (;;) {
    if (dead) throw new Error(`serve exited before it was ready:\n${out}`);
    if (performance.now() - t0 > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`serve not ready after 60 s:\n${out}`);
    }
    if (await readyzOnce(port)) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  const readyMs = performance.now() - t0;
  // The "ready in N ms" line is printed right after listen+seed; wait for it (it may trail the first readyz).
  while (!/ready in (\d+) ms/.test(out) && !dead) await new Promise((r) => setTimeout(r, 2));
  const selfMs = Number(/ready in (\d+) ms/.exec(out)?.[1] ?? NaN);
  return { child, readyMs, selfMs, exited, kubeconfig: join(dataDir, 'kubeconfig'), output: () => out };
}

async function stopServer(s: Started): Promise<void> {
  s.child.kill('SIGTERM');
  const code = await s.exited;
  if (code !== 0) throw new Error(`serve exited with ${code} after SIGTERM:\n${s.output()}`);
}

interface CaseResult {
  name: string;
  ready: number[];
  self: number[];
  target?: number;
}

function report(r: CaseResult): string {
  const line = `${r.name.padEnd(36)} median ${fmt(percentile(r.ready, 50)).padStart(6)} ms   p90 ${fmt(percentile(r.ready, 90)).padStart(6)} ms` +
    `   min ${fmt(Math.min(...r.ready)).padStart(6)}   max ${fmt(Math.max(...r.ready)).padStart(6)}` +
    `   (server's own "ready in": median ${fmt(percentile(r.self, 50))} ms)`;
  if (r.target === undefined) return line;
  const med = percentile(r.ready, 50);
  return `${line}   target ≤ ${r.target} ms: ${med <= r.target ? 'MET' : 'MISSED'}`;
}

interface ProfileEntry {
  self: number;
  where: string;
}

/** Sums self time per function and per file over a .cpuprofile (V8 format). */
export function summariseCpuProfile(file: string, top = 15): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Inclusive phases: a sample counts as module loading when any frame on its stack is Node's module loader
  // (that includes running the modules' top-level code).
  const phases = new Map<string, number>();
  const phaseOf = (id: number): string => {
    const leaf = byId.get(id)!.callFrame.functionName;
    if (leaf === '(garbage collector)' || leaf === '(idle)' || leaf === '(program)') return leaf;
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)!.callFrame.url;
      if (url.startsWith('node:internal/modules/') || url === 'node:internal/bootstrap/realm') return 'module loading + top-level evaluation';
    }
    return 'running pilothouse/dependency code';
  };
  for (let i = 0; i < prof.samples.length; i++) {
    const ph = phaseOf(prof.samples[i]!);
    phases.set(ph, (phases.get(ph) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
  }
  const selfUs = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) selfUs.set(prof.samples[i]!, (selfUs.get(prof.samples[i]!) ?? 0) + (prof.timeDeltas[i] ?? 0));
  const fns = new Map<string, ProfileEntry>();
  const files = new Map<string, ProfileEntry>();
  const short = (url: string) => url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/') || '(native/internal)';
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const f = short(n.callFrame.url);
    const fnKey = `${n.callFrame.functionName || '(anonymous)'}  ${f}:${n.callFrame.lineNumber + 1}`;
    fns.set(fnKey, { self: (fns.get(fnKey)?.self ?? 0) + us / 1000, where: fnKey });
    const fileKey = f.startsWith('node:') ? 'node: internals' : f;
    files.set(fileKey, { self: (files.get(fileKey)?.self ?? 0) + us / 1000, where: fileKey });
  }
  const total = (prof.endTime - prof.startTime) / 1000;
  const list = (m: Map<string, ProfileEntry>) =>
    [...m.values()].sort((a, b) => b.self - a.self).slice(0, top).map((e) => `    ${fmt(e.self).padStart(7)} ms  ${e.where}`).join('\n');
  const phaseList = [...phases].sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${fmt(v).padStart(7)} ms  ${k}`).join('\n');
  return `  profile ${file} (${fmt(total)} ms sampled)\n  by phase:\n${phaseList}\n  top functions by self time:\n${list(fns)}\n  top files by self time:\n${list(files)}`;
}

async function profiledRun(name: string, dataDir: string, profDir: string): Promise<void> {
  const dir = join(profDir, name);
  const s = await startTimed(dataDir, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']);
  await stopServer(s);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  console.log(`\n[profile: ${name}, ready in ${fmt(s.readyMs)} ms under the profiler]`);
  console.log(file ? summariseCpuProfile(join(dir, file)) : `  no .cpuprofile written in ${dir}`);
}

export async function run(args: string[]): Promise<void> {
  const runs = Number(argValue(args, 'runs') ?? 7);
  const objects = Number(argValue(args, 'objects') ?? 10_000);
  const profile = argValue(args, 'profile') !== undefined;
  const base = await mkdtemp(join(argValue(args, 'dir') ?? tmpdir(), 'pilothouse-bench-startup-'));
  const profDir = profile ? mkdtempSync(join(tmpdir(), 'pilothouse-startup-profiles-')) : '';
  console.log(`startup benchmark: ${runs} runs per case, node ${process.version}, data under ${base}`);
  try {
    // (a1) cold: a brand-new data dir each run (PKI creation + first seeding).
    const cold: CaseResult = { name: 'cold (new data dir, creates PKI)', ready: [], self: [] };
    for (let i = 0; i < runs; i++) {
      const dir = join(base, `cold-${i}`);
      const s = await startTimed(dir);
      cold.ready.push(s.readyMs);
      cold.self.push(s.selfMs);
      await stopServer(s);
      if (i > 0) await rm(dir, { recursive: true, force: true });
    }
    console.log(report(cold));

    // (a2) warm: restart of an empty cluster (PKI and seeded objects already there).
    const warmDir = join(base, 'cold-0');
    const warm: CaseResult = { name: 'warm (empty cluster, PKI exists)', ready: [], self: [], target: 300 };
    for (let i = 0; i < runs; i++) {
      const s = await startTimed(warmDir);
      warm.ready.push(s.readyMs);
      warm.self.push(s.selfMs);
      await stopServer(s);
    }
    console.log(report(warm));

    // (b) restart with N ConfigMaps stored.
    const bigDir = join(base, 'big');
    {
      const s = await startTimed(bigDir);
      const c = await KubeClient.fromKubeconfig(s.kubeconfig);
      const ms = await fillConfigMaps(c, 'bench', objects, 50);
      c.close();
      console.log(`  (filled ${objects} ConfigMaps in ${fmt(ms)} ms = ${Math.round(objects / (ms / 1000))} creates/s, 50 concurrent)`);
      await stopServer(s);
    }
    const big: CaseResult = { name: `restart with ${objects} ConfigMaps`, ready: [], self: [], target: 1000 };
    for (let i = 0; i < runs; i++) {
      const s = await startTimed(bigDir);
      big.ready.push(s.readyMs);
      big.self.push(s.selfMs);
      await stopServer(s);
    }
    console.log(report(big));

    // Node's own start-up cost, for reference: the floor under every figure above.
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => spawn(process.execPath, ['-e', '0']).once('exit', () => resolve()));
      floor.push(performance.now() - t0);
    }
    console.log(`${'node -e 0 (process start floor)'.padEnd(36)} median ${fmt(percentile(floor, 50)).padStart(6)} ms   p90 ${fmt(percentile(floor, 90)).padStart(6)} ms`);

    if (profile) {
      await profiledRun('cold', join(base, 'cold-profile'), profDir);
      await profiledRun('warm', warmDir, profDir);
      await profiledRun(`restart-${objects}`, bigDir, profDir);
      console.log(`\nprofiles kept in ${profDir}`);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
