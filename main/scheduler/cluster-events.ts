/**
 * Translates informer updates into scheduler cluster events (what changed, as ActionType bits), so parked
 * pods are retried only for changes that may help them (upstream's node/pod update classification).
 * Heartbeat-only node status updates produce no event.
 */
import type { Node } from '../api/core/v1/node.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import { ActionType, type ClusterEvent } from './framework/events.js';

const json = (v: unknown) => JSON.stringify(v ?? null);

export function nodeUpdateEvent(oldNode: Node, newNode: Node): ClusterEvent | undefined {
  let a = 0;
  if (json(oldNode.status?.allocatable) !== json(newNode.status?.allocatable)) a |= ActionType.UpdateNodeAllocatable;
  if (json(oldNode.metadata.labels) !== json(newNode.metadata.labels)) a |= ActionType.UpdateNodeLabel;
  if (json(oldNode.spec?.taints) !== json(newNode.spec?.taints) || !!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable)
    a |= ActionType.UpdateNodeTaint;
  const conds = (n: Node) => json((n.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason]));
  if (conds(oldNode) !== conds(newNode)) a |= ActionType.UpdateNodeCondition;
  if (json(oldNode.metadata.annotations) !== json(newNode.metadata.annotations)) a |= ActionType.UpdateNodeAnnotation;
  if (json(oldNode.status?.images) !== json(newNode.status?.images)) a |= ActionType.UpdateOther;
  return a ? { resource: 'Node', actionType: a, label: 'NodeUpdate' } : undefined;
}

export const NODE_ADD: ClusterEvent = { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' };
export const NODE_DELETE: ClusterEvent = { resource: 'Node', actionType: ActionType.Delete, label: 'NodeDelete' };
export const ASSIGNED_POD_ADD: ClusterEvent = { resource: 'Pod', actionType: ActionType.Add, label: 'AssignedPodAdd' };
export const ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'Pod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };

export function assignedPodUpdateEvent(oldPod: Pod, newPod: Pod): ClusterEvent | undefined {
  let a = 0;
  if (json(oldPod.metadata.labels) !== json(newPod.metadata.labels)) a |= ActionType.UpdatePodLabel;
  const req = (p: Pod) => json([...(p.spec.containers ?? []), ...(p.spec.initContainers ?? [])].map((c) => c.resources?.requests));
  if (req(oldPod) !== req(newPod)) a |= ActionType.UpdatePodScaleDown;
  return a ? { resource: 'Pod', actionType: a, label: 'AssignedPodUpdate' } : undefined;
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isAssigned(pod: Pod): boolean {
  return !!pod.spec?.nodeName;
}
