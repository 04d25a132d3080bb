/** The coalescing, bounded status write queue. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WriteQueue } from '../../../../../main/nodes/providers/simulated/write-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

test('bounded concurrency; a key queued twice is written once, with the newest writer', async () => {
  const q = new WriteQueue(2);
  const log: string[] = [];
  let active = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const write = (name: string) => async () => {
    active++;
    peak = Math.max(peak, active);
    log.push(name);
    await new Promise<void>((r) => release.push(r));
    active--;
  };
  q.enqueue('a', write('a1'));
  q.enqueue('b', write('b1'));
  q.enqueue('c', write('c1'));
  q.enqueue('c', write('c2')); // replaces c1 before it ran
  q.enqueue('a', write('a2')); // a is in flight: runs again afterwards
  await tick();
  assert.deepEqual(log, ['a1', 'b1']);
  while (release.length) {
    release.shift()!();
    await tick();
    await tick();
  }
  await q.idle();
  assert.deepEqual(log, ['a1', 'b1', 'c2', 'a2']);
  assert.equal(peak, 2);
});

test('cancel drops a waiting write; errors go to onError and do not stop the queue', async () => {
  const errors: string[] = [];
  const q = new WriteQueue(1, (key) => errors.push(key));
  const done: string[] = [];
  q.enqueue('x', async () => { throw new Error('boom'); });
  q.enqueue('y', async () => { done.push('y'); });
  q.enqueue('z', async () => { done.push('z'); });
  q.cancel('y');
  await q.idle();
  assert.deepEqual(done, ['z']);
  assert.deepEqual(errors, ['x']);
});
