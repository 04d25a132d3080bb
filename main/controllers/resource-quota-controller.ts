/**
 * The "resourcequota" controller (upstream pkg/controller/resourcequota): keeps every ResourceQuota's status.hard
 * equal to spec.hard and status.used equal to the namespace's usage (see resource-quota/quota-usage.ts). A quota is
 * recalculated when it changes, when an object it counts changes in its namespace (replenishment), and every
 * --resource-quota-sync-period (5 min). Quota is not enforced at admission here: the API server has no
 * ResourceQuota admission plugin yet, so this status is informational.
 */
import type { ResourceQuota } from '../api/core/v1/resource-quota.js';
import type { KObject } from '../api/meta/object.js';
import {
  CONFIGMAPS, CRONJOBS, DAEMONSETS, DEPLOYMENTS, isConflict, isNotFound, JOBS, PODS, PVCS, REPLICASETS, REPLICATIONCONTROLLERS, RESOURCEQUOTAS,
  SECRETS, SERVICES, STATEFULSETS, type ResourceRef,
} from '../client/kube-client.js';
import type { Informer } from '../client/informer.js';
import { byNamespace, NAMESPACE_INDEX } from '../client/indexers.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { errorMessage } from './controller-util.js';
import { quotaUsage } from './resource-quota/quota-usage.js';
import { resyncWhileAny, type Resync } from './resync-while-any.js';

const SYNC_PERIOD_MS = 5 * 60_000;

/** The kinds whose objects quotas count, by the name quota-usage.ts knows them under. */
const COUNTED: [string, ResourceRef][] = [
  ['pods', PODS], ['services', SERVICES], ['configmaps', CONFIGMAPS], ['secrets', SECRETS], ['replicationcontrollers', REPLICATIONCONTROLLERS],
  ['resourcequotas', RESOURCEQUOTAS], ['persistentvolumeclaims', PVCS], ['deployments.apps', DEPLOYMENTS], ['replicasets.apps', REPLICASETS],
  ['statefulsets.apps', STATEFULSETS], ['daemonsets.apps', DAEMONSETS], ['jobs.batch', JOBS], ['cronjobs.batch', CRONJOBS],
];

const sameList = (a: Record<string, string> | undefined, b: Record<string, string>) => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => a![k] === b[k]);
};

export const resourceQuotaController: ControllerFactory = {
  name: 'resourcequota',
  create(ctx: ControllerContext): Controller {
    const quotas = ctx.informers.informerFor<ResourceQuota>(RESOURCEQUOTAS);
    const queue = new WorkQueue<string>();
    const enqueueQuota = (q: ResourceQuota) => queue.add(`${q.metadata.namespace}/${q.metadata.name}`);
    const enqueueNamespace = (ns: string | undefined) => {
      if (ns) for (const q of quotas.store.byIndex(NAMESPACE_INDEX, ns)) enqueueQuota(q);
    };
    const counted = new Map<string, Informer<KObject>>();
    for (const [name, ref] of COUNTED) {
      const inf = name === 'resourcequotas' ? (quotas as unknown as Informer<KObject>) : ctx.informers.informerFor<KObject>(ref);
      inf.addIndexer(NAMESPACE_INDEX, byNamespace);
      counted.set(name, inf);
      if (name === 'resourcequotas') continue;
      inf.addHandler({
        onAdd: (o) => enqueueNamespace(o.metadata.namespace),
        onUpdate: (_o, n) => enqueueNamespace(n.metadata.namespace),
        onDelete: (o) => enqueueNamespace(o.metadata.namespace),
      });
    }
    // A quota change recounts that quota; another quota appearing or going changes every quota's resourcequotas count.
    quotas.addHandler({
      onAdd: (q) => enqueueNamespace(q.metadata.namespace),
      onUpdate: (_o, n) => enqueueQuota(n),
      onDelete: (q) => enqueueNamespace(q.metadata.namespace),
    });

    async function sync(key: string): Promise<void> {
      const quota = quotas.store.get(key);
      if (!quota || quota.metadata.deletionTimestamp) return;
      const ns = quota.metadata.namespace!;
      const objects = new Map<string, readonly KObject[]>();
      for (const [name, inf] of counted) objects.set(name, inf.store.byIndex(NAMESPACE_INDEX, ns));
      const hard = { ...(quota.spec?.hard ?? {}) };
      const used = quotaUsage(quota, objects, ctx.now());
      if (sameList(quota.status?.hard, hard) && sameList(quota.status?.used, used)) return;
      const next = structuredClone(quota);
      next.status = { hard, used };
      try {
        await ctx.client.update(RESOURCEQUOTAS, ns, next, { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e)) queue.add(key);
        else throw e;
      }
    }

    let stopWorkers: (() => Promise<void>) | undefined;
    let resync: Resync | undefined;
    return {
      name: 'resourcequota',
      run() {
        stopWorkers = runWorkers(queue, workersFor(ctx.options, 'resourcequota', 5), sync, {
          onError: (key, err) => ctx.log(`resourcequota: ${key}: ${errorMessage(err)}`),
        });
        resync = resyncWhileAny([quotas], SYNC_PERIOD_MS, () => quotas.store.list().forEach(enqueueQuota));
      },
      async stop() {
        resync?.stop();
        queue.shutdown();
        await stopWorkers?.();
      },
    };
  },
};
