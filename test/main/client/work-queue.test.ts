import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefaultRateLimiter, WorkQueue, runWorkers } from '../../../main/client/work-queue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('add deduplicates waiting keys and get is FIFO', async () => {
  const q = new WorkQueue();
  q.add('a'); q.add('b'); q.add('a'); q.add('c');
  assert.equal(q.len(), 3);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
  q.shutdown();
});

test('a key being processed is not handed out again until done, then re-queued once', async () => {
  const q = new WorkQueue();
  q.add('k');
  const first = await q.get();
  assert.equal(first, 'k');
  q.add('k');
  q.add('k');
  assert.equal(q.len(), 0, 'the re-added key waits for done()');
  let second: string | undefined;
  void q.get().then((k) => { second = k; });
  await sleep(5);
  assert.equal(second, undefined, 'not handed to a second worker');
  q.done('k');
  await sleep(0);
  assert.equal(second, 'k');
  q.done('k');
  assert.equal(q.len(), 0);
  q.shutdown();
});

test('get waits for an add; shutdown releases waiters with undefined and drops pending keys', async () => {
  const q = new WorkQueue();
  const waiting = q.get();
  q.add('x');
  assert.equal(await waiting, 'x');
  const w2 = q.get();
  q.addAfter('later', 1000);
  q.shutdown();
  assert.equal(await w2, undefined);
  q.add('y');
  assert.equal(await q.get(), undefined);
});

test('addAfter delays, and the earliest of several delays wins', async () => {
  const q = new WorkQueue();
  const t0 = Date.now();
  q.addAfter('d', 200);
  q.addAfter('d', 30);
  q.addAfter('d', 100);
  assert.equal(await q.get(), 'd');
  const waited = Date.now() - t0;
  assert.ok(waited >= 25 && waited < 150, `waited ${waited} ms`);
  q.done('d');
  await sleep(200);
  assert.equal(q.len(), 0, 'the superseded delays did not add it again');
  q.shutdown();
});

test('per-item exponential backoff: 5 ms doubling to a 1000 s cap; forget resets', () => {
  const rl = new DefaultRateLimiter<string>({ qps: 0 });
  const delays = Array.from({ length: 5 }, () => rl.when('a'));
  assert.deepEqual(delays, [5, 10, 20, 40, 80]);
  assert.equal(rl.numRequeues('a'), 5);
  assert.equal(rl.when('b'), 5, 'per item');
  for (let i = 0; i < 30; i++) rl.when('a');
  assert.equal(rl.when('a'), 1_000_000);
  rl.forget('a');
  assert.equal(rl.numRequeues('a'), 0);
  assert.equal(rl.when('a'), 5);
});

test('the overall retry bucket (10 qps, burst 100) throttles once the burst is spent', () => {
  const now = 1_000_000;
  const rl = new DefaultRateLimiter<number>({}, () => now);
  for (let i = 0; i < 100; i++) assert.equal(rl.when(i), 5);
  assert.equal(rl.when(100), 100, 'the 101st retry waits for a token: 1/10 s');
  assert.equal(rl.when(101), 200);
});

test('runWorkers: retries failures with backoff, never runs one key concurrently, stops cleanly', async () => {
  const q = new WorkQueue();
  const attempts = new Map<string, number>();
  const running = new Set<string>();
  let overlap = false;
  const stop = runWorkers(q, 4, async (key) => {
    if (running.has(key)) overlap = true;
    running.add(key);
    await sleep(2);
    running.delete(key);
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (key === 'flaky' && n < 3) throw new Error('not yet');
  }, { onError: () => {} });
  for (let i = 0; i < 20; i++) q.add(`k${i % 5}`);
  q.add('flaky');
  for (let i = 0; i < 10; i++) { q.add('hot'); await sleep(1); }
  const t0 = Date.now();
  while (attempts.get('flaky') !== 3 && Date.now() - t0 < 2000) await sleep(2);
  assert.equal(attempts.get('flaky'), 3, 'retried until success');
  assert.equal(q.numRequeues('flaky'), 0, 'forgotten after success');
  assert.equal(overlap, false);
  assert.ok((attempts.get('hot') ?? 0) >= 2 && (attempts.get('hot') ?? 0) <= 10);
  await stop();
  assert.equal(running.size, 0, 'stopper waited for in-flight syncs');
});

test('runWorkers: maxRetries gives up', async () => {
  const q = new WorkQueue();
  let calls = 0;
  const stop = runWorkers(q, 1, async () => { calls++; throw new Error('always'); }, { maxRetries: 2, onError: () => {} });
  q.add('bad');
  await sleep(100);
  assert.equal(calls, 3, 'first attempt + 2 retries');
  await stop();
});
