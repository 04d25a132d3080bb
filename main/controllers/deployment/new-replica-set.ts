/**
 * Finding or creating the Deployment's new ReplicaSet and keeping revisions in step
 * (getAllReplicaSetsAndSyncRevision / getNewReplicaSet upstream).
 *
 * The new ReplicaSet is the one whose template equals the Deployment's (pod-template-hash ignored). Its revision
 * becomes max(old revisions) + 1 (so rolling back to an old template gives that ReplicaSet a new revision, the
 * superseded one moving to revision-history) and the Deployment's revision annotation follows it. A new one is
 * named `<deployment>-<hash>`; when that name is taken by something else (a hash collision), collisionCount is
 * raised so the next attempt hashes differently.
 */
import { REPLICASETS, isAlreadyExists } from '../../client/kube-client.js';
import { REVISION_ANNOTATION, maxRevision, setDeploymentRevision, setNewReplicaSetAnnotations } from './annotations.js';
import { PROGRESSING, Reason, getCondition, newCondition, setCondition } from './conditions.js';
import { POD_TEMPLATE_HASH_LABEL, computeHash, equalIgnoreHash } from './pod-template-hash.js';
import { findNewReplicaSet, findOldReplicaSets, maxSurge, newRSNewReplicas } from './replica-math.js';
import { hasProgressDeadline } from './status.js';
import type { DeploymentSync } from './sync-context.js';
import type { ReplicaSet } from './types.js';

/** [new ReplicaSet (created when `create` and missing), every old ReplicaSet]. */
export async function allReplicaSetsAndSyncRevision(s: DeploymentSync, create: boolean): Promise<[ReplicaSet | undefined, ReplicaSet[]]> {
  const [, allOld] = findOldReplicaSets(s.d, s.rsList);
  const newRS = await newReplicaSet(s, allOld, create);
  return [newRS, allOld];
}

async function newReplicaSet(s: DeploymentSync, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const d = s.d;
  const existing = findNewReplicaSet(d, s.rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);

  if (existing) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true, maxSurge(d), s.deps.log);
    const minReadySecondsNeedsUpdate = (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      return s.updateReplicaSet(copy);
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
      d.status ??= {};
      setCondition(d.status, newCondition(PROGRESSING, 'True', Reason.FoundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`, s.deps.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await s.updateStatus();
    return copy;
  }

  if (!create) return undefined;

  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template ?? {});
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const name = `${s.name}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: s.namespace,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: s.name, uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, maxSurge(d), s.deps.log);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await s.deps.client.create<ReplicaSet>(REPLICASETS, s.namespace, rs);
  } catch (e) {
    if (isAlreadyExists(e)) {
      alreadyExists = true;
      const found = await s.deps.client.get<ReplicaSet>(REPLICASETS, s.namespace, name);
      const owner = found.metadata.ownerReferences?.find((r) => r.controller);
      if (owner && owner.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, found.spec.template)) {
        // Ours, just not in our cache yet.
        created = found;
      } else {
        // A hash collision: count it, so the next sync computes another name.
        d.status ??= {};
        d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
        await s.updateStatus();
        s.deps.log(`deployment ${s.namespace}/${s.name}: hash collision on replica set ${name}; collisionCount now ${d.status.collisionCount}`);
        throw e;
      }
    } else {
      const msg = `Failed to create new replica set "${name}": ${(e as Error).message}`;
      if (hasProgressDeadline(d)) {
        d.status ??= {};
        setCondition(d.status, newCondition(PROGRESSING, 'False', Reason.FailedRSCreate, msg, s.deps.now()));
        await s.updateStatus().catch(() => {});
      }
      s.event('Warning', Reason.FailedRSCreate, msg);
      throw e;
    }
  }
  s.rsList = [...s.rsList.filter((x) => x.metadata.uid !== created.metadata.uid), created];
  if (!alreadyExists && replicas > 0) {
    s.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status ??= {};
    setCondition(d.status, newCondition(PROGRESSING, 'True', Reason.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, s.deps.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await s.updateStatus();
  return created;
}
