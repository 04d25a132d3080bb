/**
 * Creating and deleting a controller's pods with upstream's events (controller.RealPodControl), and the
 * slow-start batching used for creations.
 */
import type { Pod, PodTemplateSpec } from '../../api/core/v1/pod-types.js';
import { cloneJson, type KObject, type OwnerReference } from '../../api/meta/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { ApiStatusError, PODS, isNotFound, type KubeClient } from '../../client/kube-client.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** generateName for the pods of `ownerName`: `<name>-` when that is a valid prefix, else the name itself. */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  // A prefix is valid when it becomes a valid name once random characters are appended.
  return prefix.length <= 253 - 5 && DNS1123_SUBDOMAIN.test(`${prefix}a`) ? prefix : ownerName;
}

/** The pod `template` describes, owned by `controllerRef` (upstream's GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec | undefined, owner: KObject, controllerRef: OwnerReference): Pod {
  const meta = template?.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: podNamePrefix(owner.metadata.name ?? ''), namespace: owner.metadata.namespace, ownerReferences: [controllerRef] },
    spec: cloneJson(template?.spec ?? { containers: [] }),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}

/** True when a create failed only because the namespace is terminating (upstream's NamespaceTerminatingCause). */
export function isNamespaceTerminating(e: unknown): boolean {
  if (!(e instanceof ApiStatusError)) return false;
  const causes = (e.status as { details?: { causes?: { type?: string }[] } } | undefined)?.details?.causes ?? [];
  return causes.some((c) => c.type === 'NamespaceTerminating') || /because it is being terminated/.test(e.message);
}

export class PodControl {
  constructor(private readonly client: KubeClient, private readonly recorder: EventRecorder) {}

  /** Creates one pod from `template` for `owner`; records SuccessfulCreate or FailedCreate. */
  async create(owner: KObject, template: PodTemplateSpec | undefined, controllerRef: OwnerReference): Promise<Pod> {
    const pod = podFromTemplate(template, owner, controllerRef);
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await this.client.create<Pod>(PODS, owner.metadata.namespace ?? '', pod);
    } catch (e) {
      if (!isNamespaceTerminating(e)) this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    return created;
  }

  /** Deletes pod `name` of `owner`; a missing pod rethrows the 404 without an event. */
  async delete(owner: KObject, namespace: string, name: string): Promise<void> {
    try {
      await this.client.delete(PODS, namespace, name);
    } catch (e) {
      if (isNotFound(e)) throw e;
      this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw new Error(`unable to delete pods: ${(e as Error).message}`);
    }
    this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }
}

/**
 * Runs `fn` `count` times in batches of 1, 2, 4, ... (upstream's slowStartBatch): a batch runs in parallel, and
 * the first batch with a failure stops further batches. Returns the successes and the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: Error }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failures.length;
    if (failures.length) {
      const err = failures[0]!.reason;
      return { successes, error: err instanceof Error ? err : new Error(String(err)) };
    }
    remaining -= batch;
  }
  return { successes };
}
