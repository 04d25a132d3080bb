/**
 * Record framing for the write-ahead log: [u32 LE payload length][u32 LE crc32(payload)][payload bytes].
 *
 * A reader accepts records up to the first one that is torn (short header or short payload) or corrupt
 * (zero/oversized length, checksum mismatch). Everything from that point on is untrusted: after a crash the
 * tail of the last write batch may be partly on disk, and nothing after a damaged record can be attributed.
 */
import { crc32 } from 'node:zlib';

export const FRAME_HEADER_BYTES = 8;
/** Upper bound for one record; a larger length field is treated as corruption. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Frames a payload given as consecutive parts. Parts are encoded straight into the frame buffer, so a large
 * value's JSON text is never concatenated into a second (flattened) string on the hot path.
 */
export function encodeFrame(...parts: string[]): Buffer {
  let len = 0;
  for (const p of parts) len += Buffer.byteLength(p);
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + len);
  let off = FRAME_HEADER_BYTES;
  for (const p of parts) off += buf.write(p, off, 'utf8');
  buf.writeUInt32LE(len, 0);
  buf.writeUInt32LE(crc32(buf.subarray(FRAME_HEADER_BYTES)), 4);
  return buf;
}

export interface DecodedFrames {
  /** Payloads of the intact records, in order. */
  payloads: string[];
  /** Byte offset of each payload's record (parallel to payloads). */
  offsets: number[];
  /** Byte length of the intact prefix (where a torn tail starts). */
  validBytes: number;
  /** Why decoding stopped early; undefined when the whole buffer was consumed. */
  problem?: string;
}

export function decodeFrames(buf: Buffer): DecodedFrames {
  const payloads: string[] = [];
  const offsets: number[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf.length - pos < FRAME_HEADER_BYTES) {
      return { payloads, offsets, validBytes: pos, problem: `torn record header at offset ${pos}` };
    }
    const len = buf.readUInt32LE(pos);
    const sum = buf.readUInt32LE(pos + 4);
    if (len === 0 || len > MAX_RECORD_BYTES) {
      return { payloads, offsets, validBytes: pos, problem: `bad record length ${len} at offset ${pos}` };
    }
    const start = pos + FRAME_HEADER_BYTES;
    if (buf.length - start < len) {
      return { payloads, offsets, validBytes: pos, problem: `torn record at offset ${pos} (${buf.length - start} of ${len} bytes)` };
    }
    const body = buf.subarray(start, start + len);
    if (crc32(body) !== sum) {
      return { payloads, offsets, validBytes: pos, problem: `checksum mismatch at offset ${pos}` };
    }
    payloads.push(body.toString('utf8'));
    offsets.push(pos);
    pos = start + len;
  }
  return { payloads, offsets, validBytes: pos };
}
