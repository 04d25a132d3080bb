/**
 * The write-ahead log: generation-numbered append-only files `<dir>/store.wal.<generation>`, each a sequence
 * of CRC-framed JSON records (crc-frame.ts), one record per committed write:
 *
 *   {"r":<revision>,"o":"c"|"u","k":<key>,"v":<value>}   create / update (value already stamped)
 *   {"r":<revision>,"o":"d","k":<key>}                   delete
 *
 * The value is always the last member, so its exact JSON text can be sliced out of the payload on replay and
 * kept as the entry's cached JSON without re-serialising.
 *
 * Generations exist for crash-safe compaction: the snapshot records the first generation that is NOT folded
 * into it; recovery replays that generation and every later one, in order.
 */
import { open, readdir, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { decodeFrames, encodeFrame } from './crc-frame.js';
import type { StoreEvent } from './store.js';
import { fsyncDir } from './durable-file.js';

const WAL_RE = /^store\.wal\.(\d+)$/;

export function walPath(dir: string, generation: number): string {
  return path.join(dir, `store.wal.${generation}`);
}

/** Generations of the WAL files present in `dir`, ascending. */
export async function listWalGenerations(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  const gens: number[] = [];
  for (const n of names) {
    const m = WAL_RE.exec(n);
    if (m) gens.push(Number(m[1]));
  }
  return gens.sort((a, b) => a - b);
}

export type WalOp = 'c' | 'u' | 'd';

export interface WalRecord {
  revision: number;
  op: WalOp;
  key: string;
  /** Exact JSON text of the value (create/update). */
  valueJson?: string;
  /** The parsed value (create/update). */
  value?: Record<string, unknown>;
}

function recordHead(revision: number, op: WalOp, keyJson: string): string {
  return `{"r":${revision},"o":"${op}","k":${keyJson}`;
}

/** Frames an event. For create/update, `valueJson` must be JSON.stringify(ev.entry.value). */
export function encodeEvent(ev: StoreEvent, valueJson: string | undefined): Buffer {
  const keyJson = JSON.stringify(ev.entry.key);
  if (ev.type === 'delete') return encodeFrame(recordHead(ev.revision, 'd', keyJson) + '}');
  const op: WalOp = ev.type === 'create' ? 'c' : 'u';
  return encodeFrame(recordHead(ev.revision, op, keyJson) + ',"v":', valueJson!, '}');
}

/** Parses one payload; throws on malformed content. */
export function decodeRecord(payload: string): WalRecord {
  const parsed = JSON.parse(payload) as { r?: unknown; o?: unknown; k?: unknown; v?: unknown };
  const { r, o, k } = parsed;
  if (typeof r !== 'number' || typeof k !== 'string' || (o !== 'c' && o !== 'u' && o !== 'd')) {
    throw new Error('malformed WAL record');
  }
  if (o === 'd') return { revision: r, op: o, key: k };
  if (typeof parsed.v !== 'object' || parsed.v === null) throw new Error('malformed WAL record value');
  const head = recordHead(r, o, JSON.stringify(k)) + ',"v":';
  const valueJson = payload.startsWith(head) && payload.endsWith('}')
    ? payload.slice(head.length, -1)
    : JSON.stringify(parsed.v);
  return { revision: r, op: o, key: k, valueJson, value: parsed.v as Record<string, unknown> };
}

export interface WalReadResult {
  payloads: string[];
  offsets: number[];
  validBytes: number;
  fileBytes: number;
  problem?: string;
}

export async function readWal(file: string): Promise<WalReadResult> {
  const buf = await readFile(file);
  const d = decodeFrames(buf);
  return { payloads: d.payloads, offsets: d.offsets, validBytes: d.validBytes, fileBytes: buf.length, problem: d.problem };
}

/** Cuts a WAL file at `bytes` and makes the cut durable. */
export async function truncateWal(file: string, bytes: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.truncate(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** An open WAL generation accepting appends; `append` resolves once the bytes are on stable storage. */
export class WalFile {
  private constructor(
    readonly generation: number,
    readonly file: string,
    private readonly fh: FileHandle,
    private bytes: number,
  ) {}

  /** Opens (creating if needed) generation `generation` in `dir` for appending. */
  static async open(dir: string, generation: number): Promise<WalFile> {
    const file = walPath(dir, generation);
    const fh = await open(file, 'a');
    const { size } = await fh.stat();
    // A new file's directory entry must be durable too, or the whole log could vanish on power loss.
    await fh.sync();
    await fsyncDir(dir);
    return new WalFile(generation, file, fh, size);
  }

  /** Current file length in bytes. */
  size(): number {
    return this.bytes;
  }

  async append(buf: Buffer): Promise<void> {
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    await this.fh.datasync();
    this.bytes += buf.length;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
