import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommitter, type CommitItem } from '../../../main/store/group-commit.js';

interface Item extends CommitItem {
  id: number;
}

function harness() {
  const writes: Array<{ buf: Buffer; done: () => void; fail: (e: Error) => void }> = [];
  const durable: number[][] = [];
  const failed: number[] = [];
  const gc = new GroupCommitter<Item>({
    write: (buf) => new Promise<void>((done, fail) => writes.push({ buf, done, fail })),
    durable: (items) => durable.push(items.map((i) => i.id)),
    failed: (items) => failed.push(...items.map((i) => i.id)),
  });
  const item = (id: number): Item => ({ id, frame: Buffer.from(`<${id}>`) });
  return { gc, writes, durable, failed, item };
}

const tick = () => new Promise((r) => setImmediate(r));

test('group commit: nothing is durable before its sync completes; writes arriving meanwhile form the next batch', async () => {
  const h = harness();
  h.gc.submit(h.item(1));
  await tick();
  assert.equal(h.writes.length, 1);
  h.gc.submit(h.item(2));
  h.gc.submit(h.item(3));
  await tick();
  assert.deepEqual(h.durable, [], 'no item may be reported durable while its write is in flight');
  assert.equal(h.writes.length, 1, 'only one sync in flight');
  h.writes[0]!.done();
  await tick();
  assert.deepEqual(h.durable, [[1]]);
  assert.equal(h.writes.length, 2);
  assert.equal(h.writes[1]!.buf.toString(), '<2><3>', 'queued items are written as one batch');
  h.writes[1]!.done();
  await h.gc.idle();
  assert.deepEqual(h.durable, [[1], [2, 3]]);
  assert.equal(h.gc.batches, 2);
});

test('group commit: a failed sync fails its batch, everything queued, and every later submit (fail-stop)', async () => {
  const h = harness();
  h.gc.submit(h.item(1));
  await tick();
  h.gc.submit(h.item(2));
  h.writes[0]!.fail(new Error('EIO'));
  await h.gc.idle();
  assert.deepEqual(h.failed, [1, 2]);
  h.gc.submit(h.item(3));
  assert.deepEqual(h.failed, [1, 2, 3]);
  assert.equal(h.gc.failure()?.message, 'EIO');
  assert.deepEqual(h.durable, []);
});

test('group commit: exclusive jobs run between batches', async () => {
  const h = harness();
  const order: string[] = [];
  h.gc.submit(h.item(1));
  await tick();
  const job = h.gc.exclusive(async () => {
    order.push(`job while ${h.writes.length} writes issued`);
  });
  h.gc.submit(h.item(2));
  assert.deepEqual(order, []);
  h.writes[0]!.done();
  await job;
  assert.deepEqual(order, ['job while 1 writes issued'], 'the job ran after batch 1 and before batch 2 was written');
  await tick();
  h.writes[1]!.done();
  await h.gc.idle();
  assert.deepEqual(h.durable, [[1], [2]]);
});
