/**
 * Why a pod fits nowhere (framework.Diagnosis / FitError), with upstream's message format, which users read
 * in `kubectl describe pod`:
 *   "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: ..."
 * Reasons are counted over nodes, rendered "<count> <reason>", sorted as strings, joined by ", ".
 */
import type { Pod } from '../api/core/v1/pod-types.js';
import type { NodeToStatus } from './framework/types.js';

export const NO_NODE_AVAILABLE_MSG = '0/%d nodes are available';
/** ErrNoNodesAvailable's text: the snapshot has no nodes at all. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** Status per rejected node (every node when PreFilter rejected the pod). */
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod on some node: drives requeueing on cluster events. */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  /** Set when a PreFilter plugin rejected the pod (the per-node reasons are then not listed). */
  preFilterMsg: string;
  /** PostFilter's (preemption's) message. */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), unschedulablePlugins: new Set(), pendingPlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

/** "<n> <reason>" entries sorted as strings (sortReasonsHistogram). */
export function reasonHistogram(nodeToStatus: NodeToStatus): string[] {
  const counts = new Map<string, number>();
  for (const s of nodeToStatus.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out: string[] = [];
  for (const [r, n] of counts) out.push(`${n} ${r}`);
  return out.sort();
}

export function formatFitError(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const reasons = reasonHistogram(d.nodeToStatus);
    if (reasons.length) msg += ` ${reasons.join(', ')}.`;
  }
  // " %v." as upstream; a nested FitError message already ends with the period (one period in real events).
  if (d.postFilterMsg) msg += d.postFilterMsg.endsWith('.') ? ` ${d.postFilterMsg}` : ` ${d.postFilterMsg}.`;
  return msg;
}

/** The attempt found no feasible node. */
export class FitError extends Error {
  constructor(readonly pod: Pod, readonly numAllNodes: number, readonly diagnosis: Diagnosis) {
    super(); // no own `message`: the getter below renders the diagnosis (PostFilter adds to it later)
    this.name = 'FitError';
  }
  override get message(): string {
    return formatFitError(this.numAllNodes, this.diagnosis);
  }
  override set message(_v: string) {}
}
