/**
 * create, update (PUT), patch (JSON / merge / strategic / server-side apply), delete and deletecollection.
 */
import { cloneJson, isObject, type KObject } from '../../api/meta/object.js';
import type { ResourceDescriptor } from '../../api/resource.js';
import { decodeObject, parseFieldValidation, type FieldValidation } from '../decode/object-decoder.js';
import { findDuplicateFields } from '../decode/duplicate-fields.js';
import { parseBody } from '../decode/body-parser.js';
import { ApiError, badRequest, successStatus } from '../http/api-error.js';
import { contentTypeOf } from '../http/negotiation.js';
import { readBody } from '../http/request-body.js';
import { sendJson } from '../http/respond.js';
import { listObjects } from '../registry/list-objects.js';
import { buildFilter } from '../registry/object-filter.js';
import type { DeleteOptions, ResourceStorage, WriteOptions } from '../registry/resource-storage.js';
import { rfc3339 } from '../registry/time.js';
import { sendObject } from './read-handlers.js';
import { fieldManagerOf, isDryRun, type RequestContext } from './request-context.js';
import type { ServerCore } from './server-core.js';

export function writeOptions(ctx: RequestContext, subresource = ''): WriteOptions {
  return { user: ctx.user, dryRun: isDryRun(ctx), fieldManager: fieldManagerOf(ctx), warnings: ctx.warnings, subresource };
}

/** Repeated keys in a JSON body, looked for only when they would be reported. */
function duplicatesIn(body: Buffer, parsed: unknown, contentType: string, validation: FieldValidation): string[] {
  if (validation === 'Ignore' || (contentType !== '' && !contentType.endsWith('json'))) return [];
  return findDuplicateFields(body.toString('utf8'), parsed);
}

export async function readObjectBody(ctx: RequestContext, d: ResourceDescriptor): Promise<KObject> {
  return (await readObjectDecoder(ctx, d))();
}

/**
 * Reads the body once and returns a decoder giving a fresh object per call: a write that must retry on a newer
 * stored version re-decodes instead of deep-copying every request up front. The first call reports (warnings,
 * strict-decoding errors); later calls decode the same bytes quietly.
 */
async function readObjectDecoder(ctx: RequestContext, d: ResourceDescriptor): Promise<() => KObject> {
  const body = await readBody(ctx.req);
  const contentType = contentTypeOf(ctx.req.headers['content-type']);
  const validation = parseFieldValidation(ctx.query.get('fieldValidation'));
  let warnings = ctx.warnings;
  return () => {
    const parsed = parseBody(body, contentType);
    // Counted before decoding, which may default or prune fields.
    const duplicates = duplicatesIn(body, parsed, contentType, validation);
    const obj = decodeObject(d, parsed, validation, warnings, duplicates);
    warnings = [];
    return obj;
  };
}

function checkNamespace(ctx: RequestContext, d: ResourceDescriptor, obj: KObject): void {
  const ns = obj.metadata.namespace;
  if (d.namespaced && ns && ns !== ctx.info.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
}

export async function handleCreate(ctx: RequestContext, storage: ResourceStorage): Promise<void> {
  const d = storage.descriptor;
  if (d.namespaced && !ctx.info.namespace) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const obj = await readObjectBody(ctx, d);
  checkNamespace(ctx, d, obj);
  const created = await storage.create(ctx.info.namespace, obj, writeOptions(ctx));
  sendObject(ctx, d, 201, created);
}

export async function handleUpdate(ctx: RequestContext, storage: ResourceStorage, subresource = ''): Promise<void> {
  const d = storage.descriptor;
  const decode = await readObjectDecoder(ctx, d);
  const obj = decode();
  checkNamespace(ctx, d, obj);
  if (obj.metadata.name && obj.metadata.name !== ctx.info.name)
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
  const opts = writeOptions(ctx, subresource);
  // Each attempt gets a private object to fill in: the decoded one first, a re-decoded one for any retry.
  let unused: KObject | undefined = obj;
  const fresh = (): KObject => {
    const next = unused ?? decode();
    unused = undefined;
    return next;
  };
  const createIfMissing = !subresource && storage.allowCreateOnUpdate
    ? () => storage.create(ctx.info.namespace, fresh(), opts)
    : undefined;
  const { object, created } = await storage.update(ctx.info.namespace, ctx.info.name, fresh, opts, createIfMissing);
  sendObject(ctx, d, created ? 201 : 200, object);
}

/** Applies a patch document of the request's Content-Type to `current`, returning the patched object. */
function applyPatch(core: ServerCore, d: ResourceDescriptor, contentType: string, current: KObject, patch: unknown, dynamic: boolean): unknown {
  switch (contentType) {
    case 'application/json-patch+json':
      return core.patchers.json(current, patch);
    case 'application/merge-patch+json':
      return core.patchers.merge(current, patch);
    case 'application/strategic-merge-patch+json':
      if (dynamic)
        throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
      return core.patchers.strategic(current, patch, d.schema.schema);
    default:
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  }
}

export async function handlePatch(ctx: RequestContext, storage: ResourceStorage, core: ServerCore, subresource = ''): Promise<void> {
  const d = storage.descriptor;
  const contentType = contentTypeOf(ctx.req.headers['content-type']);
  const body = await readBody(ctx.req);
  const patch = parseBody(body, contentType);
  const validation = parseFieldValidation(ctx.query.get('fieldValidation'));
  const opts = writeOptions(ctx, subresource);
  const dynamic = storage.isCustomResource;

  if (contentType === 'application/apply-patch+yaml') {
    if (!ctx.query.get('fieldManager')) throw badRequest('PATCH requests with apply patch type must specify a field manager');
    const force = ctx.query.get('force') === 'true';
    if (!isObject(patch)) throw badRequest('apply patch must be an object');
    const applied = decodeObject(d, cloneJson(patch), validation, ctx.warnings);
    checkNamespace(ctx, d, applied);
    if (applied.metadata.name && applied.metadata.name !== ctx.info.name)
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
    const applyOpts: WriteOptions = { ...opts, managedFieldsComputed: true };
    const apply = (live: KObject | undefined): KObject =>
      core.patchers.apply({
        live, applied: cloneJson(applied), manager: opts.fieldManager!, force, apiVersion: storage.apiVersion,
        time: rfc3339(ctx.now), schema: d.schema.schema, resetFields: storage.resetFields(subresource),
      });
    const { object, created } = await storage.update(ctx.info.namespace, ctx.info.name, (current) => {
      const next = apply(current);
      if (next.metadata.resourceVersion === current.metadata.resourceVersion) delete next.metadata.resourceVersion;
      return next;
    }, applyOpts, subresource ? undefined : async () => {
      const obj = apply(undefined);
      obj.metadata.name = ctx.info.name;
      return storage.create(ctx.info.namespace, obj, applyOpts);
    });
    sendObject(ctx, d, created ? 201 : 200, object);
    return;
  }

  const { object } = await storage.update(ctx.info.namespace, ctx.info.name, (current) => {
    const patched = applyPatch(core, d, contentType, current, patch, dynamic);
    const next = decodeObject(d, patched, validation, ctx.warnings);
    // A resourceVersion in the result is a precondition only if the patch itself set it.
    if (next.metadata.resourceVersion === current.metadata.resourceVersion) delete next.metadata.resourceVersion;
    return next;
  }, opts);
  sendObject(ctx, d, 200, object);
}

async function readDeleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  let opts: Record<string, unknown> = {};
  if (body.length > 0 && body.toString('utf8').trim() !== '') {
    const parsed = parseBody(body, contentTypeOf(ctx.req.headers['content-type']) || 'application/json');
    if (!isObject(parsed)) throw badRequest('DeleteOptions must be an object');
    opts = parsed;
  }
  const q = ctx.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null) opts.gracePeriodSeconds = Number(grace);
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy;
  const orphan = q.get('orphanDependents');
  if (orphan !== null) opts.orphanDependents = orphan === 'true';
  const policyValue = opts.propagationPolicy;
  if (policyValue !== undefined && policyValue !== 'Orphan' && policyValue !== 'Background' && policyValue !== 'Foreground')
    throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${String(policyValue)}": supported values: "Foreground", "Background", "Orphan"`);
  if (policyValue !== undefined && opts.orphanDependents !== undefined)
    throw new ApiError(422, 'Invalid', 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + String(policyValue) + '": orphanDependents and deletionPropagation cannot be both set');
  const g = opts.gracePeriodSeconds;
  if (g !== undefined && (typeof g !== 'number' || !Number.isInteger(g) || g < 0))
    throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: gracePeriodSeconds: Invalid value: ${String(g)}: must be greater than or equal to 0`);
  return opts as DeleteOptions;
}

/** Write options of a delete: `dryRun` may come in the query or in the DeleteOptions body (kubectl sends the body). */
function deleteWriteOptions(ctx: RequestContext, options: DeleteOptions): WriteOptions {
  const w = writeOptions(ctx);
  const bodyDryRun = (options as { dryRun?: unknown }).dryRun;
  if (Array.isArray(bodyDryRun) && bodyDryRun.includes('All')) w.dryRun = true;
  return w;
}

export async function handleDelete(ctx: RequestContext, storage: ResourceStorage): Promise<void> {
  const options = await readDeleteOptions(ctx);
  const result = await storage.delete(ctx.info.namespace, ctx.info.name, options, deleteWriteOptions(ctx, options));
  const d = storage.descriptor;
  if (!result.deleted || storage.returnsDeletedObject) {
    const code = !result.deleted && options.orphanDependents === false ? 202 : 200;
    sendObject(ctx, d, code, result.object);
    return;
  }
  const details: Record<string, string> = { name: ctx.info.name, kind: d.plural };
  if (d.group) details.group = d.group;
  if (result.object.metadata.uid) details.uid = result.object.metadata.uid;
  sendJson(ctx.res, 200, successStatus(details), ctx.warnings);
}

export async function handleDeleteCollection(ctx: RequestContext, storage: ResourceStorage): Promise<void> {
  const d = storage.descriptor;
  const options = await readDeleteOptions(ctx);
  const filter = buildFilter(d, ctx.query.get('labelSelector'), ctx.query.get('fieldSelector'));
  const page = await listObjects(storage, { namespace: ctx.info.namespace, filter });
  const deleted: KObject[] = [];
  for (const e of page.entries) {
    const obj = storage.codec.fromStored(e.value);
    try {
      const r = await storage.delete(obj.metadata.namespace ?? '', obj.metadata.name!, options, deleteWriteOptions(ctx, options));
      deleted.push(r.object);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) continue;
      throw err;
    }
  }
  sendJson(ctx.res, 200, { kind: `${d.kind}List`, apiVersion: storage.apiVersion, metadata: { resourceVersion: String(storage.store.revision()) }, items: deleted }, ctx.warnings);
}
