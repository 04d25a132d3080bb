/**
 * ResourceQuota admission (upstream plugin/resourcequota): a create or update in a namespace with quotas is
 * measured the way the quota controller measures usage (quota-usage.ts) and rejected with 403 Forbidden when it
 * would take some quota past its hard limit:
 *   `pods "web-1" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2`.
 * As upstream:
 * - a quota constrains the resources in its status.hard, so it takes effect once the controller has synced it;
 *   a quota whose status.used lacks one of those resources answers `status unknown for quota: q, resources: ...`;
 * - a quota on cpu or memory requires every container of a matching pod to state it:
 *   `failed quota: q: must specify limits.cpu for: app; requests.memory for: app,init`;
 * - an update is charged for what it adds (new usage minus old, never negative); pod updates are not measured;
 * - an admitted request charges the quotas at once (status.used grows), so a burst of creates (a ReplicaSet's)
 *   cannot overrun a quota before the controller recounts. Checks and charges are serialised per namespace.
 * Dry runs are checked but charge nothing. Subresource writes (status, scale, binding) are not measured.
 */
import type { ResourceQuota } from '../../../api/core/v1/resource-quota.js';
import type { KObject } from '../../../api/meta/object.js';
import { addQuantities, canonicalQuantity, compareQuantities, formatQuantity, parseQuantity, subtractQuantities, type Quantity } from '../../../api/meta/quantity.js';
import {
  hasScopes, podMatchesQuotaScopes, quotaUsage, resourceMeasuresKind, type PodLike,
} from '../../../controllers/resource-quota/quota-usage.js';
import { ApiError, forbidden } from '../../http/api-error.js';
import type { ResourceStorage } from '../../registry/resource-storage.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import type { ObjectReader } from '../object-reader.js';

/** Adds `delta` to a quota's status.used (latest stored version); resolves once written. */
export type ChargeQuota = (namespace: string, name: string, delta: Record<string, Quantity>) => Promise<void>;

/** The resources a quota on cpu/memory requires each container to state (upstream's validation set). */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

export function resourceQuotaAdmission(reader: ObjectReader, charge: ChargeQuota, now: () => number = Date.now): AdmissionPlugin {
  const serialised = new Map<string, Promise<unknown>>();
  return {
    name: 'ResourceQuota',
    async validate(req) {
      if ((req.operation !== 'CREATE' && req.operation !== 'UPDATE') || req.subresource || !req.descriptor.namespaced || !req.object) return;
      // A pod's resources cannot change after creation (upstream's pod evaluator handles only creates without
      // in-place resize): relabelling, adoption or graceful deletion of a pod is never measured.
      if (req.operation === 'UPDATE' && req.descriptor.group === '' && req.descriptor.plural === 'pods') return;
      const ns = req.namespace;
      // Most namespaces have no quota: their writes skip the queue.
      const listed = await reader.list('', 'resourcequotas', ns);
      if (listed.length === 0) return;
      const names = listed.map((q) => q.metadata.name!);
      const run = (serialised.get(ns) ?? Promise.resolve()).then(() => admit(req, names), () => admit(req, names));
      const tail = run.catch(() => undefined);
      serialised.set(ns, tail);
      void tail.then(() => { if (serialised.get(ns) === tail) serialised.delete(ns); });
      return run;
    },
  };

  /** Checks `req` against the namespace's quotas `names` and charges them; runs after the namespace's previous one. */
  async function admit(req: AdmissionRequest, names: string[]): Promise<void> {
    // The list may trail recent writes (it is watch-fed); each quota is read afresh so that the previous request's
    // charge, made a moment ago, is seen.
    const quotas = (await Promise.all(names.map((n) => reader.get('', 'resourcequotas', req.namespace, n))))
      .filter((q): q is ResourceQuota => q !== undefined);
    const d = req.descriptor;
    const kind = d.group ? `${d.plural}.${d.group}` : d.plural;
    const obj = { ...req.object!, metadata: { ...req.object!.metadata, namespace: req.namespace } };
    const gr = { group: d.group, resource: d.plural };
    const name = obj.metadata.name ?? '';
    const charges: [ResourceQuota, Record<string, Quantity>][] = [];

    for (const quota of quotas) {
      const hard = quota.status?.hard ?? {};
      const restricted = Object.keys(hard).filter((r) => resourceMeasuresKind(r, kind));
      if (restricted.length === 0 || !matches(quota, obj, kind)) continue;
      if (kind === 'pods') {
        const missing = missingRequirements(obj as PodLike, restricted);
        if (missing) throw forbidden(gr, name, `failed quota: ${quota.metadata.name}: must specify ${missing}`);
      }
      const used = quota.status?.used ?? {};
      const unknown = restricted.filter((r) => !(r in used));
      if (unknown.length) throw forbidden(gr, name, `status unknown for quota: ${quota.metadata.name}, resources: ${unknown.sort().join(',')}`);

      let delta = usageOf(quota, restricted, obj, kind);
      if (req.operation === 'UPDATE' && req.oldObject?.metadata.resourceVersion && matches(quota, req.oldObject, kind))
        delta = nonNegativeDifference(delta, usageOf(quota, restricted, req.oldObject, kind));
      if (Object.keys(delta).length === 0) continue;

      const exceeded = Object.keys(delta).filter((r) => {
        const limit = parseQuantity(hard[r]!);
        const current = parseQuantity(used[r] ?? 0);
        return !!limit && !!current && compareQuantities(addQuantities(current, delta[r]!), limit) > 0;
      }).sort();
      if (exceeded.length) {
        const list = (pick: (r: string) => string) => exceeded.map((r) => `${r}=${pick(r)}`).join(',');
        throw forbidden(gr, name, `exceeded quota: ${quota.metadata.name}, requested: ${list((r) => formatQuantity(delta[r]!))}, used: ${list((r) => canonical(used[r]!))}, limited: ${list((r) => canonical(hard[r]!))}`);
      }
      charges.push([quota, delta]);
    }
    if (req.dryRun || charges.length === 0) return;
    // A create of a name already taken fails in storage right after. Upstream charges it anyway and the quota
    // overcounts until the controller's next full recount (5 min); not charging keeps status.used right.
    if (req.operation === 'CREATE' && name && (await reader.get(d.group, d.plural, req.namespace, name))) return;
    for (const [quota, delta] of charges) await charge(req.namespace, quota.metadata.name!, delta);
  }

  /** The object falls under the quota: pods by the quota's scopes; other kinds only under unscoped quotas. */
  function matches(quota: ResourceQuota, obj: KObject, kind: string): boolean {
    return kind === 'pods' ? podMatchesQuotaScopes(quota, obj as PodLike) : !hasScopes(quota);
  }

  /** The object's own usage of `restricted`, zeros left out. */
  function usageOf(quota: ResourceQuota, restricted: string[], obj: KObject, kind: string): Record<string, Quantity> {
    const probe: ResourceQuota = { ...quota, spec: { ...quota.spec, hard: Object.fromEntries(restricted.map((r) => [r, '0'])) } };
    const measured = quotaUsage(probe, new Map([[kind, [obj]]]), now());
    const out: Record<string, Quantity> = {};
    for (const [r, v] of Object.entries(measured)) {
      const q = parseQuantity(v);
      if (q && q.mantissa > 0n) out[r] = q;
    }
    return out;
  }
}

function nonNegativeDifference(a: Record<string, Quantity>, b: Record<string, Quantity>): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  for (const [r, q] of Object.entries(a)) {
    const diff = b[r] ? subtractQuantities(q, b[r]!) : q;
    if (diff.mantissa > 0n) out[r] = diff;
  }
  return out;
}

const canonical = (v: string | number): string => canonicalQuantity(v) ?? String(v);

/**
 * `limits.cpu for: app; requests.memory for: app,init` — the cpu/memory resources among `restricted` that some
 * container (or init container) does not state, or undefined when every container states them all.
 */
function missingRequirements(pod: PodLike, restricted: string[]): string | undefined {
  const required = restricted.filter((r) => MUST_SPECIFY.has(r));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const stated = new Set<string>();
    for (const r of Object.keys(c.resources?.requests ?? {})) stated.add(r).add(`requests.${r}`);
    for (const r of Object.keys(c.resources?.limits ?? {})) stated.add(`limits.${r}`);
    for (const r of required) if (!stated.has(r)) missing.set(r, (missing.get(r) ?? new Set()).add(c.name));
  }
  if (missing.size === 0) return undefined;
  return [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ');
}

/**
 * The ChargeQuota of a server: adds to status.used of the stored quota (re-read on conflicts), bypassing admission
 * as upstream's quota status writes do. A quota deleted meanwhile is nothing to charge.
 */
export function chargeThroughStorage(quotas: () => ResourceStorage): ChargeQuota {
  return async (namespace, name, delta) => {
    try {
      await quotas().rawUpdate(namespace, name, (current) => {
        const q = current as ResourceQuota;
        const used = { ...(q.status?.used ?? {}) };
        for (const [r, d] of Object.entries(delta)) {
          const before = parseQuantity(used[r] ?? 0);
          used[r] = formatQuantity(before ? addQuantities(before, d) : d);
        }
        q.status = { ...q.status, used };
        return q;
      });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  };
}
