/** Micro-benchmark of the in-process client (prints req/s); asserts generous floors so slow CI stays green. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONFIGMAPS, PODS } from '../../../main/client/kube-client.js';
import { pod, startClientFixture, type ClientFixture } from './client-fixture.js';

let fx: ClientFixture;
before(async () => { fx = await startClientFixture(); });
after(async () => { await fx.stop(); });

async function rate(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await op(next++);
  }));
  return n / ((performance.now() - t0) / 1000);
}

test('local client throughput: GET, create pod, create configmap', async () => {
  const c = fx.local;
  await c.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'perf' }, data: { a: 'b' } });
  await rate(2000, 16, () => c.get(CONFIGMAPS, 'default', 'perf')); // warm-up
  const gets = await rate(20000, 16, () => c.get(CONFIGMAPS, 'default', 'perf'));
  await rate(500, 16, (i) => c.create(PODS, 'default', pod(`warm-${i}`)));
  const podCreates = await rate(5000, 16, (i) => c.create(PODS, 'default', pod(`perf-${i}`)));
  const cmCreates = await rate(5000, 16, (i) => c.create(CONFIGMAPS, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } }));
  console.log(`local client: GET ${gets.toFixed(0)}/s, pod create ${podCreates.toFixed(0)}/s, configmap create ${cmCreates.toFixed(0)}/s`);
  assert.ok(gets > 2000, `GET rate ${gets}`);
  assert.ok(podCreates > 500, `create rate ${podCreates}`);
});

test('local watch throughput: events delivered per second while pods are created', async () => {
  const c = fx.local;
  const start = await c.list(PODS, 'watch-perf');
  let seen = 0;
  const h = c.watch(PODS, '', { resourceVersion: start.resourceVersion }, () => { seen++; });
  const n = 3000;
  const t0 = performance.now();
  await rate(n, 16, (i) => c.create(PODS, 'default', pod(`w-${i}`)));
  while (seen < n) await new Promise((r) => setTimeout(r, 1));
  const perS = n / ((performance.now() - t0) / 1000);
  console.log(`local watch: ${n} ADDED events delivered at ${perS.toFixed(0)}/s (create-bound)`);
  h.stop();
  assert.equal(await h.done, undefined);
});
