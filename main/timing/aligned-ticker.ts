/**
 * Periodic work on one wall-clock grid. A ticker with period P fires at the instants that are whole multiples of
 * P since the epoch — in every thread and component alike — so the control plane's periodic loops (node health
 * monitoring, garbage-collector discovery, pod GC, resyncs, watch bookmarks, simulated heartbeats) wake together
 * instead of each at its own phase. On an idle host every wake-up has a fixed cost (caches, clocks and CPU
 * frequency must spin up again) far above the little work it does; wake-ups that coincide pay it once.
 * Periods that divide each other (1 s, 5 s, 10 s, 30 s, 60 s) share their instants.
 */
export interface Ticker {
  stop(): void;
}

/** The first grid instant of `periodMs` strictly after `after`. */
export const nextGridInstant = (after: number, periodMs: number): number => (Math.floor(after / periodMs) + 1) * periodMs;

/**
 * Calls `fn` at every multiple of `periodMs` (wall clock) until stopped. The timer never keeps the process
 * alive. A tick is never delivered twice for one instant, even if a timer fires a little early.
 */
export function everyAligned(periodMs: number, fn: () => void, now: () => number = Date.now): Ticker {
  if (!(periodMs > 0)) throw new Error(`everyAligned: period must be positive, got ${periodMs}`);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let target = nextGridInstant(now(), periodMs);
  const arm = () => {
    timer = setTimeout(() => {
      if (stopped) return;
      target = nextGridInstant(Math.max(now(), target), periodMs);
      arm();
      fn();
    }, Math.max(0, target - now()));
    timer.unref();
  };
  arm();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
