import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SortedKeyIndex, prefixEnd } from '../../../main/store/sorted-key-index.js';

test('sorted key index matches a naive model under random inserts/removes', () => {
  const idx = new SortedKeyIndex();
  const model = new Set<string>();
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 20000; i++) {
    const k = `/p${rnd(5)}/${String(rnd(3000)).padStart(4, '0')}`;
    if (rnd(3) === 0) assert.equal(idx.remove(k), model.delete(k));
    else {
      const had = model.has(k);
      model.add(k);
      assert.equal(idx.insert(k), !had);
    }
  }
  assert.equal(idx.size, model.size);
  const sorted = [...model].sort();
  for (const prefix of ['', '/p1/', '/p3/00', '/p9/']) {
    const want = sorted.filter((k) => k.startsWith(prefix));
    assert.deepEqual(idx.range(prefix, undefined, 0).keys, want);
    assert.equal(idx.countRange(prefix), want.length);
    const after = want[Math.floor(want.length / 2)];
    const rest = want.filter((k) => after === undefined || k > after);
    const page = idx.range(prefix, after, 10);
    assert.deepEqual(page.keys, rest.slice(0, 10));
    assert.equal(page.remaining, Math.max(0, rest.length - 10));
  }
  const copy = new SortedKeyIndex();
  copy.load([...model]);
  assert.deepEqual(copy.range('', undefined, 0).keys, sorted);
});

test('prefixEnd', () => {
  assert.equal(prefixEnd('/a/'), '/a0');
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('a\uffff'), 'b');
});
