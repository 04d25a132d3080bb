/**
 * Encodes a Swagger 2.0 JSON document as gnostic's `openapi.v2.Document` protobuf (openapiv2/OpenAPIv2.proto),
 * the only form kubectl asks `/openapi/v2` for (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`)
 * and then `proto.Unmarshal`s.
 *
 * Contract: the input is the exact JSON we serve for `application/json`, so both representations agree.
 * Proto3 rules apply: empty strings, false and 0 are not written; repeated strings are written element by
 * element. A sub-message that is present in the JSON is always written, even when empty, because Go readers
 * test for presence (kube-openapi treats `properties: {}` as an object kind, an absent one as a map).
 * Every `x-...` key becomes a NamedAny whose Any.yaml is the value as JSON (a subset of YAML, which is how
 * kubectl's yaml.v2 reads it back, e.g. x-kubernetes-group-version-kind as a list of maps).
 */
import protobuf from 'protobufjs/minimal.js';

const { Writer } = protobuf;
type W = protobuf.Writer;
type Obj = Record<string, unknown>;

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(w: W, n: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.uint32((n << 3) | LEN).string(v);
}
function strs(w: W, n: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.uint32((n << 3) | LEN).string(s);
}
function bool(w: W, n: number, v: unknown): void {
  if (v === true) w.uint32((n << 3) | VARINT).bool(true);
}
function dbl(w: W, n: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((n << 3) | FIXED64).double(v);
}
function i64(w: W, n: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((n << 3) | VARINT).int64(v);
}
/** A length-delimited sub-message, always written (presence matters to Go readers). */
function sub(w: W, n: number, body: (w: W) => void): void {
  w.uint32((n << 3) | LEN).fork();
  body(w);
  w.ldelim();
}

/** Any { google.protobuf.Any value = 1; string yaml = 2; } */
function any(w: W, n: number, v: unknown): void {
  if (v === undefined) return;
  sub(w, n, (a) => str(a, 2, JSON.stringify(v)));
}
function anys(w: W, n: number, v: unknown): void {
  if (Array.isArray(v)) for (const x of v) any(w, n, x);
}
/** repeated NamedAny vendor_extension = n: every `x-` key of `o`. */
function vendor(w: W, n: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-') || v === undefined) continue;
    sub(w, n, (na) => {
      str(na, 1, k);
      any(na, 2, v);
    });
  }
}
/** repeated Named<T> entries of a JSON map: { string name = 1; T value = 2; } */
function named(w: W, n: number, map: unknown, value: (w: W, v: Obj) => void): void {
  if (!isObj(map)) return;
  for (const [k, v] of Object.entries(map)) {
    if (!isObj(v)) continue;
    sub(w, n, (e) => {
      str(e, 1, k);
      sub(e, 2, (m) => value(m, v));
    });
  }
}

export function schema(w: W, s: Obj): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  any(w, 5, s.default);
  dbl(w, 6, s.multipleOf);
  dbl(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  dbl(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  i64(w, 11, s.maxLength);
  i64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  i64(w, 14, s.maxItems);
  i64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  i64(w, 17, s.maxProperties);
  i64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  anys(w, 20, s.enum);
  // AdditionalPropertiesItem { oneof { Schema schema = 1; bool boolean = 2; } }
  const ap = s.additionalProperties;
  if (isObj(ap)) sub(w, 21, (a) => sub(a, 1, (x) => schema(x, ap)));
  else if (typeof ap === 'boolean') sub(w, 21, (a) => a.uint32((2 << 3) | VARINT).bool(ap));
  // TypeItem { repeated string value = 1; }
  if (s.type !== undefined) sub(w, 22, (t) => strs(t, 1, Array.isArray(s.type) ? s.type : [s.type]));
  // ItemsItem { repeated Schema schema = 1; }
  const items = s.items;
  if (isObj(items)) sub(w, 23, (i) => sub(i, 1, (x) => schema(x, items)));
  else if (Array.isArray(items)) sub(w, 23, (i) => { for (const it of items) if (isObj(it)) sub(i, 1, (x) => schema(x, it)); });
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) sub(w, 24, (x) => schema(x, a));
  // Properties { repeated NamedSchema additional_properties = 1; }
  if (isObj(s.properties)) sub(w, 25, (p) => named(p, 1, s.properties, schema));
  str(w, 26, s.discriminator);
  bool(w, 27, s.readOnly);
  any(w, 30, s.example);
  vendor(w, 31, s);
}

/** ParametersItem { oneof { Parameter parameter = 1; JsonReference json_reference = 2; } } */
function parametersItem(w: W, p: Obj): void {
  if (typeof p.$ref === 'string') {
    sub(w, 2, (r) => {
      str(r, 1, p.$ref);
      str(r, 2, p.description);
    });
    return;
  }
  // Parameter { oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
  sub(w, 1, (param) => {
    if (p.in === 'body') {
      sub(param, 1, (b) => {
        str(b, 1, p.description);
        str(b, 2, p.name);
        str(b, 3, p.in);
        bool(b, 4, p.required);
        if (isObj(p.schema)) sub(b, 5, (x) => schema(x, p.schema as Obj));
        vendor(b, 6, p);
      });
      return;
    }
    // NonBodyParameter { header = 1; formData = 2; query = 3; path = 4 } (sub-schemas share their first fields)
    const which = p.in === 'header' ? 1 : p.in === 'formData' ? 2 : p.in === 'path' ? 4 : 3;
    sub(param, 2, (nb) => sub(nb, which, (q) => {
      bool(q, 1, p.required);
      str(q, 2, p.in);
      str(q, 3, p.description);
      str(q, 4, p.name);
      // Query and formData have allow_empty_value = 5, shifting the rest by one.
      const o = which === 2 || which === 3 ? 1 : 0;
      bool(q, 4 + o, o ? p.allowEmptyValue : undefined);
      str(q, 5 + o, p.type);
      str(q, 6 + o, p.format);
      str(q, 8 + o, p.collectionFormat);
      any(q, 9 + o, p.default);
      bool(q, 19 + o, p.uniqueItems);
      anys(q, 20 + o, p.enum);
      vendor(q, 22 + o, p);
    }));
  });
}

/** Operation (PathItem get/put/post/delete/options/head/patch). */
function operation(w: W, op: Obj): void {
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isObj(p)) sub(w, 8, (x) => parametersItem(x, p));
  // Responses { repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2; }
  if (isObj(op.responses)) {
    const responses = op.responses;
    sub(w, 9, (rs) => {
      // ResponseValue { oneof { Response response = 1; JsonReference json_reference = 2; } }
      named(rs, 1, responses, (rv, r) => sub(rv, 1, (resp) => {
        str(resp, 1, r.description);
        // SchemaItem { oneof { Schema schema = 1; FileSchema file_schema = 2; } }
        if (isObj(r.schema)) sub(resp, 2, (si) => sub(si, 1, (x) => schema(x, r.schema as Obj)));
        vendor(resp, 5, r);
      }));
      vendor(rs, 2, responses);
    });
  }
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  vendor(w, 13, op);
}

const METHOD_FIELDS: ReadonlyArray<[string, number]> = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

function pathItem(w: W, item: Obj): void {
  str(w, 1, item.$ref);
  for (const [method, n] of METHOD_FIELDS) {
    const op = item[method];
    if (isObj(op)) sub(w, n, (x) => operation(x, op));
  }
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isObj(p)) sub(w, 9, (x) => parametersItem(x, p));
  vendor(w, 10, item);
}

/** The whole Swagger 2.0 document as an `openapi.v2.Document` message. */
export function encodeGnosticDocument(doc: Obj): Uint8Array {
  const w = Writer.create();
  str(w, 1, doc.swagger);
  if (isObj(doc.info)) {
    const info = doc.info;
    sub(w, 2, (i) => {
      str(i, 1, info.title);
      str(i, 2, info.version);
      str(i, 3, info.description);
      vendor(i, 7, info);
    });
  }
  str(w, 3, doc.host);
  str(w, 4, doc.basePath);
  strs(w, 5, doc.schemes);
  strs(w, 6, doc.consumes);
  strs(w, 7, doc.produces);
  // Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
  if (isObj(doc.paths)) {
    const paths = doc.paths;
    sub(w, 8, (p) => {
      vendor(p, 1, paths);
      named(p, 2, Object.fromEntries(Object.entries(paths).filter(([k]) => !k.startsWith('x-'))), pathItem);
    });
  }
  // Definitions { repeated NamedSchema additional_properties = 1; }
  if (isObj(doc.definitions)) sub(w, 9, (d) => named(d, 1, doc.definitions, schema));
  vendor(w, 16, doc);
  return w.finish();
}
