/**
 * Converters for the apimachinery types whose protobuf shape differs from their JSON shape:
 * Time / MicroTime (timestamp message ↔ RFC3339 string), Duration (nanoseconds ↔ Go duration string),
 * Quantity (wrapped string), IntOrString (tagged union ↔ number|string), RawExtension and FieldsV1 (embedded
 * bytes ↔ parsed JSON), and the ExtraValue wrappers (message with a repeated string ↔ plain array).
 *
 * `decode` receives the bytes of the embedded message and returns the JSON value (`undefined` = absent, e.g.
 * the zero Time). `encode` writes the message body for a JSON value.
 */
import protobuf from 'protobufjs/minimal.js';
import { ProtobufDecodeError } from './errors.js';

const { Reader, Writer } = protobuf;
type ReaderT = protobuf.Reader;
type WriterT = protobuf.Writer;

export interface SpecialType {
  decode(bytes: Uint8Array, nested: NestedDecoder): unknown;
  encode(value: unknown, w: WriterT): void;
}

/** Lets RawExtension decode an embedded `k8s\0` protobuf object without a circular import. */
export type NestedDecoder = (bytes: Uint8Array) => Record<string, unknown>;

export const K8S_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

export function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && K8S_MAGIC.every((b, i) => bytes[i] === b);
}

/** Converts a protobufjs Long (or number) to a JS number. */
export function longToNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'toNumber' in v && typeof v.toNumber === 'function') return v.toNumber() as number;
  return Number(v);
}

/** Iterates the fields of a small message: calls `on(fieldNumber, wireType, reader)`; unknown ones are skipped. */
function eachField(bytes: Uint8Array, on: (num: number, wt: number, r: ReaderT) => boolean): void {
  const r = Reader.create(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (!on(tag >>> 3, tag & 7, r)) r.skipType(tag & 7);
  }
}

// ---------------------------------------------------------------------------------------------- time values

function readTimestamp(bytes: Uint8Array): { seconds: number; nanos: number } {
  let seconds = 0;
  let nanos = 0;
  eachField(bytes, (num, wt, r) => {
    if (num === 1 && wt === 0) seconds = longToNumber(r.int64());
    else if (num === 2 && wt === 0) nanos = r.int32();
    else return false;
    return true;
  });
  return { seconds, nanos };
}

/** `2006-01-02T15:04:05Z` (whole seconds, UTC), as metav1.Time marshals to JSON. */
export function formatRfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2006-01-02T15:04:05.000000Z`, as metav1.MicroTime marshals to JSON. */
export function formatRfc3339Micro(seconds: number, nanos: number): string {
  const micros = String(Math.floor(nanos / 1000)).padStart(6, '0');
  return `${formatRfc3339(seconds).slice(0, -1)}.${micros}Z`;
}

/** Parses an RFC3339 string (any fraction, `Z` or offset) into seconds + nanos. */
export function parseRfc3339(text: string): { seconds: number; nanos: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!m) throw new ProtobufDecodeError(`cannot encode time "${text}": not RFC3339`);
  const ms = Date.parse(`${m[1]}${m[3]!.toUpperCase() === 'Z' ? 'Z' : m[3]}`);
  if (Number.isNaN(ms)) throw new ProtobufDecodeError(`cannot encode time "${text}": not RFC3339`);
  return { seconds: Math.floor(ms / 1000), nanos: m[2] ? Number(m[2].padEnd(9, '0')) : 0 };
}

function encodeTimestamp(value: unknown, w: WriterT): void {
  if (value === undefined || value === null || value === '') return; // the zero time is an empty message
  const { seconds, nanos } = parseRfc3339(String(value));
  w.uint32((1 << 3) | 0).int64(seconds);
  w.uint32((2 << 3) | 0).int32(nanos);
}

const time: SpecialType = {
  decode(bytes) {
    const { seconds, nanos } = readTimestamp(bytes);
    return seconds === 0 && nanos === 0 ? undefined : formatRfc3339(seconds);
  },
  encode: encodeTimestamp,
};

const microTime: SpecialType = {
  decode(bytes) {
    const { seconds, nanos } = readTimestamp(bytes);
    return seconds === 0 && nanos === 0 ? undefined : formatRfc3339Micro(seconds, nanos);
  },
  encode: encodeTimestamp,
};

// ---------------------------------------------------------------------------------------------- Duration

const UNITS: ReadonlyArray<[string, bigint]> = [['h', 3_600_000_000_000n], ['m', 60_000_000_000n]];

/** Formats nanoseconds the way Go's time.Duration.String() does ("1h0m0s", "1.5s", "300ms", "0s"). */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const neg = nanos < 0n;
  let n = neg ? -nanos : nanos;
  let out: string;
  if (n < 1_000_000_000n) {
    // Sub-second durations use the largest unit that keeps the integer part non-zero.
    const [unit, size] = n < 1_000n ? ['ns', 1n] : n < 1_000_000n ? ['µs', 1_000n] : ['ms', 1_000_000n];
    out = fraction(n, size) + unit;
  } else {
    let prefix = '';
    for (const [unit, size] of UNITS) {
      if (n >= size || prefix !== '') {
        prefix += `${n / size}${unit}`;
        n %= size;
      }
    }
    out = `${prefix}${fraction(n, 1_000_000_000n)}s`;
  }
  return neg ? `-${out}` : out;
}

function fraction(n: bigint, size: bigint): string {
  const whole = n / size;
  const rest = n % size;
  if (rest === 0n) return String(whole);
  const digits = String(size).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Parses a Go duration string ("1h30m", "1.5s", "-2ms") into nanoseconds. */
export function parseGoDuration(text: string): bigint {
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (!m && text !== '0') throw new ProtobufDecodeError(`cannot encode duration "${text}"`);
  const sizes: Record<string, bigint> = {
    ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n,
    h: 3_600_000_000_000n,
  };
  let total = 0n;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const [int = '0', frac = ''] = part[1]!.split('.');
    const size = sizes[part[2]!]!;
    const scale = 10n ** BigInt(frac.length);
    total += BigInt(int || '0') * size + (BigInt(frac || '0') * size) / scale;
  }
  return text.startsWith('-') ? -total : total;
}

const duration: SpecialType = {
  decode(bytes) {
    let ns = 0n;
    eachField(bytes, (num, wt, r) => {
      if (num !== 1 || wt !== 0) return false;
      ns = BigInt(r.int64().toString());
      return true;
    });
    return formatGoDuration(ns);
  },
  encode(value, w) {
    w.uint32((1 << 3) | 0).int64(parseGoDuration(String(value ?? '0s')).toString());
  },
};

// ---------------------------------------------------------------------------------------------- wrappers

/** A message with a single string field 1 (Quantity). */
function readStringField(bytes: Uint8Array): string {
  let s = '';
  eachField(bytes, (num, wt, r) => {
    if (num !== 1 || wt !== 2) return false;
    s = r.string();
    return true;
  });
  return s;
}

const quantity: SpecialType = {
  decode: (bytes) => readStringField(bytes),
  encode(value, w) {
    w.uint32((1 << 3) | 2).string(String(value ?? '0'));
  },
};

const intOrString: SpecialType = {
  decode(bytes) {
    let type = 0;
    let intVal = 0;
    let strVal = '';
    eachField(bytes, (num, wt, r) => {
      if (num === 1 && wt === 0) type = longToNumber(r.int64());
      else if (num === 2 && wt === 0) intVal = r.int32();
      else if (num === 3 && wt === 2) strVal = r.string();
      else return false;
      return true;
    });
    return type === 1 ? strVal : intVal;
  },
  encode(value, w) {
    const isString = typeof value === 'string';
    w.uint32((1 << 3) | 0).int64(isString ? 1 : 0);
    w.uint32((2 << 3) | 0).int32(isString ? 0 : Number(value ?? 0));
    w.uint32((3 << 3) | 2).string(isString ? value : '');
  },
};

/** Bytes in field 1 holding JSON (or, for RawExtension, possibly a nested `k8s\0` protobuf object). */
function rawJson(allowNested: boolean): SpecialType {
  return {
    decode(bytes, nested) {
      let raw: Uint8Array | undefined;
      eachField(bytes, (num, wt, r) => {
        if (num !== 1 || wt !== 2) return false;
        raw = r.bytes();
        return true;
      });
      if (!raw || raw.length === 0) return undefined;
      if (allowNested && hasMagic(raw)) return nested(raw);
      const text = Buffer.from(raw).toString('utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ProtobufDecodeError(`embedded raw object is neither JSON nor Kubernetes protobuf`);
      }
    },
    encode(value, w) {
      if (value === undefined) return;
      w.uint32((1 << 3) | 2).bytes(Buffer.from(JSON.stringify(value), 'utf8'));
    },
  };
}

const extraValue: SpecialType = {
  decode(bytes) {
    const items: string[] = [];
    eachField(bytes, (num, wt, r) => {
      if (num !== 1 || wt !== 2) return false;
      items.push(r.string());
      return true;
    });
    return items;
  },
  encode(value, w) {
    for (const item of Array.isArray(value) ? value : []) w.uint32((1 << 3) | 2).string(String(item));
  },
};

export const SPECIAL_TYPES: ReadonlyMap<string, SpecialType> = new Map<string, SpecialType>([
  ['k8s.io.apimachinery.pkg.apis.meta.v1.Time', time],
  ['k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', microTime],
  ['k8s.io.apimachinery.pkg.apis.meta.v1.Duration', duration],
  ['k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1', rawJson(false)],
  ['k8s.io.apimachinery.pkg.api.resource.Quantity', quantity],
  ['k8s.io.apimachinery.pkg.util.intstr.IntOrString', intOrString],
  ['k8s.io.apimachinery.pkg.runtime.RawExtension', rawJson(true)],
  ['k8s.io.api.authentication.v1.ExtraValue', extraValue],
  ['k8s.io.api.authorization.v1.ExtraValue', extraValue],
  ['k8s.io.api.certificates.v1.ExtraValue', extraValue],
]);

export { Writer };
