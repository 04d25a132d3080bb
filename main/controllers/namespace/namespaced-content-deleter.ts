/**
 * One sweep over a terminating namespace's content (upstream's namespacedResourcesDeleter.deleteAllContent):
 * for every namespaced resource type served (preferred version, supporting list and delete, CRDs included),
 * delete every object (propagation Background), then list again to see what is left.
 *
 * The estimate says how long to wait before the next sweep: the longest termination grace period of the
 * namespace's non-terminal pods, or 15 s when objects remain only because of finalizers; 0 when nothing is left.
 * Objects left with neither a grace period nor finalizers are a content error (something refused deletion).
 */
import type { KObject } from '../../api/meta/object.js';
import { isNotFound, type KubeClient, type ResourceRef } from '../../client/kube-client.js';
import { discoverResources, supportsVerbs, type DiscoveredResource } from '../discovery/api-discovery.js';
import type { SweepFindings } from './namespace-conditions.js';

/** Upstream's finalizerEstimateSeconds. */
export const FINALIZER_ESTIMATE_SECONDS = 15;
const DEFAULT_POD_GRACE_SECONDS = 30;
const LIST_PAGE = 500;

export interface SweepResult {
  findings: SweepFindings;
  /** Seconds until content may be gone (0 = nothing left). */
  estimateSeconds: number;
}

interface PodLike extends KObject {
  spec?: { terminationGracePeriodSeconds?: number };
  status?: { phase?: string };
}

async function listAll(client: KubeClient, r: ResourceRef, namespace: string): Promise<KObject[]> {
  const out: KObject[] = [];
  let cont: string | undefined;
  do {
    const page = await client.list<KObject>(r, namespace, { limit: LIST_PAGE, continue: cont });
    out.push(...page.items);
    cont = page.continue;
  } while (cont);
  return out;
}

/** The longest grace period among non-terminal pods (upstream's estimateGracefulTermination). */
function podGraceEstimate(pods: KObject[]): number {
  let estimate = 0;
  for (const p of pods as PodLike[]) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = p.spec?.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS;
    if (grace > estimate) estimate = grace;
  }
  return estimate;
}

const resourceLabel = (r: DiscoveredResource): string => `${r.plural}.${r.group}`;

/** Deletes every object of `r` in `namespace`; returns the estimate and records what remains in `findings`. */
async function sweepResource(client: KubeClient, r: DiscoveredResource, namespace: string, findings: SweepFindings): Promise<number> {
  const items = await listAll(client, r, namespace);
  if (items.length === 0) return 0;
  const isPods = r.group === '' && r.plural === 'pods';
  const estimate = isPods ? podGraceEstimate(items) : 0;
  const errors: string[] = [];
  await Promise.all(items.map(async (o) => {
    try {
      await client.delete(r, namespace, o.metadata.name!, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) errors.push(e instanceof Error ? e.message : String(e));
    }
  }));
  if (errors.length > 0) throw new Error(errors[0]);
  const left = await listAll(client, r, namespace);
  if (left.length === 0) return 0;
  findings.remainingByResource.set(resourceLabel(r), left.length);
  const byFinalizer = new Map<string, number>();
  for (const o of left) for (const f of o.metadata.finalizers ?? []) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
  for (const [f, n] of byFinalizer) findings.remainingByFinalizer.set(f, (findings.remainingByFinalizer.get(f) ?? 0) + n);
  if (estimate > 0) return estimate;
  if (byFinalizer.size > 0) return FINALIZER_ESTIMATE_SECONDS;
  throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${r.group}/${r.version}, Resource=${r.plural}`);
}

/** One sweep; never throws for content problems (they are findings), only when discovery itself is unreachable. */
export async function sweepNamespace(client: KubeClient, namespace: string): Promise<SweepResult> {
  const { resources, failed } = await discoverResources(client);
  const findings: SweepFindings = {
    discoveryFailures: failed, contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map(),
  };
  const targets = resources.filter((r) => r.preferred && r.namespaced && supportsVerbs(r, 'list', 'delete'));
  let estimate = 0;
  const results = await Promise.allSettled(targets.map((r) => sweepResource(client, r, namespace, findings)));
  results.forEach((res) => {
    if (res.status === 'fulfilled') estimate = Math.max(estimate, res.value);
    else findings.contentErrors.push(res.reason instanceof Error ? res.reason.message : String(res.reason));
  });
  return { findings, estimateSeconds: estimate };
}
