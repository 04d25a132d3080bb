/**
 * The taints the node lifecycle controller owns (upstream's well-known node taints) and the NoSchedule taints a
 * node should carry for its conditions and cordon flag (doNoScheduleTaintingPass). Controller-added taints get
 * timeAdded (as SwapNodeControllerTaint sets it).
 */
import type { Node, Taint } from '../../api/core/v1/node.js';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** Condition (type, status) → NoSchedule taint key (upstream nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: [string, string, string][] = [
  ['Ready', 'False', TAINT_NOT_READY],
  ['Ready', 'Unknown', TAINT_UNREACHABLE],
  ['MemoryPressure', 'True', TAINT_MEMORY_PRESSURE],
  ['DiskPressure', 'True', TAINT_DISK_PRESSURE],
  ['NetworkUnavailable', 'True', TAINT_NETWORK_UNAVAILABLE],
  ['PIDPressure', 'True', TAINT_PID_PRESSURE],
];
const NO_SCHEDULE_KEYS = new Set([...CONDITION_TAINTS.map((c) => c[2]), TAINT_UNSCHEDULABLE]);

export const condition = (node: Node, type: string) => node.status?.conditions?.find((c) => c.type === type);

/** The keys of the controller-owned NoSchedule taints `node` should carry now. */
export function wantedNoScheduleTaints(node: Node): Set<string> {
  const keys = new Set<string>();
  for (const [type, status, key] of CONDITION_TAINTS) if (condition(node, type)?.status === status) keys.add(key);
  if (node.spec?.unschedulable) keys.add(TAINT_UNSCHEDULABLE);
  return keys;
}

/** The node's taints with controller-owned NoSchedule taints made to match `wanted`; undefined when unchanged. */
export function reconcileNoScheduleTaints(node: Node, wanted: Set<string>, now: string): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const owned = (t: Taint) => t.effect === 'NoSchedule' && NO_SCHEDULE_KEYS.has(t.key);
  const have = new Set(current.filter(owned).map((t) => t.key));
  const toAdd = [...wanted].filter((k) => !have.has(k));
  const toRemove = [...have].filter((k) => !wanted.has(k));
  if (!toAdd.length && !toRemove.length) return undefined;
  return [
    ...current.filter((t) => !(owned(t) && toRemove.includes(t.key))),
    ...toAdd.map((key) => ({ key, effect: 'NoSchedule', timeAdded: now })),
  ];
}

export const hasTaint = (node: Node, key: string, effect: string) => (node.spec?.taints ?? []).some((t) => t.key === key && t.effect === effect);

/** The node's taints with the NoExecute taints `remove` dropped and `add` added (if missing); undefined when unchanged. */
export function swapNoExecuteTaints(node: Node, add: string[], remove: string[], now: string): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const kept = current.filter((t) => !(t.effect === 'NoExecute' && remove.includes(t.key)));
  const added = add.filter((k) => !kept.some((t) => t.key === k && t.effect === 'NoExecute')).map((key) => ({ key, effect: 'NoExecute', timeAdded: now }));
  if (kept.length === current.length && !added.length) return undefined;
  return [...kept, ...added];
}
