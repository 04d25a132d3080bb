/**
 * Store benchmark (performance goals A1/A2/A6/C1): durable creates/s and create latency with 10 concurrent
 * clients at 10k and 100k stored objects, bytes written per create, snapshot-compaction stalls, and open
 * (recovery) time.
 *
 * usage: run(['--sizes=10000,100000', '--window=20000', '--clients=10', '--dir=/path'])
 * Each size: pre-fill N objects (50 concurrent), then
 *   window A: `window` creates by `clients` concurrent clients, natural compaction policy;
 *   window B: the same while a full snapshot compaction of the whole store runs (worst case for p99);
 * then reopen the directory and time the recovery.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KObject } from '../../main/api/meta/object.js';
import { openLowdbStore, type LowdbStore } from '../../main/store/lowdb-store.js';
import { describeNodeFlags, hasServerFlags, rerunWithServerFlags } from '../helpers/server-node-flags.js';

interface Args {
  sizes: number[];
  window: number;
  clients: number;
  dir: string;
}

function parseArgs(args: string[]): Args {
  const get = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    sizes: (get('sizes') ?? '10000,100000').split(',').map(Number),
    window: Number(get('window') ?? 20000),
    clients: Number(get('clients') ?? 10),
    dir: get('dir') ?? tmpdir(),
  };
}

/** A realistic ~1 KB pod as the API server would store it. */
export function benchPod(i: number): KObject {
  const name = `web-7d9f8b6c5d-${i.toString(36).padStart(5, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: 'web-7d9f8b6c5d-',
      namespace: `ns-${i % 50}`,
      uid: `6f1c9a2e-${(i % 65536).toString(16).padStart(4, '0')}-4b7e-9c1d-${i.toString(16).padStart(12, '0')}`,
      creationTimestamp: '2025-01-01T00:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d9f8b6c5d', tier: 'frontend' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8b6c5d', uid: 'a1b2c3d4-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/team/web:1.27.3',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
          env: [{ name: 'MODE', value: 'production' }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface WindowResult {
  opsPerSec: number;
  p50: number;
  p99: number;
  max: number;
  bytesPerCreate: number;
}

async function fill(store: LowdbStore, from: number, count: number, clients: number, lat?: number[]): Promise<number> {
  let next = from;
  const end = from + count;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < end) {
        const i = next++;
        const obj = benchPod(i);
        const s = performance.now();
        await store.create(`/registry/pods/${obj.metadata.namespace}/${obj.metadata.name}`, obj);
        lat?.push(performance.now() - s);
      }
    }),
  );
  return performance.now() - t0;
}

async function measureWindow(store: LowdbStore, from: number, args: Args, duringCompaction: boolean): Promise<WindowResult> {
  const before = store.stats();
  const lat: number[] = [];
  const compaction = duringCompaction ? store.compact() : undefined;
  const ms = await fill(store, from, args.window, args.clients, lat);
  await compaction;
  const after = store.stats();
  lat.sort((a, b) => a - b);
  const bytes =
    after.walBytesWritten - before.walBytesWritten + (after.snapshotBytesWritten - before.snapshotBytesWritten);
  return {
    opsPerSec: (args.window / ms) * 1000,
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    max: lat.at(-1) ?? NaN,
    bytesPerCreate: bytes / args.window,
  };
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

export async function run(argv: string[]): Promise<void> {
  // Measured as `serve` runs: with the server's V8 flags (see main/cli/server-node-flags.ts).
  if (!hasServerFlags(argv)) return rerunWithServerFlags('store', argv);
  const args = parseArgs(argv);
  console.log(describeNodeFlags());
  const objectBytes = Buffer.byteLength(JSON.stringify(benchPod(12345)));
  console.log(`store benchmark (lowdb backend): object ≈ ${objectBytes} B JSON, ${args.clients} concurrent clients, window ${args.window} creates`);
  for (const size of args.sizes) {
    const dir = await mkdtemp(path.join(args.dir, 'pilothouse-bench-store-'));
    try {
      let store = await openLowdbStore({ dir, log: () => undefined });
      const prefillMs = await fill(store, 0, size, 50);
      const pre = store.stats();
      console.log(`\n== ${size} objects: prefill ${f1((size / prefillMs) * 1000)} creates/s (50 clients), ${pre.compactions} compactions`);
      await store.close();
      const tOpen = performance.now();
      store = await openLowdbStore({ dir, log: () => undefined });
      console.log(
        `  open/recovery with ${size} objects: ${f1(performance.now() - tOpen)} ms (${store.stats().replayedRecords} WAL records replayed)`,
      );
      const preWal = pre.walBytesWritten;
      const preSnap = pre.snapshotBytesWritten;
      const a = await measureWindow(store, size, args, false);
      const b = await measureWindow(store, size + args.window, args, true);
      const total = store.stats();
      const creates = size + 2 * args.window;
      const walTotal = preWal + total.walBytesWritten;
      const snapTotal = preSnap + total.snapshotBytesWritten;
      const amortised = (walTotal + snapTotal) / creates;
      for (const [label, r] of [['steady', a], ['during full compaction', b]] as const) {
        console.log(
          `  ${label.padEnd(22)} ${f1(r.opsPerSec).padStart(8)} creates/s  p50 ${f2(r.p50)} ms  p99 ${f2(r.p99)} ms  ` +
            `max ${f2(r.max)} ms  bytes/create ${f1(r.bytesPerCreate)} (${f2(r.bytesPerCreate / objectBytes)}× object)`,
        );
      }
      console.log(
        `  amortised over the run: ${f1(amortised)} B/create = ${f2(amortised / objectBytes)}× object ` +
          `(WAL ${f2(walTotal / creates / objectBytes)}×, snapshots ${f2(snapTotal / creates / objectBytes)}×, ` +
          `${pre.compactions + total.compactions} compactions incl. 1 forced; window writes/fsync ${f1((2 * args.window) / total.walBatches)})`,
      );
      const rev = store.revision();
      await store.close();
      const t0 = performance.now();
      store = await openLowdbStore({ dir, log: () => undefined });
      const openMs = performance.now() - t0;
      const st = store.stats();
      console.log(
        `  open/recovery: ${f1(openMs)} ms for ${creates} objects (revision ${rev}, ${st.replayedRecords} WAL records replayed)`,
      );
      if (store.revision() !== rev) throw new Error(`recovered revision ${store.revision()} != ${rev}`);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

// Direct invocation: node dist/test/bench/store.js [--sizes=...]
if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  await run(process.argv.slice(2));
}
