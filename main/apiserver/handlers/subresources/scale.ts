/**
 * The `scale` subresource (autoscaling/v1 Scale) over any descriptor with a ScaleAccess: GET reads replicas and
 * the selector; PUT and PATCH change spec.replicas of the parent (a Scale's resourceVersion is the parent's,
 * so `kubectl scale --resource-version` / `--current-replicas` preconditions work).
 */
import { invalid as fieldInvalid } from '../../../api/meta/field-errors.js';
import { cloneJson, isObject, type KObject } from '../../../api/meta/object.js';
import type { ResourceDescriptor, ScaleAccess } from '../../../api/resource.js';
import { parseBody } from '../../decode/body-parser.js';
import { badRequest, conflict, invalid, notFound, OBJECT_MODIFIED } from '../../http/api-error.js';
import { contentTypeOf } from '../../http/negotiation.js';
import { readBody } from '../../http/request-body.js';
import { sendJson } from '../../http/respond.js';
import type { ResourceStorage } from '../../registry/resource-storage.js';
import type { RequestContext } from '../request-context.js';
import type { ServerCore } from '../server-core.js';
import { writeOptions } from '../write-handlers.js';

export interface Scale extends KObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

export function toScale(obj: KObject, access: ScaleAccess): Scale {
  const m = obj.metadata;
  const status: Scale['status'] = { replicas: access.statusReplicas(obj) };
  const selector = access.selector(obj);
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: access.specReplicas(obj) },
    status,
  };
}

function validateReplicas(d: ResourceDescriptor, name: string, replicas: unknown): number {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas))
    throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  if (replicas < 0)
    throw invalid('autoscaling', 'Scale', name, [fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
  void d;
  return replicas;
}

export async function handleScale(ctx: RequestContext, storage: ResourceStorage, core: ServerCore): Promise<void> {
  const d = storage.descriptor;
  const access = d.subresources?.scale;
  if (!access) throw notFound(storage.gr, ctx.info.name);
  const { namespace, name } = ctx.info;

  if (ctx.info.verb === 'get') {
    sendJson(ctx.res, 200, toScale(await storage.get(namespace, name), access), ctx.warnings);
    return;
  }
  const contentType = contentTypeOf(ctx.req.headers['content-type']);
  const body = parseBody(await readBody(ctx.req), ctx.info.verb === 'update' ? contentType || 'application/json' : contentType);
  const { object } = await storage.update(namespace, name, (current) => {
    const scale = toScale(current, access);
    let desired: unknown;
    if (ctx.info.verb === 'update') {
      if (!isObject(body)) throw badRequest('Scale must be an object');
      desired = body;
    } else {
      desired = contentType === 'application/json-patch+json'
        ? core.patchers.json(cloneJson(scale), body)
        : core.patchers.merge(cloneJson(scale), body);
    }
    const want = desired as Partial<Scale>;
    const rv = want.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(storage.gr, name, OBJECT_MODIFIED);
    const replicas = validateReplicas(d, name, want.spec?.replicas ?? 0);
    const next = cloneJson(current);
    access.setSpecReplicas(next, replicas);
    delete next.metadata.resourceVersion;
    return next;
  }, writeOptions(ctx, 'scale'));
  sendJson(ctx.res, 200, toScale(object, access), ctx.warnings);
}
