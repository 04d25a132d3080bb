import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { builtinResources } from '../../../../main/api/registry.js';
import { crdDescriptorFor } from '../../../../main/api/apiextensions.k8s.io/v1/custom-resource-descriptor.js';
import type { CustomResourceDefinition } from '../../../../main/api/apiextensions.k8s.io/v1/custom-resource-definition.js';
import {
  buildSwaggerDocument, OpenApiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE, wantsProtobuf,
} from '../../../../main/apiserver/openapi/openapi-v2.js';
import { ResourceRegistry } from '../../../../main/apiserver/registry/resource-registry.js';
import { call, newApiServer } from '../../../helpers/apiserver-unit.js';

/**
 * The part of gnostic's openapiv2/OpenAPIv2.proto these tests read back, transcribed independently of the
 * encoder (field numbers as upstream).
 */
const GNOSTIC = `
syntax = "proto3";
package openapi.v2;
message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
message Info { string title = 1; string version = 2; }
message Document { string swagger = 1; Info info = 2; Paths paths = 8; Definitions definitions = 9; }
message Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem { Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5; Operation patch = 8; }
message Operation { string description = 3; string operation_id = 5; repeated string produces = 6; repeated string consumes = 7;
  repeated ParametersItem parameters = 8; Responses responses = 9; repeated NamedAny vendor_extension = 13; }
message ParametersItem { oneof oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
message JsonReference { string _ref = 1; }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message BodyParameter { string name = 2; string in = 3; bool required = 4; Schema schema = 5; }
message NonBodyParameter { oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; } }
message QueryParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 6; bool unique_items = 20; }
message PathParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; }
message Responses { repeated NamedResponseValue response_code = 1; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue { oneof oneof { Response response = 1; } }
message Response { string description = 1; SchemaItem schema = 2; }
message SchemaItem { oneof oneof { Schema schema = 1; } }
message Definitions { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Schema { string _ref = 1; string format = 2; string description = 4; Any default = 5; double maximum = 7; double minimum = 9;
  repeated string required = 19; repeated Any enum = 20; AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22;
  ItemsItem items = 23; Properties properties = 25; repeated NamedAny vendor_extension = 31; }
`;
const Document = protobuf.parse(GNOSTIC, { keepCase: true }).root.lookupType('openapi.v2.Document');

type PSchema = Record<string, any>;
const decode = (o: OpenApiV2): any => Document.toObject(Document.decode(o.protobufSpec().body), { defaults: false, arrays: true, oneofs: false });
const ext = (s: { vendor_extension?: { name: string; value: { yaml: string } }[] }, name: string) => {
  const e = s.vendor_extension?.find((x) => x.name === name);
  return e ? JSON.parse(e.value.yaml) : undefined;
};
const named = <T>(list: { name: string; value: T }[] | undefined, name: string) => list?.find((x) => x.name === name)?.value;

/**
 * kube-openapi pkg/util/proto ParseSchema, the rules kubectl applies to every definition (one failure and
 * kubectl cannot validate anything): returns the error, or undefined.
 */
function parseError(s: PSchema, defs: Set<string>, path: string): string | undefined {
  const types: string[] = s.type?.value ?? [];
  const props: { name: string; value: PSchema }[] | undefined = s.properties?.additional_properties ?? (s.properties ? [] : undefined);
  if (s._ref) {
    if (props?.length) return `${path}: unallowed embedded type definition`;
    if (types.length) return `${path}: definition reference can't have a type`;
    if (!s._ref.startsWith('#/definitions/')) return `${path}: unallowed reference to non-definition ${s._ref}`;
    if (!defs.has(s._ref.slice('#/definitions/'.length))) return `${path}: unknown model in reference: ${s._ref}`;
    return undefined;
  }
  if (types.length > 1) return `${path}: definitions with multiple types aren't supported`;
  const kind = () => {
    for (const p of props ?? []) {
      const e = parseError(p.value, defs, `${path}.${p.name}`);
      if (e) return e;
    }
    return undefined;
  };
  if (types.length === 0) return props ? kind() : undefined;
  switch (types[0]) {
    case 'object':
      if (props) return kind();
      return s.additional_properties?.schema ? parseError(s.additional_properties.schema, defs, path) : undefined;
    case 'array':
      if (s.items?.schema?.length !== 1) return `${path}: array should have exactly one sub-item`;
      return parseError(s.items.schema[0], defs, path);
    case 'string': case 'number': case 'integer': case 'boolean':
      return undefined;
    default:
      return `${path}: Unknown primitive type: ${types[0]}`;
  }
}

const WIDGETS: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: {
                size: { type: 'string', enum: ['small', 'large'] },
                replicas: { type: 'integer', minimum: 1, maximum: 10 },
                port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
                maybe: { type: 'array', nullable: true, items: { type: 'string' } },
                tags: { type: 'object', additionalProperties: { type: 'string' } },
              },
              required: ['size'],
            },
          },
        },
      },
    }],
  },
} as unknown as CustomResourceDefinition;

function registryWithCrd(): ResourceRegistry {
  const reg = new ResourceRegistry(builtinResources);
  reg.setDynamic('crds', [crdDescriptorFor(WIDGETS, 'v1')]);
  return reg;
}

test('openapi v2: the protobuf is a gnostic Document with the same definitions and paths as the JSON', () => {
  const o = new OpenApiV2(registryWithCrd());
  const json = JSON.parse(o.jsonSpec().body.toString());
  const doc = decode(o);
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.0' });
  assert.deepEqual(doc.definitions.additional_properties.map((d: any) => d.name), Object.keys(json.definitions));
  assert.deepEqual(doc.paths.path.map((p: any) => p.name), Object.keys(json.paths));
  assert.ok(Object.keys(json.definitions).length > 100);
});

test('openapi v2: every definition parses under kube-openapi proto rules (builtins and a CRD)', () => {
  const doc = decode(new OpenApiV2(registryWithCrd()));
  const list: { name: string; value: PSchema }[] = doc.definitions.additional_properties;
  const names = new Set(list.map((d) => d.name));
  for (const d of list) assert.equal(parseError(d.value, names, d.name), undefined);
});

test('openapi v2: kinds carry x-kubernetes-group-version-kind; ConfigMap fields as kubectl sees them', () => {
  const doc = decode(new OpenApiV2(new ResourceRegistry(builtinResources)));
  const defs = doc.definitions.additional_properties;
  const cm: PSchema = named(defs, 'io.k8s.api.core.v1.ConfigMap')!;
  assert.deepEqual(ext(cm, 'x-kubernetes-group-version-kind'), [{ group: '', version: 'v1', kind: 'ConfigMap' }]);
  assert.deepEqual(cm.type.value, ['object']);
  const props = cm.properties.additional_properties;
  for (const f of ['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable']) assert.ok(named(props, f), f);
  const meta: PSchema = named(props, 'metadata')!;
  assert.equal(meta._ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal(meta.type, undefined);
  const data: PSchema = named(props, 'data')!;
  assert.deepEqual(data.type.value, ['object']);
  assert.deepEqual(data.additional_properties.schema.type.value, ['string']);
  const dep: PSchema = named(defs, 'io.k8s.api.apps.v1.Deployment')!;
  assert.deepEqual(ext(dep, 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  assert.deepEqual(ext(named(defs, 'io.k8s.api.apps.v1.DeploymentList')!, 'x-kubernetes-group-version-kind'), [{ group: 'apps', version: 'v1', kind: 'DeploymentList' }]);
  // Strategic-merge metadata survives as vendor extensions.
  const podSpec: PSchema = named(defs, 'io.k8s.api.core.v1.PodSpec')!;
  const containers: PSchema = named(podSpec.properties.additional_properties, 'containers')!;
  assert.equal(ext(containers, 'x-kubernetes-patch-merge-key'), 'name');
  assert.equal(ext(containers, 'x-kubernetes-patch-strategy'), 'merge');
  assert.equal(containers.items.schema.length, 1);
  assert.equal(containers.items.schema[0]._ref, '#/definitions/io.k8s.api.core.v1.Container');
  const ios: PSchema = named(defs, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString')!;
  assert.equal(ios.format, 'int-or-string');
  assert.equal(ext(ios, 'x-kubernetes-int-or-string'), true);
});

test('openapi v2: CRD schemas follow upstream v2 conversion (preserve-unknown-fields and nullable are arbitrary)', () => {
  const json = buildSwaggerDocument(registryWithCrd()) as any;
  const w = json.definitions['com.example.v1.Widget'];
  assert.deepEqual(w['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'Widget' }]);
  assert.equal(w.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  const spec = w.properties.spec;
  assert.deepEqual(spec.required, ['size']);
  assert.deepEqual(spec.properties.size, { type: 'string', enum: ['small', 'large'] });
  assert.equal(spec.properties.replicas.minimum, 1);
  assert.deepEqual(spec.properties.extra, { 'x-kubernetes-preserve-unknown-fields': true });
  assert.deepEqual(spec.properties.maybe, {});
  assert.equal(spec.properties.port.anyOf, undefined);
  assert.equal(spec.properties.port['x-kubernetes-int-or-string'], true);
  assert.ok(json.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch);
});

test('openapi v2: PATCH operations carry the GVK and the fieldValidation query parameter', () => {
  const doc = decode(new OpenApiV2(new ResourceRegistry(builtinResources)));
  const item: any = named(doc.paths.path, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
  const patch = item.patch;
  assert.equal(patch.operation_id, 'patchDeployment');
  assert.deepEqual(ext(patch, 'x-kubernetes-group-version-kind'), { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal(ext(patch, 'x-kubernetes-action'), 'patch');
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  const query = patch.parameters.map((p: any) => p.parameter?.non_body_parameter?.query_parameter_sub_schema).filter(Boolean);
  assert.ok(query.some((q: any) => q.name === 'fieldValidation' && q.in === 'query' && q.type === 'string'));
  const path = patch.parameters.map((p: any) => p.parameter?.non_body_parameter?.path_parameter_sub_schema).filter(Boolean);
  assert.deepEqual(path.map((p: any) => [p.name, p.required]), [['namespace', true], ['name', true]]);
  const body = patch.parameters.find((p: any) => p.parameter?.body_parameter)?.parameter.body_parameter;
  assert.equal(body.in, 'body');
  const get: any = item.get;
  const ok = named<any>(get.responses.response_code, '200')!;
  assert.equal(ok.response.schema.schema._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
  // Cluster-scoped: no namespace parameter.
  const node: any = named(doc.paths.path, '/api/v1/nodes/{name}');
  assert.equal(node.patch.parameters.some((p: any) => p.parameter?.non_body_parameter?.path_parameter_sub_schema?.name === 'namespace'), false);
});

test('openapi v2: encodings are cached until the registry changes', () => {
  const reg = new ResourceRegistry(builtinResources);
  const o = new OpenApiV2(reg);
  const a = o.protobufSpec();
  const j = o.jsonSpec();
  assert.equal(o.protobufSpec(), a);
  assert.equal(o.jsonSpec(), j);
  assert.match(a.etag, /^"[0-9A-F]{128}"$/);
  assert.notEqual(a.etag, j.etag);
  reg.setDynamic('crds', [crdDescriptorFor(WIDGETS, 'v1')]);
  const b = o.protobufSpec();
  assert.notEqual(b, a);
  assert.ok(b.body.length > a.body.length);
  assert.ok(o.jsonSpec().body.includes('com.example.v1.Widget'));
});

test('openapi v2: content negotiation and conditional GET over HTTP', async () => {
  assert.equal(wantsProtobuf(OPENAPI_V2_PROTOBUF), true);
  assert.equal(wantsProtobuf(`${OPENAPI_V2_PROTOBUF_RESPONSE}, application/json`), true);
  assert.equal(wantsProtobuf('application/json, */*'), false);
  assert.equal(wantsProtobuf(undefined), false);
  const server = newApiServer();
  const pb = await call(server, { url: '/openapi/v2?timeout=32s', headers: { Accept: OPENAPI_V2_PROTOBUF } });
  assert.equal(pb.status, 200);
  // Go's mime.ParseMediaType rejects '@', so the response spells the type with a dot, as upstream does.
  assert.equal(pb.headers['content-type'], OPENAPI_V2_PROTOBUF_RESPONSE);
  assert.ok(Number(pb.headers['content-length']) > 100_000);
  const etag = pb.headers['etag'] as string;
  const again = await call(server, { url: '/openapi/v2', headers: { Accept: OPENAPI_V2_PROTOBUF, 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  // Only kubectl's protobuf validation fetch is served; everyone else is pointed at v3 with a 404.
  const js = await call(server, { url: '/openapi/v2', headers: { Accept: 'application/json, */*' } });
  assert.equal(js.status, 404);
  assert.equal(js.body.reason, 'NotFound');
  const missing = await call(server, { url: '/openapi/v2/x' });
  assert.equal(missing.status, 404);
});
