/**
 * ControllerRevision history of a StatefulSet or DaemonSet (upstream controller/history): snapshots of the
 * parent's pod template named `<parent>-<hash>`, numbered 1, 2, ... in the order they became current, owned by
 * the parent (controller reference), found through the informer by owner uid.
 *
 * Contract:
 * - revisionData(template) is the strategic-merge patch upstream stores: {"spec":{"template":{..., "$patch":"replace"}}}.
 * - ensureRevision() returns the existing revision whose data equals the wanted data (re-numbering it to be the
 *   newest when it is an older one being rolled back to), or creates one; a name taken by different data bumps
 *   the collision count (returned so the caller can persist status.collisionCount) and retries.
 * - truncateHistory() deletes the oldest revisions not in `live` beyond `limit`.
 */
import type { ControllerRevisionObject } from '../../api/apps/v1/controller-revision.js';
import type { KObject, OwnerReference } from '../../api/meta/object.js';
import type { PodTemplateSpec } from '../../api/core/v1/pod-types.js';
import type { Informer } from '../../client/informer.js';
import { CONTROLLERREVISIONS, isAlreadyExists, isNotFound, type KubeClient } from '../../client/kube-client.js';
import { OWNER_UID_INDEX, byOwnerUid } from '../../client/indexers.js';
import { canonicalJson, hashWithCollisions } from './revision-hash.js';

/** Label carrying the template hash, on revisions (and on DaemonSet pods; StatefulSet pods carry the revision name). */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** The hash part of a revision (its controller-revision-hash label, else the name after `<parent>-`). */
export function hashOfRevision(rev: ControllerRevisionObject, parentName: string): string {
  return rev.metadata.labels?.[REVISION_HASH_LABEL] ?? (rev.metadata.name ?? '').slice(parentName.length + 1);
}

export interface RevisionParent extends KObject {
  spec?: { template?: PodTemplateSpec; [k: string]: unknown };
}

export function revisionData(template: PodTemplateSpec | undefined): unknown {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The pod template a revision snapshots (its data without the $patch directive). */
export function templateOfRevision(rev: ControllerRevisionObject): PodTemplateSpec {
  const t = (rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template ?? {};
  const { $patch: _directive, ...template } = t;
  return structuredClone(template) as PodTemplateSpec;
}

export function controllerRefTo(parent: KObject, kind: string): OwnerReference {
  return { apiVersion: 'apps/v1', kind, name: parent.metadata.name ?? '', uid: parent.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export class ControllerHistory {
  constructor(
    private readonly client: KubeClient,
    private readonly revisions: Informer<ControllerRevisionObject>,
    private readonly kind: string,
  ) {
    revisions.addIndexer(OWNER_UID_INDEX, byOwnerUid);
  }

  /** Revisions controlled by `parent`, oldest revision number first. */
  list(parent: KObject): ControllerRevisionObject[] {
    const uid = parent.metadata.uid ?? '';
    return this.revisions.store
      .byIndex(OWNER_UID_INDEX, uid)
      .filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === uid))
      .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  /**
   * The revision for the parent's current template, created if needed. `existing` are the parent's revisions
   * (from list()); the next number is max+1.
   */
  async ensureRevision(parent: RevisionParent, existing: ControllerRevisionObject[], collisionCount: number): Promise<{ revision: ControllerRevisionObject; collisionCount: number }> {
    const data = revisionData(parent.spec?.template);
    const wanted = canonicalJson(data);
    const maxRevision = existing.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
    const equal = existing.filter((r) => canonicalJson(r.data) === wanted);
    if (equal.length > 0) {
      const newest = equal[equal.length - 1]!;
      if ((newest.revision ?? 0) === maxRevision) return { revision: newest, collisionCount };
      // A rollback to an older template: that revision becomes the newest.
      const updated = await this.client.patch<ControllerRevisionObject>(CONTROLLERREVISIONS, parent.metadata.namespace ?? '', newest.metadata.name ?? '', 'merge', {
        revision: maxRevision + 1,
      });
      return { revision: updated, collisionCount };
    }
    let count = collisionCount;
    for (let attempt = 0; attempt < 100; attempt++) {
      const hash = hashWithCollisions(data, count);
      const rev: ControllerRevisionObject = {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name: `${parent.metadata.name}-${hash}`,
          namespace: parent.metadata.namespace,
          labels: { ...(parent.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
          ownerReferences: [controllerRefTo(parent, this.kind)],
        },
        data,
        revision: maxRevision + 1,
      };
      try {
        return { revision: await this.client.create(CONTROLLERREVISIONS, parent.metadata.namespace ?? '', rev), collisionCount: count };
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        const taken = await this.client.get<ControllerRevisionObject>(CONTROLLERREVISIONS, parent.metadata.namespace ?? '', rev.metadata.name ?? '');
        const ours = taken.metadata.ownerReferences?.some((o) => o.controller && o.uid === parent.metadata.uid);
        if (ours && canonicalJson(taken.data) === wanted) return { revision: taken, collisionCount: count };
        count++;
      }
    }
    throw new Error(`could not find a free ControllerRevision name for ${this.kind} ${parent.metadata.name}`);
  }

  /** Deletes the oldest revisions whose names are not in `live` until at most `limit` non-live ones remain. */
  async truncateHistory(parent: KObject, revisions: ControllerRevisionObject[], live: Set<string>, limit: number): Promise<void> {
    const history = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
    const excess = history.length - Math.max(0, limit);
    for (let i = 0; i < excess; i++) {
      try {
        await this.client.delete(CONTROLLERREVISIONS, parent.metadata.namespace ?? '', history[i]!.metadata.name ?? '');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}
