/** Helpers for Job/CronJob/TTL controller tests: Job manifests and pod completion through the status subresource. */
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { JobObject } from '../../../main/api/batch/v1/job.js';
import { PODS, type KubeClient } from '../../../main/client/kube-client.js';

export function jobManifest(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): JobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...meta },
    spec: {
      ...spec,
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
        ...((spec.template as object) ?? {}),
      },
    },
  } as JobObject;
}

/** Pods controlled by the Job with this uid. */
export async function jobPods(admin: KubeClient, ns: string, uid: string): Promise<Pod[]> {
  const list = await admin.list<Pod>(PODS, ns, { labelSelector: `batch.kubernetes.io/controller-uid=${uid}` });
  return list.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** Ends a pod as a kubelet would: phase Succeeded (exit 0) or Failed (exit code), with a terminated container. */
export async function finishPod(admin: KubeClient, pod: Pod, exitCode: number, conditions: { type: string; status: string }[] = []): Promise<void> {
  const now = new Date().toISOString();
  await admin.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'merge', {
    status: {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }, ...conditions.map((c) => ({ ...c, lastTransitionTime: now }))],
      containerStatuses: [
        {
          name: 'main',
          image: 'busybox',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now } },
        },
      ],
    },
  }, { subresource: 'status' });
}

export const condition = (job: JobObject, type: string) => (job.status?.conditions ?? []).find((c) => c.type === type) as
  | { type: string; status: string; reason?: string; message?: string }
  | undefined;
