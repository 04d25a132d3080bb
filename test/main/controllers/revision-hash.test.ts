/** ControllerRevision hashing: canonical JSON, FNV-1a 32, collision count, SafeEncodeString's alphabet. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, hashWithCollisions, safeEncode } from '../../../main/controllers/history/revision-hash.js';

test('canonicalJson sorts object keys at every depth, keeps array order, drops undefined fields', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
});

test('safeEncode maps characters into the vowel-free alphabet', () => {
  // '0'..'9' are char codes 48..57: 48 % 27 = 21 → '4', 49 → '5', 50 → '6', 57 % 27 = 3 → 'f'.
  assert.equal(safeEncode('0129'), '456f');
});

test('hashWithCollisions: key order does not matter; the collision count does; output uses the safe alphabet', () => {
  const a = hashWithCollisions({ x: 1, y: 2 });
  assert.equal(a, hashWithCollisions({ y: 2, x: 1 }));
  assert.notEqual(hashWithCollisions({ x: 1, y: 2 }, 0), hashWithCollisions({ x: 1, y: 2 }, 1));
  assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  // FNV-1a of "null" + "0": a fixed value, so names stay stable across releases.
  assert.equal(hashWithCollisions(null, 0), safeEncode(String(fnv('null0'))));
});

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
