/**
 * ReplicaSet adoption and release (controller.ReplicaSetControllerRefManager.ClaimReplicaSets): a Deployment
 * owns the ReplicaSets whose controller reference names it and whose labels its selector matches; it adopts
 * orphans it matches (unless either side is being deleted) and releases owned ReplicaSets it no longer matches.
 * Adoption first re-reads the Deployment from the API (uncached) so a deleted or re-created Deployment of the
 * same name never adopts.
 */
import { matchesLabels, type Selector } from '../../api/meta/label-selector.js';
import { DEPLOYMENTS, REPLICASETS, isNotFound, type KubeClient } from '../../client/kube-client.js';
import type { Deployment, ReplicaSet } from './types.js';

export async function claimReplicaSets(client: KubeClient, d: Deployment, selector: Selector, candidates: readonly ReplicaSet[]): Promise<ReplicaSet[]> {
  const uid = d.metadata.uid;
  const namespace = d.metadata.namespace ?? '';
  const claimed: ReplicaSet[] = [];
  const errors: string[] = [];
  let adoptionChecked: Promise<void> | undefined;
  const canAdopt = () => (adoptionChecked ??= (async () => {
    const fresh = await client.get<Deployment>(DEPLOYMENTS, namespace, d.metadata.name ?? '');
    if (fresh.metadata.uid !== uid) throw new Error(`original Deployment ${namespace}/${d.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
    if (fresh.metadata.deletionTimestamp) throw new Error(`${namespace}/${d.metadata.name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  })());

  for (const rs of candidates) {
    const ref = rs.metadata.ownerReferences?.find((r) => r.controller);
    const matches = matchesLabels(selector, rs.metadata.labels);
    try {
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches) {
          claimed.push(rs);
          continue;
        }
        if (d.metadata.deletionTimestamp) continue;
        await client.patch(REPLICASETS, namespace, rs.metadata.name ?? '', 'strategic', {
          metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: rs.metadata.uid },
        });
        continue;
      }
      if (d.metadata.deletionTimestamp || !matches || rs.metadata.deletionTimestamp) continue;
      if ((rs.metadata.namespace ?? '') !== namespace) continue;
      try {
        await canAdopt();
      } catch (e) {
        throw new Error(`can't adopt ReplicaSet ${namespace}/${rs.metadata.name} (${rs.metadata.uid}): ${(e as Error).message}`);
      }
      const adopted = await client.patch<ReplicaSet>(REPLICASETS, namespace, rs.metadata.name ?? '', 'strategic', {
        metadata: {
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid, controller: true, blockOwnerDeletion: true }],
          uid: rs.metadata.uid,
        },
      });
      claimed.push(adopted);
    } catch (e) {
      if (isNotFound(e)) continue;
      errors.push((e as Error).message);
    }
  }
  if (errors.length) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  return claimed;
}
