/**
 * The conditions the namespace controller reports on a terminating namespace (upstream's
 * namespaceConditionUpdater): every sweep sets all five types, each either its failure variant (when this sweep
 * found a problem) or its success variant; a condition changes (with a new lastTransitionTime) only when its
 * status, reason or message does.
 */
import type { Namespace, NamespaceCondition } from '../../api/core/v1/namespace.js';

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

type ConditionType = (typeof CONDITION_TYPES)[number];

const SUCCESS: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What one sweep over a namespace's content found. */
export interface SweepFindings {
  /** groupVersion → error, for groups discovery could not read. */
  discoveryFailures: Map<string, string>;
  /** Errors deleting or listing content, one per resource type. */
  contentErrors: string[];
  /** "pods." / "widgets.example.com" style resource.group → objects left. */
  remainingByResource: Map<string, number>;
  /** finalizer → objects left carrying it. */
  remainingByFinalizer: Map<string, number>;
}

/** Upstream's aggregate error text: one error as is, several as "[a, b]". */
export const aggregateMessage = (errs: string[]): string => (errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);

function failures(f: SweepFindings): Map<ConditionType, { reason: string; message: string }> {
  const out = new Map<ConditionType, { reason: string; message: string }>();
  if (f.discoveryFailures.size > 0) {
    const detail = [...f.discoveryFailures].map(([gv, e]) => `${gv}: ${e}`).join(', ');
    out.set('NamespaceDeletionDiscoveryFailure', {
      reason: 'DiscoveryFailed',
      message: `Discovery failed for some groups, ${f.discoveryFailures.size} failing: unable to retrieve the complete list of server APIs: ${detail}`,
    });
  }
  if (f.contentErrors.length > 0) {
    out.set('NamespaceDeletionContentFailure', {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${f.contentErrors.length} remaining: ${aggregateMessage(f.contentErrors)}`,
    });
  }
  const resources = [...f.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
  if (resources.length > 0) {
    out.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.join(', ')}` });
  }
  const finalizers = [...f.remainingByFinalizer].filter(([, n]) => n > 0).map(([fin, n]) => `${fin} in ${n} resource instances`).sort();
  if (finalizers.length > 0) {
    out.set('NamespaceFinalizersRemaining', {
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`,
    });
  }
  return out;
}

/** Sets the five conditions on `ns` (a private copy) from `findings`; true when anything changed. */
export function applyConditions(ns: Namespace, findings: SweepFindings, now: string): boolean {
  const failed = failures(findings);
  ns.status ??= {};
  const conditions: NamespaceCondition[] = ns.status.conditions ?? [];
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const f = failed.get(type);
    const next: NamespaceCondition = { type, status: f ? 'True' : 'False', lastTransitionTime: now, ...(f ?? SUCCESS[type]) };
    const i = conditions.findIndex((c) => c.type === type);
    if (i < 0) {
      conditions.push(next);
      changed = true;
    } else {
      const old = conditions[i]!;
      if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
        conditions[i] = next;
        changed = true;
      }
    }
  }
  ns.status.conditions = conditions;
  return changed;
}
