/**
 * pods/eviction (policy/v1 Eviction): deletes a pod unless a PodDisruptionBudget covering it has no disruptions
 * left, in which case the answer is 429 TooManyRequests as upstream words it (kubectl drain retries).
 */
import { selectorFromObject, matchesLabels, type LabelSelectorObject } from '../../../api/meta/label-selector.js';
import { cloneJson, type KObject } from '../../../api/meta/object.js';
import { ApiError, badRequest, tooManyRequests } from '../../http/api-error.js';
import { sendJson } from '../../http/respond.js';
import { buildFilter } from '../../registry/object-filter.js';
import { listObjects } from '../../registry/list-objects.js';
import type { DeleteOptions } from '../../registry/resource-storage.js';
import type { RequestContext } from '../request-context.js';
import type { ServerCore } from '../server-core.js';
import { readBody } from '../../http/request-body.js';
import { parseBody } from '../../decode/body-parser.js';
import { contentTypeOf } from '../../http/negotiation.js';
import { writeOptions } from '../write-handlers.js';

interface Pdb extends KObject {
  spec?: { selector?: LabelSelectorObject };
  status?: { disruptionsAllowed?: number; observedGeneration?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string> };
}

const DISRUPTION_MESSAGE = "Cannot evict pod as it would violate the pod's disruption budget.";

export async function handlePodEviction(ctx: RequestContext, core: ServerCore): Promise<void> {
  if (ctx.info.verb !== 'create') throw badRequest('eviction only supports create');
  const raw = parseBody(await readBody(ctx.req), contentTypeOf(ctx.req.headers['content-type']) || 'application/json') as KObject & { deleteOptions?: DeleteOptions };
  const { namespace, name } = ctx.info;
  if (raw?.metadata?.name && raw.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const pods = core.storageFor(core.registry.find('', 'v1', 'pods')!);
  const pod = (await pods.get(namespace, name)) as KObject & { status?: { phase?: string } };
  const deleteOptions: DeleteOptions = raw?.deleteOptions ?? {};
  const phase = pod.status?.phase;
  const pdbDescriptor = core.registry.find('policy', 'v1', 'poddisruptionbudgets');
  // Terminal and pending pods never count against a budget.
  if (pdbDescriptor && phase !== 'Succeeded' && phase !== 'Failed' && phase !== 'Pending' && !pod.metadata.deletionTimestamp) {
    const pdbs = core.storageFor(pdbDescriptor);
    const page = await listObjects(pdbs, { namespace, filter: buildFilter(pdbDescriptor, null, null) });
    const matching = page.entries.map((e) => e.value as Pdb).filter((p) => {
      try {
        const sel = selectorFromObject(p.spec?.selector);
        return sel !== 'nothing' && sel.length > 0 && matchesLabels(sel, pod.metadata.labels);
      } catch {
        return false;
      }
    });
    if (matching.length > 1)
      throw new ApiError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = matching[0];
    if (pdb) {
      const s = pdb.status ?? {};
      if ((s.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0))
        throw tooManyRequests(DISRUPTION_MESSAGE, { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} is still being processed by the server.` }] });
      if ((s.disruptionsAllowed ?? 0) < 0) throw new ApiError(403, 'Forbidden', 'pdb disruptions allowed is negative');
      if ((s.disruptionsAllowed ?? 0) === 0)
        throw tooManyRequests(DISRUPTION_MESSAGE, { causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently` }] });
      await pdbs.update(namespace, pdb.metadata.name!, (current) => {
        const next = cloneJson(current) as Pdb;
        next.status = { ...(next.status ?? {}) };
        next.status.disruptionsAllowed = (next.status.disruptionsAllowed ?? 0) - 1;
        next.status.disruptedPods = { ...(next.status.disruptedPods ?? {}), [name]: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
        return next;
      }, { ...writeOptions(ctx, 'status'), fieldManager: undefined });
    }
  }
  await pods.delete(namespace, name, deleteOptions, writeOptions(ctx));
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, ctx.warnings);
}
