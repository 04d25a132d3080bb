/**
 * get, list and watch, answering plain JSON or meta.k8s.io Tables as the Accept header asks.
 * Lists are serialized by concatenating each entry's cached JSON (no re-encoding of stored objects).
 */
import type { KObject } from '../../api/meta/object.js';
import type { ResourceDescriptor } from '../../api/resource.js';
import type { StoredEntry } from '../../store/store.js';
import { badRequest } from '../http/api-error.js';
import { tableVersion } from '../http/negotiation.js';
import { sendJson } from '../http/respond.js';
import { entryJson, servedJson } from '../registry/codec.js';
import { listObjects } from '../registry/list-objects.js';
import { buildFilter } from '../registry/object-filter.js';
import type { ResourceStorage } from '../registry/resource-storage.js';
import { toTable, type IncludeObject } from '../table/table-convert.js';
import type { RequestContext } from './request-context.js';
import type { ServerCore } from './server-core.js';
import { serveWatch } from './watch-handler.js';

export function includeObjectOf(ctx: RequestContext): IncludeObject {
  const v = ctx.query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

/** Sends one object, as JSON or as a one-row Table; a stored object goes out as its entry's cached JSON. */
export function sendObject(ctx: RequestContext, d: ResourceDescriptor, code: number, obj: KObject, json?: string): void {
  const tv = tableVersion(ctx.req.headers.accept);
  if (tv && ctx.info.subresource === '') {
    const table = toTable(d, [obj], {
      include: includeObjectOf(ctx), tableApiVersion: `meta.k8s.io/${tv}`, now: ctx.now.getTime(),
      resourceVersion: obj.metadata.resourceVersion,
    });
    sendJson(ctx.res, code, table, ctx.warnings);
    return;
  }
  sendJson(ctx.res, code, json ?? servedJson(obj) ?? obj, ctx.warnings);
}

export async function handleGet(ctx: RequestContext, storage: ResourceStorage): Promise<void> {
  const { namespace, name } = ctx.info;
  const entry = await storage.getEntry(namespace, name);
  if (!entry) {
    await storage.get(namespace, name); // throws the NotFound
    return;
  }
  sendObject(ctx, storage.descriptor, 200, storage.codec.fromStored(entry.value), entryJson(entry, storage.codec));
}

function parseLimit(ctx: RequestContext): number | undefined {
  const v = ctx.query.get('limit');
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`limit: Invalid value: "${v}": must be a non-negative integer`);
  return n;
}

export async function handleList(ctx: RequestContext, storage: ResourceStorage, core: ServerCore): Promise<void> {
  if (ctx.info.verb === 'watch') return serveWatch(ctx, storage, core);
  const d = storage.descriptor;
  const filter = buildFilter(d, ctx.query.get('labelSelector'), ctx.query.get('fieldSelector'));
  const page = await listObjects(storage, {
    namespace: ctx.info.namespace,
    filter,
    limit: parseLimit(ctx),
    continueToken: ctx.query.get('continue') || undefined,
  });
  const tv = tableVersion(ctx.req.headers.accept);
  if (tv) {
    const table = toTable(d, page.entries.map((e) => storage.codec.fromStored(e.value)), {
      include: includeObjectOf(ctx), tableApiVersion: `meta.k8s.io/${tv}`, now: ctx.now.getTime(),
      resourceVersion: page.resourceVersion, continue: page.continue, remainingItemCount: page.remainingItemCount,
    });
    sendJson(ctx.res, 200, table, ctx.warnings);
    return;
  }
  sendJson(ctx.res, 200, listJson(storage, page.entries, page.resourceVersion, page.continue, page.remainingItemCount), ctx.warnings);
}

export function listJson(storage: ResourceStorage, entries: StoredEntry[], rv: string, cont?: string, remaining?: number): string {
  const d = storage.descriptor;
  const meta: Record<string, unknown> = { resourceVersion: rv };
  if (cont) meta.continue = cont;
  if (remaining !== undefined) meta.remainingItemCount = remaining;
  const head = `{"kind":${JSON.stringify(`${d.kind}List`)},"apiVersion":${JSON.stringify(storage.apiVersion)},"metadata":${JSON.stringify(meta)},"items":[`;
  return `${head}${entries.map((e) => entryJson(e, storage.codec)).join(',')}]}`;
}
