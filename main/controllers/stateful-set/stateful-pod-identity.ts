/**
 * The identity a StatefulSet gives each pod (upstream stateful_set_utils.go): name `<set>-<ordinal>`, labels
 * statefulset.kubernetes.io/pod-name, apps.kubernetes.io/pod-index and controller-revision-hash (the revision's
 * name), hostname = pod name, subdomain = serviceName, and one claim `<template>-<set>-<ordinal>` per volume
 * claim template mounted as the volume of the template's name.
 */
import type { StatefulSetObject } from '../../api/apps/v1/stateful-set.js';
import type { PersistentVolumeClaimT } from '../../api/core/v1/persistent-volume-claim.js';
import type { Pod, PodTemplateSpec, Volume } from '../../api/core/v1/pod-types.js';
import { controllerRefTo } from '../history/controller-history.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

const ORDINAL = /^(.*)-(\d+)$/;

/** The parent name and ordinal encoded in a pod name, or undefined when it has none. */
export function parseOrdinal(podName: string): { parent: string; ordinal: number } | undefined {
  const m = ORDINAL.exec(podName);
  if (!m) return undefined;
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) ? { parent: m[1]!, ordinal } : undefined;
}

/** The set's ordinal of a pod it owns, or undefined when the name is not `<set>-<n>`. */
export function ordinalOf(set: StatefulSetObject, pod: Pod): number | undefined {
  const p = parseOrdinal(pod.metadata.name ?? '');
  return p && p.parent === set.metadata.name ? p.ordinal : undefined;
}

export const podName = (set: StatefulSetObject, ordinal: number): string => `${set.metadata.name}-${ordinal}`;

export const claimName = (claimTemplate: string, set: StatefulSetObject, ordinal: number): string =>
  `${claimTemplate}-${set.metadata.name}-${ordinal}`;

/** The claims the pod at `ordinal` uses, keyed by volume (claim template) name. */
export function claimsFor(set: StatefulSetObject, ordinal: number): Map<string, PersistentVolumeClaimT> {
  const claims = new Map<string, PersistentVolumeClaimT>();
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const meta = (t.metadata ?? {}) as { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    const template = meta.name ?? '';
    const claim: PersistentVolumeClaimT = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claimName(template, set, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...(meta.labels ?? {}), ...selectorLabels },
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      },
      spec: structuredClone(t.spec ?? {}),
    };
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
      claim.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '' }];
    }
    claims.set(template, claim);
  }
  return claims;
}

/** A new pod for `ordinal` from `template` (the template of the revision it is created at). */
export function newStatefulPod(set: StatefulSetObject, template: PodTemplateSpec, revisionName: string, ordinal: number): Pod {
  const name = podName(set, ordinal);
  const tmeta = template.metadata ?? {};
  const spec = structuredClone(template.spec ?? { containers: [] });
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const volumes: Volume[] = [];
  const claims = claimsFor(set, ordinal);
  for (const [volume, claim] of claims) volumes.push({ name: volume, persistentVolumeClaim: { claimName: claim.metadata.name ?? '' } });
  for (const v of spec.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  if (volumes.length > 0) spec.volumes = volumes;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...(tmeta.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revisionName },
      ...(tmeta.annotations ? { annotations: { ...tmeta.annotations } } : {}),
      ownerReferences: [controllerRefTo(set, 'StatefulSet')],
    },
    spec,
  };
}
