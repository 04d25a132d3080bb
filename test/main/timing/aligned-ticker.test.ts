/** Aligned tickers fire on whole multiples of their period, once per instant, and stop when told. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everyAligned, nextGridInstant } from '../../../main/timing/aligned-ticker.js';

test('nextGridInstant is the next whole multiple of the period, strictly later', () => {
  assert.equal(nextGridInstant(0, 1000), 1000);
  assert.equal(nextGridInstant(999, 1000), 1000);
  assert.equal(nextGridInstant(1000, 1000), 2000);
  assert.equal(nextGridInstant(12_345, 5000), 15_000);
});

test('ticks land on the grid whatever the start; tickers of dividing periods share instants; stop ends them', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 12_345 });
  const fives: number[] = [];
  const tens: number[] = [];
  const a = everyAligned(5000, () => fives.push(Date.now()));
  const b = everyAligned(10_000, () => tens.push(Date.now()));
  t.mock.timers.tick(655); // to 13 000: the mocked Date moves in whole steps
  for (let i = 0; i < 38; i++) t.mock.timers.tick(1000);
  assert.deepEqual(fives, [15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000]);
  assert.deepEqual(tens, [20_000, 30_000, 40_000, 50_000]);
  a.stop();
  b.stop();
  for (let i = 0; i < 20; i++) t.mock.timers.tick(1000);
  assert.equal(fives.length, 8, 'no ticks after stop');
});

test('a timer that fires early does not deliver the same instant twice', () => {
  let clock = 900;
  const ticks: number[] = [];
  const fired: (() => void)[] = [];
  const realSetTimeout = globalThis.setTimeout;
  // A wall clock that lags the timer by 2 ms: the timer for 1000 fires when the clock reads 998.
  globalThis.setTimeout = ((fn: () => void) => (fired.push(fn), { unref() {} })) as unknown as typeof setTimeout;
  try {
    const ticker = everyAligned(100, () => ticks.push(clock), () => clock);
    clock = 998;
    fired.shift()!();
    clock = 1001;
    fired.shift()!();
    ticker.stop();
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.deepEqual(ticks, [998, 1001], 'instants 1000 and 1100, each once');
});

test('a non-positive period is refused', () => {
  assert.throws(() => everyAligned(0, () => {}), /period must be positive/);
});
