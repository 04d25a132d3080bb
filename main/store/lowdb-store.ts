/**
 * The embedded durable backend: lowdb JSON snapshot (`<dir>/store.json`) + group-committed, CRC-framed
 * write-ahead log (`<dir>/store.wal.<generation>`) + exclusive lock (`<dir>/store.lock`).
 *
 * Write path: validate against committed state plus not-yet-durable writes (the overlay), assign the next
 * revision, serialise once (the JSON is kept as the entry's cache), frame, and hand to the group committer.
 * After the batch's fdatasync the writes are applied to the committed state in revision order, watchers are
 * fed, and only then do the promises resolve. Reads (get/list/count/revision) and watches see committed —
 * durable — state only.
 *
 * Compaction: once the current WAL is larger than max(compactMinBytes, compactRatio × snapshot bytes), the
 * WAL is rotated between two batches (new generation pre-created), the committed entries at that revision are
 * captured (entries are immutable, so an array of references is a consistent view), and a snapshot is
 * written in the background in small chunks; after its durable rename the older generations are deleted.
 * A crash at any step leaves either the old snapshot + all generations, or the new snapshot + newer
 * generations; both recover to the same state. With ratio 1, each object is written about 1× to the WAL and
 * at most ~2× more through snapshots, amortised.
 */
import { StateStore } from './state-store.js';
import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { fsyncDir } from './durable-file.js';
import { GroupCommitter, type CommitItem } from './group-commit.js';
import { acquireDirLock, type DirLock } from './lock-file.js';
import { prepareWrite, type MemoryState, type Mutation } from './memory-store.js';
import { recover } from './recovery.js';
import { DurableSnapshotFile, emptySnapshot, SnapshotAborted, SNAPSHOT_FORMAT, type SnapshotData } from './snapshot.js';
import { StoreError, type StoredEntry, type StoreEvent } from './store.js';
import { encodeEvent, listWalGenerations, WalFile, walPath } from './wal.js';
import type { HistoryPolicy } from './watch-hub.js';

export type CompactionStep = 'rotated' | 'snapshot-written' | 'done';

export interface LowdbStoreOptions {
  dir: string;
  history?: Partial<HistoryPolicy>;
  /** Compact once the current WAL exceeds max(compactMinBytes, compactRatio × last snapshot size). */
  compactRatio?: number;
  compactMinBytes?: number;
  /** Receives recovery and compaction notices (default: console.warn). */
  log?: (msg: string) => void;
  /** Test probe awaited at each compaction step (e.g. to copy the directory and simulate a crash there). */
  compactionProbe?: (step: CompactionStep) => void | Promise<void>;
}

export interface LowdbStoreStats {
  walBytesWritten: number;
  walBatches: number;
  snapshotBytesWritten: number;
  compactions: number;
  /** Open time breakdown. */
  recoveredRevision: number;
  replayedRecords: number;
  openMs: number;
}

interface PendingWrite extends CommitItem {
  ev: StoreEvent;
  resolve(entry: StoredEntry): void;
  reject(err: Error): void;
}

const DEFAULT_RATIO = 1;
const DEFAULT_MIN_BYTES = 8 * 1024 * 1024;
const COMPACTION_RETRY_MS = 10_000;

export class LowdbStore extends StateStore {
  readonly backend = 'lowdb';
  /** Latest value per key of writes that are assigned a revision but not yet durable. */
  private readonly overlay = new Map<string, { entry: StoredEntry | undefined; revision: number }>();
  private lastAssigned: number;
  private readonly committer: GroupCommitter<PendingWrite>;
  private compaction: Promise<void> | undefined;
  private lastCompactionFailure = 0;
  private compactions = 0;
  private closing = false;

  private constructor(
    private readonly opts: Required<Pick<LowdbStoreOptions, 'dir' | 'compactRatio' | 'compactMinBytes' | 'log'>> &
      LowdbStoreOptions,
    state: MemoryState,
    private wal: WalFile,
    private readonly db: Low<SnapshotData>,
    private readonly snapFile: DurableSnapshotFile,
    private readonly lock: DirLock,
    private readonly openInfo: { replayed: number; openMs: number },
  ) {
    super(state);
    this.lastAssigned = state.revision();
    this.committer = new GroupCommitter<PendingWrite>({
      write: (buf) => this.wal.append(buf),
      durable: (items) => this.onDurable(items),
      failed: (items, err) => this.onFailed(items, err),
    });
  }

  static async open(options: LowdbStoreOptions): Promise<LowdbStore> {
    const t0 = performance.now();
    const opts = {
      compactRatio: DEFAULT_RATIO,
      compactMinBytes: DEFAULT_MIN_BYTES,
      log: (m: string) => console.warn(m),
      ...options,
      dir: path.resolve(options.dir),
    };
    await mkdir(opts.dir, { recursive: true });
    const lock = await acquireDirLock(opts.dir);
    try {
      const snapFile = new DurableSnapshotFile(path.join(opts.dir, 'store.json'));
      await snapFile.removeStaleTemp();
      const db = new Low<SnapshotData>(snapFile, emptySnapshot());
      const rec = await recover(opts.dir, db, opts.history, opts.log);
      const wal = await WalFile.open(opts.dir, rec.appendGeneration);
      const openMs = performance.now() - t0;
      return new LowdbStore(opts, rec.state, wal, db, snapFile, lock, { replayed: rec.replayed, openMs });
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  protected get isClosed(): boolean {
    return this.closing;
  }

  /** Forces a compaction now (waits for a running one first). */
  async compact(): Promise<void> {
    this.checkOpen();
    if (this.compaction) await this.compaction;
    this.compaction = this.runCompaction().finally(() => (this.compaction = undefined));
    await this.compaction;
  }

  stats(): LowdbStoreStats {
    return {
      walBytesWritten: this.committer.bytes,
      walBatches: this.committer.batches,
      snapshotBytesWritten: this.snapFile.totalBytesWritten,
      compactions: this.compactions,
      recoveredRevision: this.state.revision(),
      replayedRecords: this.openInfo.replayed,
      openMs: this.openInfo.openMs,
    };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.committer.idle();
    if (this.compaction) {
      this.snapFile.abort();
      await this.compaction.catch(() => undefined);
    }
    await this.committer.idle();
    await this.wal.close().catch(() => undefined);
    this.state.hub.closeAll(new StoreError('Closed', 'store closed'));
    await this.lock.release();
  }

  protected write(m: Mutation): Promise<StoredEntry> {
    try {
      this.checkOpen();
      const broken = this.committer.failure();
      if (broken) throw unavailable(broken);
      const o = this.overlay.get(m.key);
      const current = o ? o.entry : this.state.get(m.key);
      const ev = prepareWrite(current, m, this.lastAssigned + 1);
      let json: string | undefined;
      if (ev.type !== 'delete') ev.entry.json = json = JSON.stringify(ev.entry.value);
      const frame = encodeEvent(ev, json);
      this.lastAssigned = ev.revision;
      this.overlay.set(m.key, { entry: ev.type === 'delete' ? undefined : ev.entry, revision: ev.revision });
      return new Promise<StoredEntry>((resolve, reject) => this.committer.submit({ frame, ev, resolve, reject }));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  private onDurable(items: PendingWrite[]): void {
    for (const it of items) {
      this.state.apply(it.ev);
      const key = it.ev.entry.key;
      const o = this.overlay.get(key);
      if (o && o.revision === it.ev.revision) this.overlay.delete(key);
    }
    for (const it of items) it.resolve(it.ev.entry);
    this.maybeCompact();
  }

  private onFailed(items: PendingWrite[], err: Error): void {
    // Fail-stop: no later write can commit, so the not-yet-durable view is meaningless.
    this.overlay.clear();
    this.lastAssigned = this.state.revision();
    for (const it of items) it.reject(unavailable(err));
  }

  private maybeCompact(): void {
    if (this.compaction || this.closing) return;
    const limit = Math.max(this.opts.compactMinBytes, this.opts.compactRatio * this.snapFile.lastWriteBytes);
    if (this.wal.size() < limit) return;
    if (Date.now() - this.lastCompactionFailure < COMPACTION_RETRY_MS) return;
    this.compaction = this.runCompaction()
      .catch((e: unknown) => {
        if (!(e instanceof SnapshotAborted)) {
          this.lastCompactionFailure = Date.now();
          this.opts.log(`store: compaction failed (will retry): ${(e as Error).message}`);
        }
      })
      .finally(() => (this.compaction = undefined));
  }

  private async runCompaction(): Promise<void> {
    const dir = this.opts.dir;
    // Pre-create the next generation off the critical path; an empty extra WAL is harmless to recovery.
    const next = await WalFile.open(dir, this.wal.generation + 1);
    let captured: StoredEntry[] = [];
    let revision = 0;
    let old: WalFile | undefined;
    await this.committer.exclusive(async () => {
      old = this.wal;
      this.wal = next;
      revision = this.state.revision();
      captured = Array.from(this.state.entries.values());
    });
    await old!.close();
    await this.opts.compactionProbe?.('rotated');
    this.db.data = { format: SNAPSHOT_FORMAT, revision, walGeneration: next.generation, entries: captured };
    try {
      await this.db.write();
    } finally {
      this.db.data = emptySnapshot();
      captured = [];
    }
    await this.opts.compactionProbe?.('snapshot-written');
    for (const g of await listWalGenerations(dir)) {
      if (g < next.generation) await unlink(walPath(dir, g));
    }
    await fsyncDir(dir);
    this.compactions++;
    await this.opts.compactionProbe?.('done');
  }
}

function unavailable(err: Error): StoreError {
  return new StoreError('Unavailable', `store: write-ahead log failed, store is read-only until restart: ${err.message}`);
}

/** Opens (creating if needed) the durable store in `dir`; fails if another process holds the directory. */
export function openLowdbStore(opts: LowdbStoreOptions): Promise<LowdbStore> {
  return LowdbStore.open(opts);
}
