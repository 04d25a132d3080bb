/**
 * The interval notation of Job.status.completedIndexes / failedIndexes ("1,3-5,7"): sorted, merged ranges.
 */

/** Parses "1,3-5" into a sorted set of indexes below `limit` (malformed parts are ignored, as upstream does). */
export function parseIndexes(s: string | undefined, limit: number): Set<number> {
  const out = new Set<number>();
  if (!s) return out;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = m[2] !== undefined ? Number(m[2]) : first;
    for (let i = first; i <= last && i < limit; i++) out.add(i);
  }
  return out;
}

/** Formats indexes as merged ranges: [1,3,4,5,7] → "1,3-5,7"; empty → "". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
