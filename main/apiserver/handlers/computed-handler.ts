/** get/list of read-only resources computed on demand (componentstatuses from component health). */
import type { KObject } from '../../api/meta/object.js';
import { notFound, pathNotFound } from '../http/api-error.js';
import { tableVersion } from '../http/negotiation.js';
import { sendJson } from '../http/respond.js';
import { buildFilter } from '../registry/object-filter.js';
import { toTable } from '../table/table-convert.js';
import { includeObjectOf, sendObject } from './read-handlers.js';
import type { RequestContext } from './request-context.js';
import { authorize } from './resource-handler.js';
import type { ServerCore } from './server-core.js';

export async function serveComputed(ctx: RequestContext, core: ServerCore, compute: () => Promise<KObject[]>): Promise<void> {
  const i = ctx.info;
  const d = core.registry.find(i.group, i.version, i.resource);
  if (!d) throw pathNotFound();
  authorize(ctx, core);
  if (d.deprecationWarning) ctx.warnings.push(d.deprecationWarning);
  const all = await compute();
  // Namespaced computed resources are scoped by the request's namespace like stored ones.
  const objects = d.namespaced && i.namespace ? all.filter((o) => o.metadata.namespace === i.namespace) : all;
  if (i.verb === 'get') {
    const obj = objects.find((o) => o.metadata.name === i.name);
    if (!obj) throw notFound({ group: d.group, resource: d.plural }, i.name);
    sendObject(ctx, d, 200, obj);
    return;
  }
  const filter = buildFilter(d, ctx.query.get('labelSelector'), ctx.query.get('fieldSelector'));
  const items = objects.filter((o) => filter.matches(o));
  const tv = tableVersion(ctx.req.headers.accept);
  if (tv) {
    sendJson(ctx.res, 200, toTable(d, items, { include: includeObjectOf(ctx), tableApiVersion: `meta.k8s.io/${tv}`, now: ctx.now.getTime() }), ctx.warnings);
    return;
  }
  sendJson(ctx.res, 200, { kind: `${d.kind}List`, apiVersion: d.group ? `${d.group}/${d.version}` : d.version, metadata: {}, items }, ctx.warnings);
}
