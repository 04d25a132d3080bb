/**
 * The pod-template-hash: the label value that tells a Deployment's ReplicaSets (and their pods) apart, and the
 * suffix of the ReplicaSet's name `<deployment>-<hash>`.
 *
 * Upstream (controller.ComputeHash) feeds FNV-32a with a go-spew dump of the Go PodTemplateSpec struct, then
 * with collisionCount as 8 little-endian bytes (when set), and renders the 32-bit sum as decimal text passed
 * through rand.SafeEncodeString (each byte mapped onto "bcdfghjklmnpqrstvwxz2456789" by its value modulo 27).
 * What we match: FNV-32a, the collisionCount bytes, the decimal rendering and SafeEncodeString, so hashes have
 * upstream's alphabet, length range (up to 10 characters) and collision behaviour. What we cannot match: the
 * spew dump of Go structs (field order, zero values and Go type names of every nested struct); we hash a
 * canonical JSON rendering of the template instead (keys sorted, nulls and empty maps/lists dropped), so the
 * same template gives a stable hash here but not the value real Kubernetes would print.
 */
import type { PodTemplateSpec } from '../../api/core/v1/pod-types.js';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps every byte onto an alphabet without vowels (no bad words) or confusable characters. */
export function safeEncodeString(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (const b of bytes) out += SAFE_ALPHANUMS[b % SAFE_ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bits, over `chunks` in order. */
export function fnv32a(...chunks: Uint8Array[]): number {
  let h = 0x811c9dc5;
  for (const chunk of chunks) {
    for (const b of chunk) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

/** JSON with object keys sorted and null / empty values dropped: equal templates render equally. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(normalize(v) ?? null);
}

function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.map((x) => normalize(x) ?? null);
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const n = normalize((v as Record<string, unknown>)[k]);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/** controller.ComputeHash(template, collisionCount). */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  const chunks: Uint8Array[] = [Buffer.from(canonicalJson(template ?? {}), 'utf8')];
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    chunks.push(bytes);
  }
  return safeEncodeString(String(fnv32a(...chunks)));
}

/** A copy of `template` without the pod-template-hash label (an empty label map is dropped). */
export function withoutHashLabel(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = structuredClone(template ?? {});
  const labels = t.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
  }
  return t;
}

/**
 * deploymentutil.EqualIgnoreHash: the two templates are semantically equal once the pod-template-hash label is
 * ignored (nil and empty maps/lists count as equal, as apimachinery's semantic DeepEqual).
 */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}
