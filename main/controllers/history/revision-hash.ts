/**
 * Hashing of ControllerRevision data (controller/history.HashControllerRevision) and of pod templates
 * (controller.ComputeHash): FNV-1a 32-bit over canonical JSON (keys sorted, so the hash does not depend on the
 * order in which the server returned fields), the collision count appended as decimal text, and the sum written
 * in decimal and mapped through rand.SafeEncodeString's alphabet (no vowels, no look-alike digits).
 */

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted recursively; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character replaced by SAFE_ALPHABET[code % 27]. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** The hash of `data` (any JSON value) with an optional collision count, as a short safe string. */
export function hashWithCollisions(data: unknown, collisionCount?: number): string {
  let text = canonicalJson(data);
  if (collisionCount !== undefined && collisionCount !== null) text += String(collisionCount);
  return safeEncode(String(fnv1a32(text)));
}
