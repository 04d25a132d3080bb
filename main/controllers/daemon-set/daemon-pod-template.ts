/**
 * The pods a DaemonSet creates (upstream daemon/util): its template with the tolerations every daemon pod gets
 * (not-ready/unreachable NoExecute, disk/memory/pid-pressure and unschedulable NoSchedule, network-unavailable
 * NoSchedule for host-network pods), the labels controller-revision-hash and pod-template-generation, and a
 * required node affinity `metadata.name In [node]` that makes the scheduler bind the pod to its node.
 */
import { TEMPLATE_GENERATION_ANNOTATION, type DaemonSetObject } from '../../api/apps/v1/daemon-set.js';
import type { Pod, PodSpec, Toleration } from '../../api/core/v1/pod-types.js';
import { controllerRefTo, REVISION_HASH_LABEL } from '../history/controller-history.js';
import { OBJECT_NAME_FIELD, type NodeAffinitySpec } from '../../scheduler/plugins/util/node-selector.js';

export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** AddOrUpdateDaemonPodTolerations: adds each toleration unless an identical one is present. */
export function addDaemonTolerations(spec: PodSpec): void {
  const wanted = [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
  ];
  if (spec.hostNetwork) wanted.push(exists('node.kubernetes.io/network-unavailable', 'NoSchedule'));
  const tolerations = [...(spec.tolerations ?? [])];
  for (const w of wanted) {
    const same = tolerations.some(
      (t) => (t.key ?? '') === w.key && (t.operator ?? 'Equal') === w.operator && (t.value ?? '') === '' && (t.effect ?? '') === w.effect,
    );
    if (!same) tolerations.push(w);
  }
  spec.tolerations = tolerations;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes `metadata.name In [node]`. */
export function pinToNode(spec: PodSpec, nodeName: string): void {
  const affinity = { ...((spec.affinity as Record<string, unknown> | undefined) ?? {}) };
  const nodeAffinity: NodeAffinitySpec = { ...((affinity.nodeAffinity as NodeAffinitySpec | undefined) ?? {}) };
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = {
    nodeSelectorTerms: [{ matchFields: [{ key: OBJECT_NAME_FIELD, operator: 'In', values: [nodeName] }] }],
  };
  affinity.nodeAffinity = nodeAffinity;
  spec.affinity = affinity;
}

/** The node a daemon pod is for: spec.nodeName, else the value of its `metadata.name In [node]` affinity. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec.affinity as { nodeAffinity?: NodeAffinitySpec } | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const t of terms ?? []) {
    for (const f of t.matchFields ?? []) {
      if (f.key === OBJECT_NAME_FIELD && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** upstream NewPod: the template as it would run on `nodeName` (for eligibility checks, not for creation). */
export function simulatedPod(ds: DaemonSetObject, nodeName: string): Pod {
  const spec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  addDaemonTolerations(spec);
  return { metadata: { ...(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata.namespace }, spec: { ...spec, nodeName: spec.nodeName || nodeName } };
}

/** The template generation the API server records in the deprecated.daemonset.template.generation annotation. */
export function templateGeneration(ds: DaemonSetObject): number | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

function templateGenerationLabel(ds: DaemonSetObject): Record<string, string> {
  const g = templateGeneration(ds);
  return g === undefined ? {} : { [TEMPLATE_GENERATION_LABEL]: String(g) };
}

/** The pod to create on `nodeName` at template hash `hash`. */
export function newDaemonPod(ds: DaemonSetObject, nodeName: string, hash: string): Pod {
  const tmeta = ds.spec?.template?.metadata ?? {};
  const spec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  addDaemonTolerations(spec);
  pinToNode(spec, nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(tmeta.labels ?? {}), [REVISION_HASH_LABEL]: hash, ...templateGenerationLabel(ds) },
      ...(tmeta.annotations ? { annotations: { ...tmeta.annotations } } : {}),
      ownerReferences: [controllerRefTo(ds, 'DaemonSet')],
    },
    spec,
  };
}

/** IsPodUpdated: the pod carries the current hash (or, for pods of old controllers, the template generation). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const byGeneration = generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === String(generation);
  return (hash !== '' && labels[REVISION_HASH_LABEL] === hash) || byGeneration;
}
