/**
 * Which pods a replica controller deletes first when scaling down (upstream's ActivePodsWithRanks ordering with
 * the PodDeletionCost and LogarithmicScaleDown features on, as in Kubernetes 1.32). Earlier in the order =
 * deleted first:
 *   1. unassigned before assigned;
 *   2. Pending before Unknown before Running;
 *   3. not ready before ready;
 *   4. lower `controller.kubernetes.io/pod-deletion-cost` before higher (missing or invalid = 0);
 *   5. pods whose node holds more related pods (doubled up) first;
 *   6. both ready: ready more recently first, compared in log2 buckets of the time since ready (ties → by uid);
 *   7. more container restarts first (regular containers, then restartable init containers);
 *   8. created more recently first, in log2 buckets of age (ties → by uid); equal timestamps keep their order.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { isPodActive, isPodReady, podReadyTime } from './pod-state.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The deletion cost annotation as an int32; anything else counts as 0 (upstream ignores the parse error). */
export function podDeletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** (max restarts of regular containers, max restarts of restartable init containers). */
function maxRestarts(pod: Pod): [number, number] {
  let regular = 0;
  let sidecar = 0;
  for (const s of pod.status?.containerStatuses ?? []) regular = Math.max(regular, s.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const s of pod.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) sidecar = Math.max(sidecar, s.restartCount ?? 0);
  return [regular, sidecar];
}

/** floor(log2(now - t)) with the difference in nanoseconds, -1 for t in the future (upstream's rank). */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d <= 0 ? -1 : Math.floor(Math.log2(d));
}

function timestamp(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** afterOrZero: a missing time sorts first, otherwise the later time first. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/** Logarithmic comparison of two distinct times: true when `a` should go before `b`. */
function newerFirst(a: number | undefined, b: number | undefined, uidA: string, uidB: string, now: number): boolean {
  if (a === undefined || b === undefined) return afterOrZero(a, b);
  const diff = logRank(a, now) - logRank(b, now);
  if (diff === 0) return uidA < uidB;
  return diff < 0;
}

export interface RankedPod {
  pod: Pod;
  /** Related active pods on the same node. */
  rank: number;
}

/** True when `a` should be deleted before `b` (upstream's Less). */
export function deleteBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const oa = PHASE_ORDINAL[pa.status?.phase ?? ''] ?? 0;
  const ob = PHASE_ORDINAL[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  const ra = isPodReady(pa);
  const rb = isPodReady(pb);
  if (ra !== rb) return !ra;
  const ca = podDeletionCost(pa);
  const cb = podDeletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  const uidA = pa.metadata.uid ?? '';
  const uidB = pb.metadata.uid ?? '';
  if (ra && rb) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) return newerFirst(ta, tb, uidA, uidB, now);
  }
  const [regA, sideA] = maxRestarts(pa);
  const [regB, sideB] = maxRestarts(pb);
  if (regA !== regB) return regA > regB;
  if (sideA !== sideB) return sideA > sideB;
  const ka = timestamp(pa.metadata.creationTimestamp);
  const kb = timestamp(pb.metadata.creationTimestamp);
  if (ka !== kb) return newerFirst(ka, kb, uidA, uidB, now);
  return false;
}

/**
 * The `count` pods to delete among `pods` (all active and owned), ranked against `relatedPods` (the pods of this
 * controller and its sibling ReplicaSets, used to prefer nodes running several of them).
 */
export function podsToDelete(pods: Pod[], relatedPods: Pod[], count: number, now: number): Pod[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => (deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0));
  return ranked.slice(0, count).map((r) => r.pod);
}
