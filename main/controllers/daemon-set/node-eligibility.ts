/**
 * Whether a DaemonSet should run on a node (upstream NodeShouldRunDaemonPod): the pod as it would run there
 * (template + daemon tolerations) must fit the node name (if the template sets one), the nodeSelector and
 * required node affinity, and tolerate every NoSchedule/NoExecute taint. A pod already there may keep running
 * when only NoSchedule taints are untolerated (shouldContinueRunning).
 */
import type { DaemonSetObject } from '../../api/apps/v1/daemon-set.js';
import type { Node } from '../../api/core/v1/node.js';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint } from '../../scheduler/plugins/util/taints.js';
import { RequiredNodeAffinity } from '../../scheduler/plugins/util/node-selector.js';
import { simulatedPod } from './daemon-pod-template.js';

export interface Eligibility {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSetObject): Eligibility {
  const name = node.metadata.name ?? '';
  const pod = simulatedPod(ds, name);
  const fitsName = !pod.spec.nodeName || pod.spec.nodeName === name;
  const fitsAffinity = new RequiredNodeAffinity(pod).match(node);
  if (!fitsName || !fitsAffinity) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints;
  if (findMatchingUntoleratedTaint(taints, pod.spec.tolerations, isDoNotScheduleTaint)) {
    const noExecute = findMatchingUntoleratedTaint(taints, pod.spec.tolerations, (t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: !noExecute };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
