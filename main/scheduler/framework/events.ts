/**
 * Cluster events that can make an unschedulable pod schedulable (framework.ClusterEvent), and queueing
 * hints. Each plugin declares through EnqueueExtensions which events may help pods it rejected; the queue
 * moves a parked pod back only when an event matches a plugin that rejected it and the hint says Queue.
 */
import type { KObject } from '../../api/meta/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';

/** Bit flags as upstream framework.ActionType. */
export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodTolerations: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  UpdateOther: 1 << 11,
  /** Any update. */
  Update: (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11),
  All: (1 << 12) - 1,
} as const;

/**
 * 'Pod' = assigned (scheduled) pods; 'UnscheduledPod' = the pending pod itself being updated;
 * '*' = wildcard (matches every event; used for the periodic flush and unknown changes).
 */
export type EventResource =
  | 'Pod' | 'UnscheduledPod' | 'Node' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass'
  | 'Namespace' | 'CSINode' | 'CSIDriver' | 'CSIStorageCapacity' | 'VolumeAttachment' | '*';

export interface ClusterEvent {
  resource: EventResource;
  /** An ActionType bit mask. */
  actionType: number;
  /** Human-readable label for logs and decision records, e.g. "NodeAdd", "AssignedPodDelete". */
  label?: string;
}

export type QueueingHint = 'Queue' | 'QueueSkip';

/**
 * Decides whether an event may make `pod` schedulable for this plugin. Throwing is treated as Queue.
 * `oldObj` is undefined for Add, `newObj` undefined for Delete.
 */
export type QueueingHintFn = (pod: Pod, oldObj: KObject | undefined, newObj: KObject | undefined) => QueueingHint;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  /** No hint = always Queue when the event matches. */
  queueingHintFn?: QueueingHintFn;
}

/** Whether `ev` (a concrete event) is covered by `registered` (a plugin's interest). */
export function eventMatches(registered: ClusterEvent, ev: ClusterEvent): boolean {
  if (registered.resource === '*' || ev.resource === '*') return (registered.actionType & ev.actionType) !== 0 || ev.resource === '*';
  return registered.resource === ev.resource && (registered.actionType & ev.actionType) !== 0;
}

export const WILDCARD_EVENT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'WildCardEvent' };
export const UNSCHEDULABLE_TIMEOUT_EVENT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'UnschedulableTimeout' };
