/**
 * PrioritySort (QueueSort): higher spec.priority first, then earlier queue timestamp. The framework contract
 * has no QueueSortPlugin type yet, so the shape is declared here: `less(a, b)` true means a is popped first.
 */
import { podPriority, type Plugin, type PodInfo, type PluginFactory } from '../framework/types.js';
import { Names } from './names.js';

/** What the queue sorts: a pod and the time it was (re)queued (ms). Structural subset of QueuedPodInfo. */
export interface QueueSortItem {
  podInfo: PodInfo;
  timestamp: number;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueueSortItem, b: QueueSortItem): boolean;
}

export function prioritySortLess(a: QueueSortItem, b: QueueSortItem): boolean {
  const pa = podPriority(a.podInfo.pod);
  const pb = podPriority(b.podInfo.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

export const newPrioritySort: PluginFactory = (): QueueSortPlugin => ({ name: Names.PrioritySort, less: prioritySortLess });
