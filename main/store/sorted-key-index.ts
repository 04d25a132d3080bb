/**
 * A sorted set of keys kept as a list of bounded, individually sorted chunks (a flat two-level B-tree).
 *
 * Why: prefix listing must stay fast at 100k+ keys while keys are added and removed thousands of times per
 * second. A single sorted array costs a full memmove per insert; a lazily re-sorted array costs O(n) on the first
 * read after any write. Chunks of at most MAX_CHUNK keys make insert/delete O(log n + MAX_CHUNK) and a prefix
 * range O(log n + items returned); counting a range walks chunk lengths, O(n / MAX_CHUNK).
 *
 * Ordering is JavaScript string order (UTF-16 code units). For the ASCII keys the store uses this equals etcd's
 * byte order.
 */

const MAX_CHUNK = 512;

/** A position in the index: chunk number and offset inside it. */
interface Cursor {
  chunk: number;
  offset: number;
}

export class SortedKeyIndex {
  /** Non-empty sorted chunks; every key of chunk i sorts before every key of chunk i + 1. */
  private chunks: string[][] = [];
  private total = 0;

  get size(): number {
    return this.total;
  }

  /** Replaces the content with `keys` (any order, no duplicates). Faster than inserting one by one. */
  load(keys: string[]): void {
    const sorted = keys.slice().sort(compare);
    this.chunks = [];
    const half = MAX_CHUNK / 2;
    for (let i = 0; i < sorted.length; i += half) this.chunks.push(sorted.slice(i, i + half));
    this.total = sorted.length;
  }

  /** Adds `key`; returns false when it was already present. */
  insert(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.total = 1;
      return true;
    }
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const at = lowerBound(chunk, key);
    if (chunk[at] === key) return false;
    chunk.splice(at, 0, key);
    this.total++;
    if (chunk.length > MAX_CHUNK) {
      const tail = chunk.splice(chunk.length >> 1);
      this.chunks.splice(ci + 1, 0, tail);
    }
    return true;
  }

  /** Removes `key`; returns false when it was absent. */
  remove(key: string): boolean {
    if (this.chunks.length === 0) return false;
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const at = lowerBound(chunk, key);
    if (chunk[at] !== key) return false;
    chunk.splice(at, 1);
    this.total--;
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /** Number of keys starting with `prefix` that sort strictly after `after` (when given). */
  countRange(prefix: string, after?: string): number {
    const start = this.startCursor(prefix, after);
    const end = this.endCursor(prefix);
    return this.distance(start, end);
  }

  /**
   * Up to `limit` keys (0 = all) starting with `prefix` and sorting strictly after `after`, plus how many
   * matching keys follow the returned page.
   */
  range(prefix: string, after: string | undefined, limit: number): { keys: string[]; remaining: number } {
    const start = this.startCursor(prefix, after);
    const end = this.endCursor(prefix);
    const keys: string[] = [];
    let ci = start.chunk;
    let off = start.offset;
    while (ci < end.chunk || (ci === end.chunk && off < end.offset)) {
      if (limit > 0 && keys.length === limit) break;
      const chunk = this.chunks[ci]!;
      const stop = ci === end.chunk ? end.offset : chunk.length;
      const take = limit > 0 ? Math.min(stop, off + (limit - keys.length)) : stop;
      for (let i = off; i < take; i++) keys.push(chunk[i]!);
      off = take;
      if (off >= chunk.length) {
        ci++;
        off = 0;
      }
    }
    const remaining = this.distance({ chunk: ci, offset: off }, end);
    return { keys, remaining };
  }

  /** Index of the chunk that holds, or would hold, `key`. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    // Last chunk whose first key is <= key (or chunk 0).
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compare(this.chunks[mid]![0]!, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** First position whose key is >= `key`. */
  private lowerCursor(key: string): Cursor {
    if (this.chunks.length === 0) return { chunk: 0, offset: 0 };
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const off = lowerBound(chunk, key);
    return off === chunk.length ? { chunk: ci + 1, offset: 0 } : { chunk: ci, offset: off };
  }

  /** First position whose key is > `key`. */
  private upperCursor(key: string): Cursor {
    if (this.chunks.length === 0) return { chunk: 0, offset: 0 };
    const ci = this.chunkFor(key);
    const chunk = this.chunks[ci]!;
    const off = upperBound(chunk, key);
    return off === chunk.length ? { chunk: ci + 1, offset: 0 } : { chunk: ci, offset: off };
  }

  private startCursor(prefix: string, after: string | undefined): Cursor {
    const low = this.lowerCursor(prefix);
    if (after === undefined || compare(after, prefix) < 0) return low;
    return this.upperCursor(after);
  }

  /** First position past every key that starts with `prefix`. */
  private endCursor(prefix: string): Cursor {
    const bound = prefixEnd(prefix);
    return bound === undefined ? { chunk: this.chunks.length, offset: 0 } : this.lowerCursor(bound);
  }

  /** Keys between two cursors (0 when `b` is not after `a`). */
  private distance(a: Cursor, b: Cursor): number {
    if (b.chunk < a.chunk || (b.chunk === a.chunk && b.offset <= a.offset)) return 0;
    if (a.chunk === b.chunk) return b.offset - a.offset;
    let n = this.chunks[a.chunk]!.length - a.offset;
    for (let i = a.chunk + 1; i < b.chunk; i++) n += this.chunks[i]!.length;
    return n + b.offset;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(arr: string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The smallest string greater than every string starting with `prefix` (etcd's "range end" for a prefix):
 * drop trailing U+FFFF code units, then increment the last one. Undefined when no such bound exists.
 */
export function prefixEnd(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0 && prefix.charCodeAt(end - 1) === 0xffff) end--;
  if (end === 0) return undefined;
  return prefix.slice(0, end - 1) + String.fromCharCode(prefix.charCodeAt(end - 1) + 1);
}
