/**
 * Pods nominated to a node by preemption but not yet bound (the scheduler's nominator). Filter on that
 * node must treat them as present when they have priority ≥ the pod being scheduled, so the room made by
 * preemption is not taken by someone else.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { PodInfo, podKey } from '../framework/pod-info.js';

export class Nominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** Records `pod` as nominated to `nodeName` (or to pod.status.nominatedNodeName when omitted). */
  add(pi: PodInfo, nodeName?: string): void {
    const key = pi.key;
    this.delete(pi.pod);
    const node = nodeName ?? pi.pod.status?.nominatedNodeName ?? '';
    if (!node) return;
    this.nodeOf.set(key, node);
    const list = this.byNode.get(node) ?? [];
    list.push(pi);
    this.byNode.set(node, list);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const list = (this.byNode.get(node) ?? []).filter((p) => p.key !== key);
    if (list.length) this.byNode.set(node, list);
    else this.byNode.delete(node);
  }

  /** Keeps the nomination (if any) but refreshes the pod object; a new status.nominatedNodeName wins. */
  update(oldPod: Pod, newPi: PodInfo): void {
    const key = podKey(oldPod);
    const prev = this.nodeOf.get(key);
    const next = newPi.pod.status?.nominatedNodeName || prev;
    this.delete(oldPod);
    if (next) this.add(newPi, next);
  }

  nominatedNodeOf(pod: Pod): string | undefined {
    return this.nodeOf.get(podKey(pod));
  }

  podsForNode(nodeName: string): PodInfo[] {
    return this.byNode.get(nodeName) ?? [];
  }

  /** Number of nominated pods. */
  get size(): number {
    return this.nodeOf.size;
  }
}
