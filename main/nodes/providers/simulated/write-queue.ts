/**
 * A bounded, coalescing writer for status updates at scale. Work is keyed (a pod, a node); enqueuing a key that
 * is already waiting does not add a second write — the write is built when a slot frees up, from the latest
 * state, so a pod that went ContainerCreating → Running while queued is written once, as Running. At most
 * `concurrency` writes are in flight; keys are served first come, first served. Failures are reported to
 * `onError` and not retried here: the owner decides (most callers just let the next change rewrite).
 */
export type WriteFn = () => Promise<void>;

export class WriteQueue {
  private readonly pending = new Map<string, WriteFn>();
  private readonly inFlight = new Set<string>();
  /** Keys re-enqueued while their write was in flight: written again afterwards with the newest state. */
  private readonly again = new Map<string, WriteFn>();
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly concurrency: number,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {}

  enqueue(key: string, write: WriteFn): void {
    if (this.stopped) return;
    if (this.inFlight.has(key)) {
      this.again.set(key, write);
      return;
    }
    this.pending.delete(key); // keep FIFO position fair: a re-enqueued key goes to the back with its new writer
    this.pending.set(key, write);
    this.pump();
  }

  /** Drops a waiting write (the object is gone). An in-flight write finishes. */
  cancel(key: string): void {
    this.pending.delete(key);
    this.again.delete(key);
  }

  get size(): number {
    return this.pending.size + this.active;
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops waiting writes and takes no new ones; resolves when the writes in flight have settled. */
  stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    this.again.clear();
    return this.idle();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.pending.size) {
      const [key, write] = this.pending.entries().next().value as [string, WriteFn];
      this.pending.delete(key);
      this.run(key, write);
    }
    if (this.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private run(key: string, write: WriteFn): void {
    this.active++;
    this.inFlight.add(key);
    write()
      .catch((err) => this.onError(key, err))
      .finally(() => {
        this.active--;
        this.inFlight.delete(key);
        const next = this.again.get(key);
        if (next && !this.stopped) {
          this.again.delete(key);
          this.pending.set(key, next);
        }
        this.pump();
      });
  }
}
