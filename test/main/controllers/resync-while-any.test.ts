/** A resync runs on the grid only while some watched informer holds objects; none → no timer at all. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventHandler, Informer } from '../../../main/client/informer.js';
import { resyncWhileAny } from '../../../main/controllers/resync-while-any.js';

/** Just what resyncWhileAny uses of an informer: the store's size and add/delete notifications. */
class FakeInformer {
  readonly store = { size: 0 };
  private handlers: EventHandler<unknown>[] = [];
  addHandler(h: EventHandler<unknown>): () => void {
    this.handlers.push(h);
    return () => (this.handlers = this.handlers.filter((x) => x !== h));
  }
  add(): void {
    this.store.size++;
    for (const h of this.handlers) h.onAdd?.({});
  }
  remove(): void {
    this.store.size--;
    for (const h of this.handlers) h.onDelete?.({});
  }
}

test('resyncWhileAny ticks while any informer has objects, stops when all are empty or when stopped', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  const a = new FakeInformer();
  const b = new FakeInformer();
  let ticks = 0;
  const resync = resyncWhileAny([a, b] as unknown as Informer<any>[], 1000, () => ticks++);
  const advance = (ms: number) => {
    for (let i = 0; i < ms / 100; i++) t.mock.timers.tick(100);
  };
  advance(3000);
  assert.equal(ticks, 0, 'nothing to resync: no ticks');
  b.add();
  advance(3000);
  assert.equal(ticks, 3);
  a.add();
  b.remove();
  advance(2000);
  assert.equal(ticks, 5, 'still an object in a');
  a.remove();
  advance(3000);
  assert.equal(ticks, 5, 'all empty again: no ticks');
  a.add();
  resync.stop();
  advance(3000);
  assert.equal(ticks, 5, 'stopped');
});
