import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PortAllocator } from '../../../../main/apiserver/allocators/port-allocator.js';

test('default range is 30000-32767', () => {
  const a = new PortAllocator();
  assert.equal(a.range, '30000-32767');
  for (let i = 0; i < 50; i++) {
    const p = a.allocateNext()!;
    assert.ok(p >= 30000 && p <= 32767, String(p));
  }
});

test('allocate: range and uniqueness with upstream texts', () => {
  const a = new PortAllocator();
  const cases: [number, string | undefined][] = [
    [30000, undefined], [32767, undefined], [30080, undefined],
    [30080, 'provided port is already allocated'],
    [29999, 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
    [32768, 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
    [80, 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
  ];
  for (const [port, want] of cases) assert.equal(a.allocate(port), want, String(port));
});

test('allocateNext: unique until exhausted; release frees a port', () => {
  const a = new PortAllocator(31000, 31004);
  assert.equal(a.range, '31000-31004');
  assert.equal(a.allocate(31002), undefined);
  const got = new Set<number>();
  for (let i = 0; i < 4; i++) got.add(a.allocateNext()!);
  assert.deepEqual([...got].sort(), [31000, 31001, 31003, 31004]);
  assert.equal(a.allocateNext(), undefined);
  a.release(31003);
  assert.equal(a.allocate(31003), undefined);
  a.release(31003);
  assert.equal(a.allocateNext(), 31003);
  assert.equal(a.allocateNext(), undefined);
});
