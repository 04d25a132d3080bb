/** Messages queued within one event-loop turn cross a port as one batch, in order; flush() sends at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { onBatches, PortOutbox } from '../../../main/components/port-outbox.js';

test('one postMessage per turn, order kept, every message delivered to the handler', async () => {
  const { port1, port2 } = new MessageChannel();
  const batches: number[][] = [];
  port2.on('message', (b: number[]) => batches.push(b));
  const outbox = new PortOutbox<number>(port1);
  for (let i = 0; i < 100; i++) outbox.send(i);
  await new Promise((r) => setTimeout(r, 20));
  outbox.send(100);
  outbox.send(101);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(batches.map((b) => b.length), [100, 2]);
  assert.deepEqual(batches.flat(), Array.from({ length: 102 }, (_, i) => i));
  port1.close();
});

test('flush sends what is queued right away; onBatches hands over single messages', async () => {
  const { port1, port2 } = new MessageChannel();
  const seen: string[] = [];
  onBatches<string>(port2, (m) => seen.push(m));
  const outbox = new PortOutbox<string>(port1);
  outbox.send('a');
  outbox.send('b');
  outbox.flush();
  port1.close(); // a batch flushed before close still arrives
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(seen, ['a', 'b']);
});
