/**
 * Group commit: at most one log write + fdatasync is in flight; every item submitted meanwhile joins the next
 * batch, so one sync acknowledges many writes. `durable(batch)` is called synchronously right after the sync,
 * batches strictly in submission order; nothing of a batch is reported durable before all of it is.
 *
 * Failure is fail-stop: when a sync fails, the on-disk state of that batch is unknown, so the batch and every
 * later submission fail and the committer stays broken (like etcd/PostgreSQL treating fsync errors as fatal).
 *
 * `exclusive(fn)` runs `fn` between batches with no batch in flight (used to rotate the WAL for compaction).
 */

export interface CommitItem {
  frame: Buffer;
}

export interface CommitHooks<T extends CommitItem> {
  /** Appends the bytes and makes them durable. */
  write(buf: Buffer): Promise<void>;
  durable(items: T[]): void;
  failed(items: T[], err: Error): void;
}

interface Job {
  fn: () => Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter<T extends CommitItem> {
  private queue: T[] = [];
  private jobs: Job[] = [];
  private running = false;
  private broken: Error | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Batches and bytes written so far (metrics/benchmarks). */
  batches = 0;
  bytes = 0;

  constructor(private readonly hooks: CommitHooks<T>) {}

  /** The error that broke the log, if any. */
  failure(): Error | undefined {
    return this.broken;
  }

  /** Number of submitted items not yet durable. */
  pending(): number {
    return this.queue.length;
  }

  submit(item: T): void {
    if (this.broken) {
      this.hooks.failed([item], this.broken);
      return;
    }
    this.queue.push(item);
    this.kick();
  }

  exclusive(fn: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.jobs.push({ fn, resolve, reject });
      this.kick();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0 && this.jobs.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      for (;;) {
        const job = this.jobs.shift();
        if (job) {
          try {
            await job.fn();
            job.resolve();
          } catch (e) {
            job.reject(e);
          }
          continue;
        }
        if (this.queue.length === 0) break;
        const items = this.queue;
        this.queue = [];
        if (this.broken) {
          this.hooks.failed(items, this.broken);
          continue;
        }
        const buf = items.length === 1 ? items[0]!.frame : Buffer.concat(items.map((i) => i.frame));
        try {
          await this.hooks.write(buf);
        } catch (e) {
          this.broken = e instanceof Error ? e : new Error(String(e));
          this.hooks.failed(items, this.broken);
          continue;
        }
        this.batches++;
        this.bytes += buf.length;
        try {
          this.hooks.durable(items);
        } catch (e) {
          // A bug in applying committed writes: memory no longer matches the log, so stop accepting writes.
          this.broken = e instanceof Error ? e : new Error(String(e));
          console.error('store: applying a durable batch failed:', e);
        }
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
