/**
 * OpenAPI v3, generated from the descriptors: `/openapi/v3` lists one document per group-version, each with
 * its REST paths (PATCH operations carry x-kubernetes-group-version-kind and the fieldValidation parameter,
 * which is how kubectl decides to let the server validate) and components.schemas with descriptions (what
 * `kubectl explain` reads).
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceDescriptor } from '../../api/resource.js';
import { Status } from '../../api/meta/schemas.js';
import { listDefinition, parameters } from './openapi-common.js';
import { verbsOf } from '../discovery/discovery-documents.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import { SchemaEmitter } from './schema-emitter.js';

export interface OpenApiDocument {
  json: string;
  hash: string;
}

const P = parameters((name, p) => ({
  name, in: p.in, description: p.description, ...(p.in === 'path' ? { required: true } : {}), schema: { type: p.type, uniqueItems: true },
}));

function json(ref: string) {
  return { content: { 'application/json': { schema: { $ref: ref } } } };
}

function operations(d: ResourceDescriptor, emitter: SchemaEmitter): Record<string, Record<string, unknown>> {
  const verbs = new Set(verbsOf(d));
  const prefix = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const objRef = emitter.define(d.schema);
  const statusRef = emitter.define(Status);
  const op = (action: string, description: string, params: unknown[], responses: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    description, operationId: `${action}${d.kind}`, parameters: params, responses,
    'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, ...extra,
  });
  const scope = d.namespaced ? [P.namespace] : [];
  const collection = d.namespaced ? `${prefix}/namespaces/{namespace}/${d.plural}` : `${prefix}/${d.plural}`;
  const item = `${collection}/{name}`;
  const paths: Record<string, Record<string, unknown>> = {};
  const col: Record<string, unknown> = {};
  const it: Record<string, unknown> = {};

  if (verbs.has('list')) {
    const listRef = emitter.define(listDefinition(d, true));
    col.get = op('list', `list or watch objects of kind ${d.kind}`, [...scope, P.labelSelector, P.fieldSelector, P.limit, P.continue, P.resourceVersion, P.watch], { '200': { description: 'OK', ...json(listRef) } });
    if (d.namespaced) paths[`${prefix}/${d.plural}`] = { get: op('list', `list objects of kind ${d.kind} in all namespaces`, [P.labelSelector, P.fieldSelector, P.limit, P.continue], { '200': { description: 'OK', ...json(listRef) } }) };
  }
  if (verbs.has('create'))
    col.post = op('post', `create a ${d.kind}`, [...scope, P.dryRun, P.fieldManager, P.fieldValidation], { '201': { description: 'Created', ...json(objRef) } }, { requestBody: { required: true, ...json(objRef) } });
  if (verbs.has('deletecollection'))
    col.delete = op('deletecollection', `delete a collection of ${d.kind}`, [...scope, P.labelSelector, P.fieldSelector, P.dryRun], { '200': { description: 'OK', ...json(statusRef) } });
  if (verbs.has('get')) it.get = op('get', `read the specified ${d.kind}`, [...scope, P.name], { '200': { description: 'OK', ...json(objRef) } });
  if (verbs.has('update'))
    it.put = op('put', `replace the specified ${d.kind}`, [...scope, P.name, P.dryRun, P.fieldManager, P.fieldValidation], { '200': { description: 'OK', ...json(objRef) } }, { requestBody: { required: true, ...json(objRef) } });
  if (verbs.has('patch'))
    it.patch = op('patch', `partially update the specified ${d.kind}`, [...scope, P.name, P.dryRun, P.fieldManager, P.fieldValidation, P.force], { '200': { description: 'OK', ...json(objRef) } }, {
      requestBody: {
        required: true,
        content: Object.fromEntries(
          ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']
            .map((t) => [t, { schema: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } }]),
        ),
      },
    });
  if (verbs.has('delete')) it.delete = op('delete', `delete a ${d.kind}`, [...scope, P.name, P.dryRun], { '200': { description: 'OK', ...json(objRef) } });
  if (Object.keys(col).length) paths[collection] = col;
  if (Object.keys(it).length) paths[item] = it;
  for (const sub of ['status', 'scale'] as const) {
    if (!d.subresources?.[sub]) continue;
    paths[`${item}/${sub}`] = {
      get: op('get', `read ${sub} of the specified ${d.kind}`, [...scope, P.name], { '200': { description: 'OK' } }),
      put: op('put', `replace ${sub} of the specified ${d.kind}`, [...scope, P.name, P.dryRun, P.fieldManager, P.fieldValidation], { '200': { description: 'OK' } }),
      patch: op('patch', `partially update ${sub} of the specified ${d.kind}`, [...scope, P.name, P.dryRun, P.fieldManager, P.fieldValidation, P.force], { '200': { description: 'OK' } }),
    };
  }
  return paths;
}

export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function buildDocument(registry: ResourceRegistry, group: string, version: string): string {
  const emitter = new SchemaEmitter();
  emitter.components.set('io.k8s.apimachinery.pkg.apis.meta.v1.Patch', {
    description: 'The body of a PATCH request: a JSON patch, merge patch, strategic merge patch or apply configuration.',
    type: 'object',
  });
  const paths: Record<string, unknown> = {};
  for (const d of registry.resourcesOf(group, version)) {
    if (d.hidden) {
      emitter.define(d.schema);
      continue;
    }
    Object.assign(paths, operations(d, emitter));
  }
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: emitter.sortedComponents() },
  };
  return JSON.stringify(doc);
}

/** Caches generated documents until the registry changes (CRDs added or removed). */
export class OpenApiV3 {
  private cacheVersion = -1;
  private docs = new Map<string, OpenApiDocument>();

  constructor(private readonly registry: ResourceRegistry) {}

  private refresh(): void {
    if (this.cacheVersion === this.registry.version) return;
    this.docs.clear();
    this.cacheVersion = this.registry.version;
  }

  /** The handler3 discovery document: `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}`. */
  index(): unknown {
    this.refresh();
    const paths: Record<string, unknown> = {};
    for (const g of this.registry.groups())
      for (const v of g.versions) {
        const key = groupVersionPath(g.name, v);
        paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${this.document(g.name, v)!.hash}` };
      }
    return { paths };
  }

  /** The document for `api/v1` or `apis/<g>/<v>`, or undefined. */
  documentForPath(path: string): OpenApiDocument | undefined {
    const parts = path.split('/');
    if (parts[0] === 'api' && parts.length === 2) return this.document('', parts[1]!);
    if (parts[0] === 'apis' && parts.length === 3) return this.document(parts[1]!, parts[2]!);
    return undefined;
  }

  private document(group: string, version: string): OpenApiDocument | undefined {
    this.refresh();
    const key = `${group}/${version}`;
    const cached = this.docs.get(key);
    if (cached) return cached;
    if (this.registry.resourcesOf(group, version).length === 0) return undefined;
    const json = buildDocument(this.registry, group, version);
    const doc = { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
    this.docs.set(key, doc);
    return doc;
  }
}

export { apiVersionOf };
