/**
 * Server-side rollback through the deprecated `deprecated.deployment.rollback.to` annotation (rollback.go).
 * kubectl 1.32's `rollout undo` does not use it (it patches the template itself, see the controller tests),
 * but the controller still honours it: copy the template (and annotations) of the ReplicaSet with the requested
 * revision (0 = the previous revision) into the Deployment and clear the request.
 */
import { ROLLBACK_TO_ANNOTATION, lastRevision, revisionOf, rollbackTo, setDeploymentAnnotationsTo } from './annotations.js';
import { Reason } from './conditions.js';
import { allReplicaSetsAndSyncRevision } from './new-replica-set.js';
import { POD_TEMPLATE_HASH_LABEL, equalIgnoreHash } from './pod-template-hash.js';
import type { DeploymentSync } from './sync-context.js';
import type { ReplicaSet } from './types.js';

export async function rollback(s: DeploymentSync): Promise<void> {
  const [newRS, oldRSs] = await allReplicaSetsAndSyncRevision(s, true);
  const allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = rollbackTo(s.d) ?? 0;
  if (revision === 0) {
    revision = lastRevision(allRSs);
    if (revision === 0) {
      s.event('Warning', Reason.RollbackRevisionNotFound, 'Unable to find last revision.');
      return clearRollbackTo(s);
    }
  }
  for (const rs of allRSs) {
    if (revisionOf(rs) !== revision) continue;
    const performed = await rollbackToTemplate(s, rs);
    if (performed) s.event('Normal', Reason.RollbackDone, `Rolled back deployment "${s.name}" to revision ${revision}`);
    return;
  }
  s.event('Warning', Reason.RollbackRevisionNotFound, 'Unable to find the revision to rollback to.');
  return clearRollbackTo(s);
}

async function rollbackToTemplate(s: DeploymentSync, rs: ReplicaSet): Promise<boolean> {
  let performed = false;
  if (!equalIgnoreHash(s.d.spec.template, rs.spec.template)) {
    const template = structuredClone(rs.spec.template ?? {});
    if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    s.d.spec.template = template;
    setDeploymentAnnotationsTo(s.d, rs);
    performed = true;
  } else {
    s.event('Warning', Reason.RollbackTemplateUnchanged, `The rollback revision contains the same template as current deployment "${s.name}"`);
  }
  await clearRollbackTo(s);
  return performed;
}

async function clearRollbackTo(s: DeploymentSync): Promise<void> {
  if (s.d.metadata.annotations) delete s.d.metadata.annotations[ROLLBACK_TO_ANNOTATION];
  await s.updateDeployment();
}
