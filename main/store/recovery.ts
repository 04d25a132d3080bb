/**
 * Recovery on open: snapshot + WAL replay.
 *
 *  1. Load `store.json` (lowdb, durable adapter) into a fresh MemoryState at the snapshot's revision.
 *  2. Delete WAL generations older than the snapshot's `walGeneration` (already folded in; a crash after
 *     the snapshot rename but before their removal leaves them behind).
 *  3. Replay the remaining generations in order. Records at or below the current revision are skipped
 *     (idempotent), the next record must carry exactly revision + 1 and apply cleanly. Replay stops at the
 *     first torn, corrupt or inconsistent record: that WAL is truncated there (and synced), and any later
 *     generations — which cannot follow a hole — are renamed aside to `*.orphaned`. Everything dropped is logged.
 *  4. Replayed records also feed the watch history, so watches can resume from revisions after the snapshot.
 */
import { rename, unlink } from 'node:fs/promises';
import type { Low } from 'lowdb';
import type { KObject } from '../api/meta/object.js';
import { fsyncDir } from './durable-file.js';
import { MemoryState, prepareWrite, type Mutation } from './memory-store.js';
import { emptySnapshot, type SnapshotData } from './snapshot.js';
import type { StoredEntry } from './store.js';
import type { HistoryPolicy } from './watch-hub.js';
import { decodeRecord, listWalGenerations, readWal, truncateWal, walPath } from './wal.js';

export interface RecoveryResult {
  state: MemoryState;
  /** The WAL generation to keep appending to. */
  appendGeneration: number;
  snapshotRevision: number;
  replayed: number;
  droppedBytes: number;
}

export async function recover(
  dir: string,
  db: Low<SnapshotData>,
  history: Partial<HistoryPolicy> | undefined,
  log: (msg: string) => void,
): Promise<RecoveryResult> {
  await db.read();
  const snap = db.data;
  db.data = emptySnapshot(); // do not keep the parsed snapshot alive twice
  const state = new MemoryState({ history });
  state.load(snap.entries as StoredEntry[], snap.revision);

  const gens = await listWalGenerations(dir);
  let removedOld = false;
  for (const g of gens) {
    if (g < snap.walGeneration) {
      await unlink(walPath(dir, g));
      removedOld = true;
    }
  }
  if (removedOld) await fsyncDir(dir);
  const live = gens.filter((g) => g >= snap.walGeneration);

  let replayed = 0;
  let droppedBytes = 0;
  let lastGood = live[0];
  for (let gi = 0; gi < live.length; gi++) {
    const gen = live[gi]!;
    const file = walPath(dir, gen);
    const wal = await readWal(file);
    let cut: { at: number; why: string } | undefined;
    for (let i = 0; i < wal.payloads.length; i++) {
      const why = replayOne(state, wal.payloads[i]!);
      if (why === 'applied') replayed++;
      else if (why !== 'skipped') {
        cut = { at: wal.offsets[i]!, why };
        break;
      }
    }
    if (!cut && wal.problem) cut = { at: wal.validBytes, why: wal.problem };
    lastGood = gen;
    if (!cut) continue;
    const dropped = wal.fileBytes - cut.at;
    droppedBytes += dropped;
    log(`store: WAL ${file}: ${cut.why}; dropping ${dropped} trailing bytes (recovered up to revision ${state.revision()})`);
    await truncateWal(file, cut.at);
    for (const later of live.slice(gi + 1)) {
      const src = walPath(dir, later);
      log(`store: WAL ${src} follows a damaged generation and cannot be replayed; moved to ${src}.orphaned`);
      await rename(src, `${src}.orphaned`);
    }
    await fsyncDir(dir);
    break;
  }
  const appendGeneration = lastGood ?? Math.max(1, snap.walGeneration);
  return { state, appendGeneration, snapshotRevision: snap.revision, replayed, droppedBytes };
}

/** Applies one WAL payload; returns 'applied', 'skipped' (already in the snapshot) or why it is unusable. */
function replayOne(state: MemoryState, payload: string): string {
  let rec;
  try {
    rec = decodeRecord(payload);
  } catch (e) {
    return `undecodable record (${(e as Error).message})`;
  }
  if (rec.revision <= state.revision()) return 'skipped';
  if (rec.revision !== state.revision() + 1) {
    return `revision gap (record ${rec.revision} after ${state.revision()})`;
  }
  let m: Mutation;
  if (rec.op === 'd') m = { op: 'delete', key: rec.key };
  else {
    const value = rec.value as KObject;
    m = rec.op === 'c' ? { op: 'create', key: rec.key, value } : { op: 'update', key: rec.key, value };
  }
  let ev;
  try {
    ev = prepareWrite(state.get(rec.key), m, rec.revision);
  } catch (e) {
    return `inconsistent record at revision ${rec.revision} (${(e as Error).message})`;
  }
  if (ev.type !== 'delete') ev.entry.json = rec.valueJson;
  state.apply(ev);
  return 'applied';
}
