/**
 * namespaces/<name>/finalize: the namespace controller's way of clearing spec.finalizers once a terminating
 * namespace is empty; with no finalizers left the namespace is removed.
 */
import { badRequest, conflict, OBJECT_MODIFIED } from '../../http/api-error.js';
import { sendObject } from '../read-handlers.js';
import type { RequestContext } from '../request-context.js';
import type { ServerCore } from '../server-core.js';
import { readObjectBody, writeOptions } from '../write-handlers.js';

export async function handleNamespaceFinalize(ctx: RequestContext, core: ServerCore): Promise<void> {
  if (ctx.info.verb !== 'update') throw badRequest('finalize only supports update');
  const d = core.registry.find('', 'v1', 'namespaces')!;
  const storage = core.storageFor(d);
  const body = await readObjectBody(ctx, d);
  const finalizers = (body as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? [];
  const result = await storage.rawUpdateOrDelete('', ctx.info.name, (current) => {
    if (body.metadata.resourceVersion && body.metadata.resourceVersion !== current.metadata.resourceVersion)
      throw conflict(storage.gr, ctx.info.name, OBJECT_MODIFIED);
    const ns = current as typeof current & { spec?: { finalizers?: string[] } };
    ns.spec = { ...(ns.spec ?? {}), finalizers };
    if (finalizers.length === 0) delete ns.spec.finalizers;
    return ns;
  }, writeOptions(ctx, 'finalize'));
  sendObject(ctx, d, 200, result);
}
