/**
 * Time as a dependency (ARCHITECTURE.md §8.3): the simulated kubelet's delays, heartbeats and backoffs read the
 * clock and arm timers only through this interface, so tests drive them with a fake clock.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds (timers never keep the process alive). */
  after(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/** RFC 3339 with second precision, the form of metav1.Time. */
export const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** RFC 3339 with microseconds, the form of metav1.MicroTime (Lease renewTime). */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
