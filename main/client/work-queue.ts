/**
 * WorkQueue<K>: client-go's rate-limited work queue (workqueue.TypedRateLimitingInterface).
 *
 * Contract:
 * - add(key) deduplicates: a key waiting in the queue is queued once. A key being processed (handed out by get()
 *   and not yet done()) is never handed to a second worker; re-adding it marks it dirty and it is re-queued when
 *   done(key) is called.
 * - addAfter(key, ms) adds later; of several pending delays for one key the earliest wins.
 * - addRateLimited(key) = addAfter(key, limiter.when(key)). The default limiter is client-go's default controller
 *   rate limiter: the max of a per-item exponential backoff (5 ms · 2^failures, capped at 1000 s) and an overall
 *   token bucket (10 qps, burst 100) that only throttles retries. forget(key) resets the item's failures;
 *   numRequeues(key) reports them.
 * - get() resolves with the next key in FIFO order, waiting if the queue is empty; after shutdown() it resolves
 *   undefined (pending and delayed keys are dropped, waiting getters are released).
 */

export interface RateLimiterOptions {
  /** Per-item backoff base (default 5 ms) and cap (default 1000 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Overall retry token bucket; qps 0 disables it (default 10 qps, burst 100). */
  qps?: number;
  burst?: number;
}

/** client-go's MaxOf(ItemExponentialFailureRateLimiter, BucketRateLimiter). */
export class DefaultRateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly base: number;
  private readonly max: number;
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  /** When the bucket's next reservation is due (ms since epoch); reservations queue up like x/time/rate. */
  private last = Date.now();

  constructor(opts: RateLimiterOptions = {}, private readonly now: () => number = Date.now) {
    this.base = opts.baseDelayMs ?? 5;
    this.max = opts.maxDelayMs ?? 1_000_000;
    this.qps = opts.qps ?? 10;
    this.burst = opts.burst ?? 100;
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** The delay before `key` may be retried; counts one more failure. */
  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const exp = Math.min(this.max, this.base * 2 ** Math.min(n, 60));
    return Math.max(exp, this.reserve());
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  /** Takes one token, returning how long the caller must wait for it. */
  private reserve(): number {
    if (this.qps <= 0) return 0;
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }
}

export class WorkQueue<K = string> {
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((k: K | undefined) => void)[] = [];
  private readonly delayed = new Map<K, { at: number; timer: NodeJS.Timeout }>();
  private shuttingDown = false;
  readonly limiter: DefaultRateLimiter<K>;

  constructor(opts: RateLimiterOptions = {}) {
    this.limiter = new DefaultRateLimiter<K>(opts);
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending) {
      if (pending.at <= at) return;
      clearTimeout(pending.timer);
    }
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: K): void {
    this.limiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.limiter.numRequeues(key);
  }

  /** Keys waiting to be handed out (not counting delayed or in-process keys). */
  len(): number {
    return this.queue.length - this.head;
  }

  get(): Promise<K | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    if (this.head < this.queue.length) {
      const key = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; if it was re-added meanwhile it goes back into the queue. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key) && !this.shuttingDown) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  shutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const d of this.delayed.values()) clearTimeout(d.timer);
    this.delayed.clear();
    this.queue = [];
    this.head = 0;
    this.dirty.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }
}

export interface RunWorkersOptions<K> {
  /** Give up on a key after this many consecutive failures (default: retry forever, as most controllers). */
  maxRetries?: number;
  /** Called for each failure (default: console.error). */
  onError?: (key: K, err: unknown, requeues: number) => void;
}

/**
 * Runs `n` workers: each takes a key, runs `sync(key)`, forgets the key on success, and re-adds it with
 * backoff on failure. The returned stopper shuts the queue down and resolves when in-flight syncs finished.
 */
export function runWorkers<K>(queue: WorkQueue<K>, n: number, sync: (key: K) => Promise<void>, opts: RunWorkersOptions<K> = {}): () => Promise<void> {
  const onError = opts.onError ?? ((key, err) => console.error(`sync ${String(key)} failed: ${err instanceof Error ? err.message : String(err)}`));
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        const requeues = queue.numRequeues(key);
        onError(key, err, requeues);
        if (opts.maxRetries === undefined || requeues < opts.maxRetries) queue.addRateLimited(key);
        else queue.forget(key);
      } finally {
        queue.done(key);
      }
    }
  };
  const workers = Array.from({ length: n }, worker);
  return async () => {
    queue.shutdown();
    await Promise.all(workers);
  };
}
