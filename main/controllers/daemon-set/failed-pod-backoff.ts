/**
 * Backoff for killing failed daemon pods (upstream failedPodsBackoff: 1 s doubling to 15 min per DaemonSet and
 * node), so a DaemonSet does not hot-loop against a kubelet that keeps rejecting its pod. An entry idle for twice
 * the maximum is forgotten (upstream's GC of the backoff table).
 */
const INITIAL_MS = 1000;
const MAX_MS = 15 * 60 * 1000;

export class FailedPodBackoff {
  private readonly entries = new Map<string, { delay: number; last: number }>();

  constructor(private readonly now: () => number) {}

  /** ms until the failed pod on this (set, node) may be killed again; 0 when it may be now. */
  remaining(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const t = this.now();
    if (t - e.last > 2 * MAX_MS) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, e.last + e.delay - t);
  }

  /** Records a kill now: the next one waits 1 s, then 2 s, 4 s, ... up to 15 min. */
  next(key: string): void {
    const e = this.entries.get(key);
    const t = this.now();
    if (!e || t - e.last > 2 * MAX_MS) this.entries.set(key, { delay: INITIAL_MS, last: t });
    else this.entries.set(key, { delay: Math.min(MAX_MS, e.delay * 2), last: t });
  }
}
