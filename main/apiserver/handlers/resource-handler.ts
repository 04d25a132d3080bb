/**
 * Entry point for every `/api/...` and `/apis/...` resource request: finds the descriptor, authorizes, and
 * dispatches by verb and subresource.
 */
import type { ResourceDescriptor } from '../../api/resource.js';
import { forbiddenReason } from '../authz/authorizer.js';
import { verbsOf } from '../discovery/discovery-documents.js';
import { ApiError, forbidden, methodNotSupported, pathNotFound } from '../http/api-error.js';
import { sendObject, handleGet, handleList } from './read-handlers.js';
import type { RequestContext } from './request-context.js';
import type { ServerCore } from './server-core.js';
import { handleScale } from './subresources/scale.js';
import {
  handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate, readObjectBody,
} from './write-handlers.js';

export function authorize(ctx: RequestContext, core: ServerCore): void {
  const i = ctx.info;
  const attrs = {
    user: ctx.user, verb: i.verb, resourceRequest: true, namespace: i.namespace, apiGroup: i.group, apiVersion: i.version,
    resource: i.resource, subresource: i.subresource, name: i.name, path: i.path,
  };
  const decision = core.authorizer.authorize(attrs);
  if (!decision.allowed) throw forbidden({ group: i.group, resource: i.resource }, i.name, forbiddenReason(attrs));
}

/**
 * Upstream registers no route for a verb the storage does not implement, so go-restful answers 405 with the
 * generic message; only `?watch=true` on a listable resource reaches the handler and gets NewMethodNotSupported.
 */
const methodNotAllowed = () => new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');

function ensureVerb(d: ResourceDescriptor, verb: string): void {
  const verbs = verbsOf(d);
  if (!verbs.includes(verb)) {
    if (verb === 'watch' && verbs.includes('list')) throw methodNotSupported({ group: d.group, resource: d.plural }, 'watch');
    throw methodNotAllowed();
  }
}

export async function handleResourceRequest(ctx: RequestContext, core: ServerCore): Promise<void> {
  const i = ctx.info;
  const d = core.registry.find(i.group, i.version, i.resource);
  if (!d) throw pathNotFound();
  if (!d.namespaced && i.namespace && i.resource !== 'namespaces') throw pathNotFound();
  if (i.resource === 'namespaces') {
    // parseRequestInfo sets namespace = name for namespace objects.
    ctx.info = { ...i, namespace: '' };
  }
  authorize(ctx, core);
  if (ctx.info.subresource) return handleSubresource(ctx, d, core);

  if (d.deprecationWarning) ctx.warnings.push(d.deprecationWarning);
  const verb = ctx.info.verb;
  if (d.virtual) {
    if (verb !== 'create') throw methodNotAllowed();
    const handler = core.virtual.get(`${d.group}/${d.plural}`);
    if (!handler) throw pathNotFound();
    const body = await readObjectBody(ctx, d);
    const result = await handler(ctx, d, body, core);
    sendObject(ctx, d, 201, result);
    return;
  }
  ensureVerb(d, verb === 'watch' ? 'watch' : verb);
  const storage = core.storageFor(d);
  switch (verb) {
    case 'get':
      return handleGet(ctx, storage);
    case 'list':
    case 'watch':
      return handleList(ctx, storage, core);
    case 'create':
      if (ctx.info.name) throw methodNotAllowed();
      return handleCreate(ctx, storage);
    case 'update':
      return handleUpdate(ctx, storage);
    case 'patch':
      return handlePatch(ctx, storage, core);
    case 'delete':
      return handleDelete(ctx, storage);
    case 'deletecollection':
      return handleDeleteCollection(ctx, storage);
    default:
      throw methodNotAllowed();
  }
}

async function handleSubresource(ctx: RequestContext, d: ResourceDescriptor, core: ServerCore): Promise<void> {
  const sub = ctx.info.subresource;
  const storage = core.storageFor(d);
  const verb = ctx.info.verb;
  if (sub === 'status' && d.subresources?.status) {
    if (verb === 'get') return handleGet(ctx, storage);
    if (verb === 'update') return handleUpdate(ctx, storage, 'status');
    if (verb === 'patch') return handlePatch(ctx, storage, core, 'status');
    throw methodNotAllowed();
  }
  if (sub === 'scale' && d.subresources?.scale) {
    if (verb === 'get' || verb === 'update' || verb === 'patch') return handleScale(ctx, storage, core);
    throw methodNotAllowed();
  }
  const handler = core.subresources.get(`${d.group}/${d.plural}/${sub}`);
  if (handler) return handler(ctx, d, core);
  throw pathNotFound();
}
