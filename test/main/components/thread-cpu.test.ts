/** threadCpuMs counts the calling thread's CPU only: a busy loop here shows; a sleeping thread does not. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadCpuMs } from '../../../main/components/thread-cpu.js';

test('threadCpuMs grows with this thread\'s work, not with waiting', { skip: process.platform !== 'linux' && 'Linux only' }, async () => {
  const t0 = threadCpuMs();
  assert.equal(typeof t0, 'number');
  const until = Date.now() + 200;
  while (Date.now() < until); // busy
  const t1 = threadCpuMs()!;
  assert.ok(t1 - t0! >= 100, `busy 200 ms counted ${t1 - t0!} ms`);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(threadCpuMs()! - t1 <= 60, 'a sleeping thread uses (almost) no CPU');
});
