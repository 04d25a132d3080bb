import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../../main/store/memory-store.js';
import { runStoreContract, pod } from './store-contract.js';

runStoreContract('memory', async (opts) => openMemoryStore({ history: opts?.history }));

test('memory store: prefix list and count stay fast at 100k keys', async () => {
  const s = openMemoryStore();
  for (let i = 0; i < 100_000; i++) {
    await s.create(`/registry/pods/ns${i % 100}/p${i}`, pod(`p${i}`, `ns${i % 100}`));
  }
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    const l = await s.list(`/registry/pods/ns${i % 100}/`, { limit: 50 });
    assert.equal(l.items.length, 50);
    assert.equal(l.remaining, 950);
    assert.equal(await s.count(`/registry/pods/ns${i % 100}/`), 1000);
    // Interleaved writes must not force an O(n) rebuild before the next read.
    await s.create(`/registry/pods/ns${i % 100}/extra${i}`, pod(`extra${i}`));
    await s.delete(`/registry/pods/ns${i % 100}/extra${i}`);
  }
  const ms = (performance.now() - t0) / 200;
  assert.ok(ms < 5, `list+count+create+delete took ${ms.toFixed(3)} ms per round at 100k keys`);
  await s.close();
});
