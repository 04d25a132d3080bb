/** DueQueue: many deadlines on one clock timer, fired in time order, lazily cancelled, compacted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DueQueue } from '../../../../../main/nodes/providers/simulated/due-queue.js';
import { FakeClock } from '../../fake-clock.js';

test('fires due items in time order (ties in insertion order) on a single clock timer', () => {
  const clock = new FakeClock();
  const fired: string[] = [];
  const q = new DueQueue<string>(clock, (s) => fired.push(`${s}@${clock.now() - Date.parse('2026-01-01T00:00:00Z')}`));
  const t0 = clock.now();
  q.add(t0 + 300, 'c');
  q.add(t0 + 100, 'a');
  q.add(t0 + 100, 'b');
  q.add(t0 + 200, 'x');
  assert.equal(clock.pending, 1, 'one timer, for the earliest deadline');
  assert.deepEqual(fired, [], 'never synchronously inside add');
  clock.advance(150);
  assert.deepEqual(fired, ['a@100', 'b@100']);
  clock.advance(1000);
  assert.deepEqual(fired, ['a@100', 'b@100', 'x@200', 'c@300']);
  assert.equal(q.size, 0);
  assert.equal(clock.pending, 0);
});

test('cancelled entries are skipped; items added while firing run when due; stop drops everything', () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const fired: number[] = [];
  const q: DueQueue<number> = new DueQueue<number>(clock, (n) => {
    fired.push(n);
    if (n === 1) q.add(clock.now() + 50, 10);
  });
  q.add(t0 + 100, 1);
  const e2 = q.add(t0 + 120, 2);
  q.add(t0 + 500, 3);
  q.cancel(e2);
  q.cancel(e2);
  assert.equal(q.size, 2);
  clock.advance(200);
  assert.deepEqual(fired, [1, 10]);
  q.stop();
  clock.advance(1000);
  assert.deepEqual(fired, [1, 10]);
  q.add(t0 + 2000, 4);
  clock.advance(5000);
  assert.deepEqual(fired, [1, 10], 'a stopped queue takes nothing');
});

test('an earlier deadline re-arms the timer; mass cancellation compacts the heap', () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const fired: number[] = [];
  const q = new DueQueue<number>(clock, (n) => fired.push(n));
  const far = Array.from({ length: 1000 }, (_, i) => q.add(t0 + 3_600_000 + i, i));
  q.add(t0 + 10, -1);
  clock.advance(10);
  assert.deepEqual(fired, [-1]);
  for (const e of far.slice(0, 900)) q.cancel(e);
  assert.equal(q.size, 100);
  assert.ok((q as unknown as { heap: unknown[] }).heap.length <= 200, 'cancelled entries do not pile up');
  clock.advance(3_700_000);
  assert.deepEqual(fired.slice(1), Array.from({ length: 100 }, (_, i) => 900 + i));
});
