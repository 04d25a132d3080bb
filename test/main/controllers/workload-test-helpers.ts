/** Helpers for workload controller tests without nodes: playing the kubelet's part on pod status. */
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { KObject } from '../../../main/api/meta/object.js';
import { EVENTS, PODS, type KubeClient } from '../../../main/client/kube-client.js';

/** Marks a pod Running and Ready (what a kubelet would report), optionally bound to `node`. */
export async function makeReady(admin: KubeClient, ns: string, name: string): Promise<void> {
  const pod = await admin.get<Pod>(PODS, ns, name);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  pod.status = {
    ...(pod.status ?? {}),
    phase: 'Running',
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: now },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
    ],
  };
  await admin.update(PODS, ns, pod, { subresource: 'status' });
}

export async function setPhase(admin: KubeClient, ns: string, name: string, phase: string): Promise<void> {
  const pod = await admin.get<Pod>(PODS, ns, name);
  pod.status = { ...(pod.status ?? {}), phase, conditions: [] };
  await admin.update(PODS, ns, pod, { subresource: 'status' });
}

export async function podNames(admin: KubeClient, ns: string): Promise<string[]> {
  const pods = await admin.list<Pod>(PODS, ns);
  return pods.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '').sort();
}

/** Event messages (reason: message) about `obj`'s name in `ns`. */
export async function eventsAbout(admin: KubeClient, ns: string, name: string): Promise<string[]> {
  const events = await admin.list<KObject & { involvedObject?: { name?: string }; reason?: string; message?: string }>(EVENTS, ns);
  return events.items.filter((e) => e.involvedObject?.name === name).map((e) => `${e.reason}: ${e.message}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
