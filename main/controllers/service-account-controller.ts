/**
 * The "serviceaccount" controller (upstream pkg/controller/serviceaccount ServiceAccountsController): every active
 * namespace has a ServiceAccount named `default`; it is created when the namespace appears and recreated when it
 * is deleted. Nothing else in the cluster creates it. Namespaces being terminated are left alone (the API server
 * refuses new objects in them anyway).
 */
import type { KObject } from '../api/meta/object.js';
import { isAlreadyExists, NAMESPACES, SERVICEACCOUNTS } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { isForbiddenInTerminatingNamespace } from './controller-util.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

interface NamespaceLike extends KObject {
  status?: { phase?: string };
}

export const serviceAccountController: ControllerFactory = {
  name: 'serviceaccount',
  create(ctx: ControllerContext): Controller {
    const namespaces = ctx.informers.informerFor<NamespaceLike>(NAMESPACES);
    const accounts = ctx.informers.informerFor<KObject>(SERVICEACCOUNTS);
    const queue = new WorkQueue<string>();
    const enqueueNamespace = (ns: NamespaceLike) => queue.add(ns.metadata.name!);
    namespaces.addHandler({ onAdd: enqueueNamespace, onUpdate: (_o, n) => enqueueNamespace(n) });
    accounts.addHandler({
      onDelete: (sa) => {
        if (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT && sa.metadata.namespace) queue.add(sa.metadata.namespace);
      },
    });

    async function sync(name: string): Promise<void> {
      const ns = namespaces.store.get(name);
      if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
      if (accounts.store.getByName(name, DEFAULT_SERVICE_ACCOUNT)) return;
      try {
        await ctx.client.create(SERVICEACCOUNTS, name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: name } });
      } catch (e) {
        if (isAlreadyExists(e) || isForbiddenInTerminatingNamespace(e)) return;
        throw e;
      }
    }

    let stopWorkers: (() => Promise<void>) | undefined;
    return {
      name: 'serviceaccount',
      run() {
        stopWorkers = runWorkers(queue, workersFor(ctx.options, 'serviceaccount', 1), sync, {
          onError: (key, err) => ctx.log(`serviceaccount: namespace ${key}: ${String(err)}`),
        });
      },
      async stop() {
        queue.shutdown();
        await stopWorkers?.();
      },
    };
  },
};
