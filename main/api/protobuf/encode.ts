/**
 * Encodes a JSON object into a Kubernetes protobuf body (`k8s\0` + runtime.Unknown), driven by the same
 * layout tables as the decoder. It mimics gogo-protobuf as kubectl runs it: non-pointer fields are always
 * written (zero values included, embedded structs as possibly-empty messages), pointer fields only when set,
 * map entries in sorted key order. Used by tests to build realistic bodies, and usable for protobuf responses.
 */
import protobuf from 'protobufjs/minimal.js';
import { ProtobufDecodeError } from './errors.js';
import { messageForKind } from './kinds.js';
import { getLayout, type FieldLayout, type MessageLayout, type ScalarKind, type ValueType } from './layout.js';
import { K8S_MAGIC, SPECIAL_TYPES } from './special-types.js';
import { wireTypeOf } from './decode.js';

const { Writer } = protobuf;
type WriterT = protobuf.Writer;

export interface EncodeOptions {
  /** Write non-pointer zero values like gogo does (default true). False writes only what `obj` holds. */
  emitZeroValues?: boolean;
}

export function encodeKubernetesProtobuf(obj: Record<string, unknown>, opts: EncodeOptions = {}): Uint8Array {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) throw new ProtobufDecodeError(`no protobuf layout for kind "${kind}" in apiVersion "${apiVersion}"`);
  const raw = encodeMessage(getLayout(messageName)!, obj, opts.emitZeroValues ?? true);

  const w = Writer.create();
  w.uint32((1 << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(apiVersion);
  w.uint32((2 << 3) | 2).string(kind);
  w.ldelim();
  w.uint32((2 << 3) | 2).bytes(raw);
  w.uint32((3 << 3) | 2).string('');
  w.uint32((4 << 3) | 2).string('');
  const envelope = w.finish();
  const body = new Uint8Array(4 + envelope.length);
  body.set(K8S_MAGIC, 0);
  body.set(envelope, 4);
  return body;
}

/** Encodes one message body (no envelope) for `obj`. */
export function encodeMessage(layout: MessageLayout, obj: Record<string, unknown>, emitZero: boolean): Uint8Array {
  const w = Writer.create();
  const fields = [...layout.fields.values()].sort((a, b) => a.number - b.number);
  for (const field of fields) writeField(w, field, obj, emitZero);
  return w.finish();
}

function writeField(w: WriterT, field: FieldLayout, obj: Record<string, unknown>, emitZero: boolean): void {
  const tag = (wt: number): WriterT => w.uint32((field.number << 3) | wt);
  if (field.inline) {
    // The embedded struct reads its fields from the parent object itself.
    tag(2).bytes(encodeValueMessage(messageOf(field.type), obj, emitZero));
    return;
  }
  const value = obj[field.json];
  if (field.map) {
    if (!value || typeof value !== 'object') return;
    for (const key of Object.keys(value).sort()) {
      const entry = Writer.create();
      entry.uint32((1 << 3) | 2).string(key);
      writeValue(entry, 2, field.type, (value as Record<string, unknown>)[key], emitZero);
      tag(2).bytes(entry.finish());
    }
    return;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) return;
    for (const item of value) writeValue(w, field.number, field.type, item, emitZero);
    return;
  }
  if (value === undefined || value === null) {
    if (field.pointer || !emitZero) return;
    writeValue(w, field.number, field.type, undefined, emitZero);
    return;
  }
  writeValue(w, field.number, field.type, value, emitZero);
}

function writeValue(w: WriterT, num: number, type: ValueType, value: unknown, emitZero: boolean): void {
  w.uint32((num << 3) | wireTypeOf(type));
  if ('scalar' in type) writeScalar(w, type.scalar, value);
  else w.bytes(encodeValueMessage(type.message, value, emitZero));
}

function encodeValueMessage(messageName: string, value: unknown, emitZero: boolean): Uint8Array {
  const special = SPECIAL_TYPES.get(messageName);
  if (special) {
    const w = Writer.create();
    special.encode(value, w);
    return w.finish();
  }
  const layout = getLayout(messageName);
  if (!layout) throw new ProtobufDecodeError(`internal: no protobuf layout for ${messageName}`);
  const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return encodeMessage(layout, obj, emitZero);
}

function messageOf(type: ValueType): string {
  if (!('message' in type)) throw new ProtobufDecodeError('internal: inline field must be a message');
  return type.message;
}

function writeScalar(w: WriterT, kind: ScalarKind, value: unknown): void {
  switch (kind) {
    case 'string': w.string(typeof value === 'string' ? value : value == null ? '' : String(value)); return;
    case 'bytes': w.bytes(Buffer.from(typeof value === 'string' ? value : '', 'base64')); return;
    case 'bool': w.bool(value === true); return;
    case 'int32': w.int32(Number(value ?? 0)); return;
    case 'uint32': w.uint32(Number(value ?? 0)); return;
    case 'int64': w.int64(Number(value ?? 0)); return;
    case 'uint64': w.uint64(Number(value ?? 0)); return;
    case 'double': w.double(Number(value ?? 0)); return;
    case 'float': w.float(Number(value ?? 0)); return;
  }
}
