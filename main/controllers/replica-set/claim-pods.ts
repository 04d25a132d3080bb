/**
 * Claiming pods for a controller (upstream's PodControllerRefManager.ClaimPods):
 * - a pod controlled by someone else is ignored;
 * - a pod we control whose labels still match is kept; one whose labels stopped matching is released (our
 *   ownerReference removed), unless we are being deleted;
 * - an orphan whose labels match, not being deleted, is adopted (controller ownerReference added) — but only after
 *   a fresh read of the owner confirms it still exists with the same uid and is not being deleted.
 * Patches carry the pod's uid as a precondition, so a pod recreated under the same name is never touched.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import { matchesLabels, type Selector } from '../../api/meta/label-selector.js';
import type { KObject, OwnerReference } from '../../api/meta/object.js';
import { ApiStatusError, PODS, isNotFound, type KubeClient } from '../../client/kube-client.js';

export interface ClaimResult {
  claimed: Pod[];
  errors: Error[];
}

export interface ClaimContext {
  client: KubeClient;
  owner: KObject;
  controllerRef: OwnerReference;
  selector: Selector;
  /** Fresh check that the owner may adopt (throws when it was deleted or replaced). */
  canAdopt: () => Promise<void>;
}

const isInvalid = (e: unknown) => e instanceof ApiStatusError && e.code === 422;

export async function claimPods(ctx: ClaimContext, pods: Pod[]): Promise<ClaimResult> {
  const { owner, selector } = ctx;
  const uid = owner.metadata.uid;
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  const claimed: Pod[] = [];
  const errors: Error[] = [];
  let adoptCheck: Promise<void> | undefined;
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    const matches = matchesLabels(selector, pod.metadata.labels);
    try {
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) claimed.push(pod);
        else if (!ownerDeleting) await release(ctx, pod);
        continue;
      }
      if (ownerDeleting || !matches || pod.metadata.deletionTimestamp) continue;
      if (owner.metadata.namespace && owner.metadata.namespace !== pod.metadata.namespace) continue;
      adoptCheck ??= ctx.canAdopt();
      await adoptCheck;
      if (await adopt(ctx, pod)) claimed.push(pod);
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return { claimed, errors };
}

/** Adds our controller reference; false when the pod is gone. */
async function adopt(ctx: ClaimContext, pod: Pod): Promise<boolean> {
  const patch = { metadata: { ownerReferences: [{ ...ctx.controllerRef }], uid: pod.metadata.uid } };
  try {
    await ctx.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name!, 'strategic', patch);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/** Removes our owner reference; a pod that is gone, recreated, or no longer owned is fine. */
async function release(ctx: ClaimContext, pod: Pod): Promise<void> {
  const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: ctx.owner.metadata.uid }], uid: pod.metadata.uid } };
  try {
    await ctx.client.patch(PODS, pod.metadata.namespace ?? '', pod.metadata.name!, 'strategic', patch);
  } catch (e) {
    if (isNotFound(e) || isInvalid(e)) return;
    throw e;
  }
}
