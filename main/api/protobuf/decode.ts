/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies (as sent by kubectl's typed clients) into the
 * JSON object the rest of the server works with.
 *
 * Body layout: the 4-byte magic `k8s\0`, then a runtime.Unknown message whose TypeMeta names the kind and
 * whose `raw` bytes hold the object encoded as its proto message. The object is decoded with the layout
 * tables and normalised so it equals what the Go JSON encoding of the same object would give after the
 * server's usual normalisation:
 *  - non-pointer Go fields at their zero value ("" / 0 / false / empty struct) are dropped (gogo always
 *    writes them, so their presence on the wire means nothing); pointer fields keep explicit zeros;
 *  - empty lists and maps are dropped (protobuf cannot tell nil from empty);
 *  - embedded (inline) Go structs are flattened into their parent;
 *  - Time/MicroTime, Duration, Quantity, IntOrString, bytes, RawExtension use their JSON representations.
 * Unknown field numbers are skipped, so newer clients with extra fields still decode.
 */
import protobuf from 'protobufjs/minimal.js';
import { ProtobufDecodeError } from './errors.js';
import { messageForKind } from './kinds.js';
import { getLayout, type FieldLayout, type MessageLayout, type ScalarKind, type ValueType } from './layout.js';
import { hasMagic, longToNumber, SPECIAL_TYPES } from './special-types.js';

export { ProtobufDecodeError } from './errors.js';

const { Reader } = protobuf;
type ReaderT = protobuf.Reader;

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** Nesting guard against hostile inputs (RawExtension can embed objects inside objects). */
const MAX_DEPTH = 64;

const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';

export interface DecodeOptions {
  /** Called for every field number a layout does not know (they are skipped). Useful for coverage checks. */
  onUnknownField?: (messageName: string, fieldNumber: number) => void;
}

interface Ctx {
  depth: number;
  onUnknownField: ((messageName: string, fieldNumber: number) => void) | undefined;
}

export function decodeKubernetesProtobuf(body: Uint8Array, options: DecodeOptions = {}): DecodedObject {
  return decodeEnvelope(body, { depth: 0, onUnknownField: options.onUnknownField });
}

function decodeEnvelope(body: Uint8Array, ctx: Ctx): DecodedObject {
  if (!hasMagic(body)) {
    throw new ProtobufDecodeError('not a Kubernetes protobuf body: missing the "k8s\\0" magic prefix');
  }
  const unknown = guard('runtime.Unknown envelope', () => readUnknown(body.subarray(4)));
  if (unknown.contentEncoding) {
    throw new ProtobufDecodeError(`unsupported content encoding "${unknown.contentEncoding}" in protobuf envelope`);
  }
  const { apiVersion, kind } = unknown;
  if (!kind) throw new ProtobufDecodeError('protobuf envelope has no kind in its TypeMeta');
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) {
    throw new ProtobufDecodeError(`no protobuf layout for kind "${kind}" in apiVersion "${apiVersion || '(empty)'}"`);
  }
  const layout = getLayout(messageName)!;
  const decoded = guard(`${kind} object`, () => decodeMessage(layout, unknown.raw, deeper(ctx)));
  return { apiVersion, kind, object: { apiVersion, kind, ...decoded } };
}

interface UnknownEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

function readUnknown(bytes: Uint8Array): UnknownEnvelope {
  const out: UnknownEnvelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '' };
  const r = Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const num = tag >>> 3;
    const wt = tag & 7;
    if (wt === 2 && num === 1) {
      const tm = Reader.create(r.bytes());
      while (tm.pos < tm.len) {
        const t = tm.uint32();
        if ((t & 7) === 2 && t >>> 3 === 1) out.apiVersion = tm.string();
        else if ((t & 7) === 2 && t >>> 3 === 2) out.kind = tm.string();
        else tm.skipType(t & 7);
      }
    } else if (wt === 2 && num === 2) out.raw = r.bytes();
    else if (wt === 2 && num === 3) out.contentEncoding = r.string();
    else r.skipType(wt);
  }
  return out;
}

/** Converts protobufjs' range errors (reading past the end) into a readable decode error. */
function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new ProtobufDecodeError(`malformed or truncated protobuf in ${what}: ${detail}`);
  }
}

// ---------------------------------------------------------------------------------------------- messages

function deeper(ctx: Ctx): Ctx {
  return { depth: ctx.depth + 1, onUnknownField: ctx.onUnknownField };
}

function decodeMessage(layout: MessageLayout, bytes: Uint8Array, ctx: Ctx): Record<string, unknown> {
  if (ctx.depth > MAX_DEPTH) throw new ProtobufDecodeError(`protobuf message nesting deeper than ${MAX_DEPTH}`);
  const values = new Map<FieldLayout, unknown>();
  const r = Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wt = tag & 7;
    const field = layout.fields.get(tag >>> 3);
    if (!field) {
      ctx.onUnknownField?.(layout.name, tag >>> 3);
      r.skipType(wt); // forward compatibility: fields this server does not know about
      continue;
    }
    if (field.map) {
      expectWire(layout, field, wt, 2);
      const [key, value] = readMapEntry(layout, field, r.bytes(), ctx);
      const map = (values.get(field) as Record<string, unknown> | undefined) ?? {};
      map[key] = value;
      values.set(field, map);
    } else if (field.repeated) {
      const list = (values.get(field) as unknown[] | undefined) ?? [];
      if ('scalar' in field.type && wt === 2 && wireTypeOf(field.type) !== 2) {
        const end = r.uint32() + r.pos; // packed repeated scalars
        while (r.pos < end) list.push(readScalar(r, field.type.scalar));
      } else {
        expectWire(layout, field, wt, wireTypeOf(field.type));
        list.push(readValue(r, field.type, ctx));
      }
      values.set(field, list);
    } else {
      expectWire(layout, field, wt, wireTypeOf(field.type));
      values.set(field, readValue(r, field.type, ctx));
    }
  }
  return normalise(values);
}

/** Applies the zero-value and inline rules to one decoded message, in field-number order. */
function normalise(values: Map<FieldLayout, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = [...values.keys()].sort((a, b) => a.number - b.number);
  for (const field of fields) {
    const value = values.get(field);
    if (field.inline) {
      if (value && typeof value === 'object') Object.assign(out, value);
      continue;
    }
    if (value === undefined) continue;
    if (field.repeated || field.map) {
      if (isEmpty(value)) continue;
    } else if (!field.pointer && isZero(field.type, value)) {
      continue;
    }
    out[field.json] = value;
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0;
}

function isZero(type: ValueType, value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if ('message' in type && type.message === QUANTITY) return value === '0';
  return isEmpty(value);
}

function readMapEntry(layout: MessageLayout, field: FieldLayout, bytes: Uint8Array, ctx: Ctx): [string, unknown] {
  let key = '';
  let value: unknown;
  const r = Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wt = tag & 7;
    if (tag >>> 3 === 1 && wt === 2) key = r.string();
    else if (tag >>> 3 === 2) {
      expectWire(layout, field, wt, wireTypeOf(field.type));
      value = readValue(r, field.type, ctx);
    } else r.skipType(wt);
  }
  // A missing value means the zero value of the value type.
  if (value === undefined) {
    value = 'scalar' in field.type
      ? zeroScalar(field.type.scalar)
      : decodeEmbedded(field.type.message, new Uint8Array(0), ctx);
  }
  return [key, value];
}

function readValue(r: ReaderT, type: ValueType, ctx: Ctx): unknown {
  if ('scalar' in type) return readScalar(r, type.scalar);
  return decodeEmbedded(type.message, r.bytes(), ctx);
}

function decodeEmbedded(messageName: string, bytes: Uint8Array, ctx: Ctx): unknown {
  const special = SPECIAL_TYPES.get(messageName);
  if (special) return special.decode(bytes, (nested) => decodeEnvelope(nested, deeper(ctx)).object);
  const layout = getLayout(messageName);
  if (!layout) throw new ProtobufDecodeError(`internal: no protobuf layout for ${messageName}`);
  return decodeMessage(layout, bytes, deeper(ctx));
}

function readScalar(r: ReaderT, kind: ScalarKind): unknown {
  switch (kind) {
    case 'string': return r.string();
    case 'bytes': return Buffer.from(r.bytes()).toString('base64');
    case 'bool': return r.bool();
    case 'int32': return r.int32();
    case 'uint32': return r.uint32();
    case 'int64': return longToNumber(r.int64());
    case 'uint64': return longToNumber(r.uint64());
    case 'double': return r.double();
    case 'float': return r.float();
  }
}

function zeroScalar(kind: ScalarKind): unknown {
  if (kind === 'string' || kind === 'bytes') return '';
  return kind === 'bool' ? false : 0;
}

export function wireTypeOf(type: ValueType): number {
  if ('message' in type) return 2;
  switch (type.scalar) {
    case 'string':
    case 'bytes':
      return 2;
    case 'double':
      return 1;
    case 'float':
      return 5;
    default:
      return 0;
  }
}

function expectWire(layout: MessageLayout, field: FieldLayout, got: number, want: number): void {
  if (got !== want) {
    throw new ProtobufDecodeError(
      `field ${field.json} (#${field.number}) of ${layout.name} has wire type ${got}, expected ${want}`,
    );
  }
}
