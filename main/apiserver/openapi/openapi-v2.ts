/**
 * OpenAPI v2 (Swagger 2.0), generated from the same descriptors and Schema trees as OpenAPI v3: one document
 * for the whole server with every resource's definitions (`#/definitions/<name>`, the resource kinds carrying
 * x-kubernetes-group-version-kind) and its REST paths (operations carry x-kubernetes-action and
 * x-kubernetes-group-version-kind; PATCH/PUT/POST list the fieldValidation query parameter).
 *
 * Why it exists: kubectl validates what the server-side fieldValidation check does not cover (a `kind: List`
 * file, for one) on the client, with the models it builds from `GET /openapi/v2`, which it requests only as
 * gnostic protobuf. `application/json` is served too (browsers, curl, tools).
 */
import { pathNotFound } from '../http/api-error.js';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDescriptor } from '../../api/resource.js';
import { Status } from '../../api/meta/schemas.js';
import { listDefinition, parameters } from './openapi-common.js';
import type { Definition } from '../../api/schema/schema.js';
import { verbsOf } from '../discovery/discovery-documents.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { encodeGnosticDocument } from './openapi-v2-gnostic.js';
import { SwaggerSchemaEmitter } from './openapi-v2-schema.js';

/** The media type kubectl's discovery client asks for. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What upstream answers with: Go's mime parser rejects the '@' spelling in a Content-Type, so not the same. */
export const OPENAPI_V2_PROTOBUF_RESPONSE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const P = parameters((name, p) => ({
  name, in: p.in, description: p.description, ...(p.in === 'path' ? { required: true } : {}), type: p.type, uniqueItems: true,
}));

const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/** Emits the resource's own definition, adding its GVK when the schema does not carry one (kubectl maps GVK → model through it). */
function defineKind(d: ResourceDescriptor, emitter: SwaggerSchemaEmitter): string {
  const ref = emitter.define(d.schema);
  const def = emitter.definitions.get(d.schema.name)!;
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const list = (def['x-kubernetes-group-version-kind'] as typeof gvk[] | undefined) ?? [];
  if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind))
    def['x-kubernetes-group-version-kind'] = [...list, gvk];
  return ref;
}

function operations(d: ResourceDescriptor, emitter: SwaggerSchemaEmitter): Record<string, Record<string, unknown>> {
  const verbs = new Set(verbsOf(d));
  const prefix = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const obj = { $ref: defineKind(d, emitter) };
  const status = { $ref: emitter.define(Status) };
  const body = { name: 'body', in: 'body', required: true, schema: obj };
  const op = (action: string, description: string, params: unknown[], responses: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    description, consumes: ['*/*'], produces: PRODUCES, operationId: `${action}${d.kind}`, parameters: params, responses,
    ...extra, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk,
  });
  const ok = (schema?: unknown, code = '200') => ({ [code]: schema ? { description: 'OK', schema } : { description: 'OK' }, '401': { description: 'Unauthorized' } });
  const scope = d.namespaced ? [P.namespace] : [];
  const collection = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.plural}` : `${prefix}/${d.plural}`;
  const item = `${collection}/{name}`;
  const paths: Record<string, Record<string, unknown>> = {};
  const col: Record<string, unknown> = {};
  const it: Record<string, unknown> = {};

  if (verbs.has('list')) {
    const list = { $ref: emitter.define(listDefinition(d, false)) };
    col.get = op('list', `list or watch objects of kind ${d.kind}`, [...scope, P.labelSelector, P.fieldSelector, P.limit, P.continue, P.resourceVersion, P.watch], ok(list));
    if (d.namespaced) paths[`${prefix}/${d.plural}`] = { get: op('list', `list objects of kind ${d.kind} in all namespaces`, [P.labelSelector, P.fieldSelector, P.limit, P.continue], ok(list)) };
  }
  if (verbs.has('create')) col.post = op('post', `create a ${d.kind}`, [...scope, body, P.dryRun, P.fieldManager, P.fieldValidation], ok(obj, '201'));
  if (verbs.has('deletecollection')) col.delete = op('deletecollection', `delete a collection of ${d.kind}`, [...scope, P.labelSelector, P.fieldSelector, P.dryRun], ok(status));
  if (verbs.has('get')) it.get = op('get', `read the specified ${d.kind}`, [...scope, P.name], ok(obj));
  if (verbs.has('update')) it.put = op('put', `replace the specified ${d.kind}`, [...scope, P.name, body, P.dryRun, P.fieldManager, P.fieldValidation], ok(obj));
  if (verbs.has('patch')) {
    const patchBody = { name: 'body', in: 'body', required: true, schema: { $ref: emitter.define(PATCH) } };
    it.patch = op('patch', `partially update the specified ${d.kind}`, [...scope, P.name, patchBody, P.dryRun, P.fieldManager, P.fieldValidation, P.force], ok(obj), { consumes: PATCH_TYPES });
  }
  if (verbs.has('delete')) it.delete = op('delete', `delete a ${d.kind}`, [...scope, P.name, P.dryRun], ok(obj));
  if (Object.keys(col).length) paths[collection] = col;
  if (Object.keys(it).length) paths[item] = it;
  for (const sub of ['status', 'scale'] as const) {
    if (!d.subresources?.[sub]) continue;
    paths[`${item}/${sub}`] = {
      get: op('get', `read ${sub} of the specified ${d.kind}`, [...scope, P.name], ok()),
      put: op('put', `replace ${sub} of the specified ${d.kind}`, [...scope, P.name, P.dryRun, P.fieldManager, P.fieldValidation], ok()),
      patch: op('patch', `partially update ${sub} of the specified ${d.kind}`, [...scope, P.name, P.dryRun, P.fieldManager, P.fieldValidation, P.force], ok(), { consumes: PATCH_TYPES }),
    };
  }
  return paths;
}

const PATCH: Definition = {
  name: 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
  schema: { description: 'The body of a PATCH request: a JSON patch, merge patch, strategic merge patch or apply configuration.', type: 'object' },
};

/** The Swagger 2.0 document for everything the registry serves, as a plain JSON value. */
export function buildSwaggerDocument(registry: ResourceRegistry): Record<string, unknown> {
  const emitter = new SwaggerSchemaEmitter();
  const paths: Record<string, unknown> = {};
  for (const g of registry.groups())
    for (const v of g.versions)
      for (const d of registry.resourcesOf(g.name, v)) {
        if (d.hidden) defineKind(d, emitter);
        else Object.assign(paths, operations(d, emitter));
      }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    definitions: emitter.sortedDefinitions(),
  };
}

export interface EncodedSpec {
  body: Buffer;
  etag: string;
}

const etagOf = (b: Buffer) => `"${createHash('sha512').update(b).digest('hex').toUpperCase()}"`;

/** Caches the JSON and protobuf encodings until the registry changes (CRDs added or removed). */
export class OpenApiV2 {
  private cacheVersion = -1;
  private json: EncodedSpec | undefined;
  private proto: EncodedSpec | undefined;
  private doc: Record<string, unknown> | undefined;

  constructor(private readonly registry: ResourceRegistry) {}

  private document(): Record<string, unknown> {
    if (this.cacheVersion !== this.registry.version) {
      this.cacheVersion = this.registry.version;
      this.doc = this.json = this.proto = undefined;
    }
    return (this.doc ??= buildSwaggerDocument(this.registry));
  }

  jsonSpec(): EncodedSpec {
    const doc = this.document();
    if (!this.json) {
      const body = Buffer.from(JSON.stringify(doc));
      this.json = { body, etag: etagOf(body) };
    }
    return this.json;
  }

  protobufSpec(): EncodedSpec {
    const doc = this.document();
    if (!this.proto) {
      const encoded = encodeGnosticDocument(doc);
      const body = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
      this.proto = { body, etag: etagOf(body) };
    }
    return this.proto;
  }
}

const instances = new WeakMap<ResourceRegistry, OpenApiV2>();

/** The (cached) OpenApiV2 of a registry, so the HTTP layer needs no extra wiring. */
export function openApiV2For(registry: ResourceRegistry): OpenApiV2 {
  let o = instances.get(registry);
  if (!o) instances.set(registry, (o = new OpenApiV2(registry)));
  return o;
}

/** True when the Accept header asks for gnostic protobuf (either spelling upstream accepts). */
export function wantsProtobuf(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const t = part.split(';')[0]!.trim().toLowerCase();
    return t === OPENAPI_V2_PROTOBUF || t === OPENAPI_V2_PROTOBUF_RESPONSE;
  });
}

/** Answers `GET /openapi/v2`: protobuf when asked for, JSON otherwise; ETag + If-None-Match → 304. */
/**
 * OpenAPI v2 exists for one client: kubectl's client-side validation of `kind: List` files, which asks for the
 * gnostic protobuf encoding. Everyone else is pointed at OpenAPI v3 — a request that does not ask for protobuf gets
 * 404, as the project's API contract states for /openapi/v2.
 */
export function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, registry: ResourceRegistry): void {
  if (!wantsProtobuf(req.headers.accept)) throw pathNotFound();
  const spec = openApiV2For(registry).protobufSpec();
  const headers: Record<string, string> = {
    'Content-Type': OPENAPI_V2_PROTOBUF_RESPONSE,
    ETag: spec.etag,
    'Cache-Control': 'no-cache, private',
    Vary: 'Accept',
  };
  if (req.headers['if-none-match'] === spec.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['Content-Length'] = String(spec.body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : spec.body);
}
