/**
 * Many deadlines on one clock timer: a min-heap of (time, item) entries, of which only the earliest has a
 * timer armed. The pod runner keeps one deadline per pod (sandbox ready, container exit, restart, end of the
 * grace period); a Node.js Timeout plus the closures around it costs ~400 bytes per pod, an entry here ~50.
 *
 * Contract: `fire(item)` is called once per entry whose time has come (clock.now() >= at), in time order (ties
 * in insertion order), never synchronously inside add(). Cancelling is lazy (the entry is skipped when it comes
 * up); the heap is compacted when more than half of it is cancelled, so cancelled far-future deadlines do not
 * pile up.
 */
import type { Clock, TimerHandle } from './clock.js';

export interface DueEntry<T> {
  readonly at: number;
  readonly item: T;
  readonly seq: number;
  state: 'queued' | 'cancelled' | 'done';
}

export class DueQueue<T> {
  private heap: DueEntry<T>[] = [];
  private seq = 0;
  private cancelledCount = 0;
  private timer?: TimerHandle;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly clock: Clock, private readonly fire: (item: T) => void) {}

  get size(): number {
    return this.heap.length - this.cancelledCount;
  }

  add(at: number, item: T): DueEntry<T> {
    const e: DueEntry<T> = { at, item, seq: this.seq++, state: 'queued' };
    if (this.stopped) return e;
    this.heap.push(e);
    this.up(this.heap.length - 1);
    this.arm();
    return e;
  }

  cancel(e: DueEntry<T> | undefined): void {
    if (!e || e.state !== 'queued') return;
    e.state = 'cancelled';
    this.cancelledCount++;
    if (this.cancelledCount > 64 && this.cancelledCount * 2 > this.heap.length) this.compact();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.heap = [];
    this.cancelledCount = 0;
  }

  private arm(): void {
    const top = this.heap[0];
    if (!top || top.at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = top.at;
    this.timer = this.clock.after(top.at - this.clock.now(), () => this.run());
  }

  private run(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (!this.stopped && this.heap.length && this.heap[0]!.at <= now) {
      const e = this.pop();
      if (e.state === 'cancelled') {
        this.cancelledCount--;
        continue;
      }
      e.state = 'done';
      this.fire(e.item);
    }
    if (!this.stopped) this.arm();
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => e.state === 'queued');
    this.cancelledCount = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private pop(): DueEntry<T> {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: DueEntry<T>, b: DueEntry<T>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
