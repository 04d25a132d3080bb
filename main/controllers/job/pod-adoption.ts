/**
 * Job pod ownership (upstream PodControllerRefManager.ClaimPods for Jobs): orphan pods — no controller, not
 * being deleted — whose labels match the Job's selector are adopted (controller owner reference plus the
 * tracking finalizer); pods the Job controls whose labels no longer match are released. Adoption happens only
 * while a fresh read of the Job shows the same uid and no deletionTimestamp.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { JobObject } from '../../api/batch/v1/job.js';
import { matchesLabels, selectorFromObject, selectsEverything } from '../../api/meta/label-selector.js';
import { isNotFound, JOBS, PODS, type KubeClient } from '../../client/kube-client.js';
import { JOB_TRACKING_FINALIZER } from './job-pods.js';

/** Adopts matching orphans and releases non-matching owned pods; returns how many pods changed hands. */
export async function claimPods(client: KubeClient, job: JobObject, namespacePods: Pod[]): Promise<number> {
  const uid = job.metadata.uid ?? '';
  const ns = job.metadata.namespace ?? '';
  let selector;
  try {
    selector = selectorFromObject(job.spec?.selector);
  } catch {
    return 0;
  }
  if (selectsEverything(selector)) return 0;
  const orphans: Pod[] = [];
  const strays: Pod[] = [];
  for (const p of namespacePods) {
    const controller = p.metadata.ownerReferences?.find((r) => r.controller);
    const matches = matchesLabels(selector, p.metadata.labels);
    if (!controller && matches && !p.metadata.deletionTimestamp) orphans.push(p);
    else if (controller?.uid === uid && !matches) strays.push(p);
  }
  if (orphans.length + strays.length === 0) return 0;
  let changed = 0;
  if (orphans.length > 0 && !job.metadata.deletionTimestamp) {
    let fresh: JobObject | undefined;
    try {
      fresh = await client.get<JobObject>(JOBS, ns, job.metadata.name ?? '');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (fresh && fresh.metadata.uid === uid && !fresh.metadata.deletionTimestamp) {
      const ref = { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true };
      for (const p of orphans) {
        const ops: unknown[] = [{ op: 'test', path: '/metadata/resourceVersion', value: p.metadata.resourceVersion }];
        ops.push(p.metadata.ownerReferences ? { op: 'add', path: '/metadata/ownerReferences/-', value: ref } : { op: 'add', path: '/metadata/ownerReferences', value: [ref] });
        if (!(p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER))
          ops.push(p.metadata.finalizers ? { op: 'add', path: '/metadata/finalizers/-', value: JOB_TRACKING_FINALIZER } : { op: 'add', path: '/metadata/finalizers', value: [JOB_TRACKING_FINALIZER] });
        if (await tryPatch(client, p, ops)) changed++;
      }
    }
  }
  for (const p of strays) {
    const i = (p.metadata.ownerReferences ?? []).findIndex((r) => r.uid === uid);
    const ops = [
      { op: 'test', path: `/metadata/ownerReferences/${i}/uid`, value: uid },
      { op: 'remove', path: `/metadata/ownerReferences/${i}` },
    ];
    if (await tryPatch(client, p, ops)) changed++;
  }
  return changed;
}

/** A JSON patch that may lose a race (the pod changed or went): false then, the next sync looks again. */
async function tryPatch(client: KubeClient, pod: Pod, ops: unknown[]): Promise<boolean> {
  try {
    await client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', 'json', ops);
    return true;
  } catch (err) {
    if (isNotFound(err) || (err as { code?: number }).code === 422 || (err as { code?: number }).code === 409) return false;
    throw err;
  }
}
