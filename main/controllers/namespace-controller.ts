/**
 * The namespace controller ("namespace", upstream's pkg/controller/namespace): empties a namespace marked for
 * deletion and then releases it.
 *
 * For a namespace with deletionTimestamp (the API server has set phase Terminating): while its spec.finalizers
 * hold `kubernetes`, sweep its content (namespace/namespaced-content-deleter.ts: every namespaced resource type
 * from discovery, CRD-defined ones included), record the five deletion conditions on its status, and
 * - when content remains only because it takes time (pod grace periods, finalizers), look again after
 *   estimate/2 + 1 seconds;
 * - when a sweep failed (discovery or deletion errors), retry with the queue's backoff;
 * - when nothing is left, remove `kubernetes` through PUT namespaces/<name>/finalize; with no finalizers left
 *   the API server deletes the namespace.
 */
import type { Namespace } from '../api/core/v1/namespace.js';
import { FINALIZER_KUBERNETES } from '../api/core/v1/namespace.js';
import { isConflict, isNotFound, NAMESPACES } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { aggregateMessage, applyConditions, type SweepFindings } from './namespace/namespace-conditions.js';
import { sweepNamespace } from './namespace/namespaced-content-deleter.js';

export const NAMESPACE_CONTROLLER = 'namespace';
/** --concurrent-namespace-syncs default. */
const DEFAULT_WORKERS = 10;
const MAX_CONFLICT_RETRIES = 5;

/** Content is still going away; look again after `waitSeconds`. */
class ContentRemaining extends Error {
  constructor(readonly estimateSeconds: number) {
    super(`some content remains in the namespace, estimated ${estimateSeconds}s`);
  }
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class NamespaceController implements Controller {
  readonly name = NAMESPACE_CONTROLLER;
  private readonly queue = new WorkQueue<string>();
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    const namespaces = ctx.informers.informerFor<Namespace>(NAMESPACES);
    const enqueue = (ns: Namespace) => {
      if (ns.metadata.deletionTimestamp && ns.metadata.name) this.queue.add(ns.metadata.name);
    };
    namespaces.addHandler({ onAdd: enqueue, onUpdate: (_, ns) => enqueue(ns) });
  }

  run(): void {
    const n = workersFor(this.ctx.options, NAMESPACE_CONTROLLER, DEFAULT_WORKERS);
    this.stopWorkers = runWorkers(this.queue, n, (name) => this.syncWithRequeue(name), {
      onError: (name, err) => this.ctx.log(`${NAMESPACE_CONTROLLER}: deletion of namespace ${name} failed: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  /** Remaining content is not a failure: it is looked at again after estimate/2 + 1 s (no backoff). */
  private async syncWithRequeue(name: string): Promise<void> {
    try {
      await this.sync(name);
    } catch (e) {
      if (!(e instanceof ContentRemaining)) throw e;
      this.queue.addAfter(name, (Math.floor(e.estimateSeconds / 2) + 1) * 1000);
    }
  }

  private async sync(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await this.ctx.client.get<Namespace>(NAMESPACES, '', name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') ns = await this.updateStatus(name, (n) => {
      n.status = { ...(n.status ?? {}), phase: 'Terminating' };
      return true;
    }) ?? ns;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const { findings, estimateSeconds } = await sweepNamespace(this.ctx.client, name);
    const now = rfc3339(this.ctx.now());
    await this.updateStatus(name, (n) => applyConditions(n, findings, now));
    const errors = sweepErrors(findings);
    if (errors.length > 0) throw new Error(aggregateMessage(errors));
    if (estimateSeconds > 0) throw new ContentRemaining(estimateSeconds);
    await this.finalize(name);
  }

  /** Read-modify-write of the namespace's status; `change` returns false when nothing needs writing. */
  private async updateStatus(name: string, change: (ns: Namespace) => boolean): Promise<Namespace | undefined> {
    for (let attempt = 0; ; attempt++) {
      let ns: Namespace;
      try {
        ns = structuredClone(await this.ctx.client.get<Namespace>(NAMESPACES, '', name));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
      if (!change(ns)) return ns;
      try {
        return await this.ctx.client.update<Namespace>(NAMESPACES, '', ns, { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (isConflict(e) && attempt < MAX_CONFLICT_RETRIES) continue;
        throw e;
      }
    }
  }

  /** Removes the `kubernetes` finalizer through the finalize subresource (retried on conflicts). */
  private async finalize(name: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let ns: Namespace;
      try {
        ns = structuredClone(await this.ctx.client.get<Namespace>(NAMESPACES, '', name));
      } catch (e) {
        if (isNotFound(e)) return;
        throw e;
      }
      const finalizers = ns.spec?.finalizers ?? [];
      if (!finalizers.includes(FINALIZER_KUBERNETES)) return;
      ns.spec = { ...(ns.spec ?? {}), finalizers: finalizers.filter((f) => f !== FINALIZER_KUBERNETES) };
      try {
        await this.ctx.client.update<Namespace>(NAMESPACES, '', ns, { subresource: 'finalize' });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e) && attempt < MAX_CONFLICT_RETRIES) continue;
        throw e;
      }
    }
  }
}

function sweepErrors(f: SweepFindings): string[] {
  const out = [...f.contentErrors];
  if (f.discoveryFailures.size > 0) out.unshift(`unable to retrieve the complete list of server APIs: ${[...f.discoveryFailures].map(([gv, e]) => `${gv}: ${e}`).join(', ')}`);
  return out;
}

export const namespaceControllerFactory: ControllerFactory = {
  name: NAMESPACE_CONTROLLER,
  create: (ctx) => new NamespaceController(ctx),
};
