/**
 * Controller expectations (upstream controller.ControllerExpectations), reduced to what the DaemonSet controller
 * needs: pods it has created or deleted whose informer events have not arrived yet. While a set has unmet
 * expectations its sync must not act on the (stale) cache, only report status. Expectations older than the
 * TTL (5 minutes, as upstream) are considered met, so a lost event cannot wedge a set.
 */
const TTL_MS = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: Set<string>;
  since: number;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly now: () => number) {}

  private entry(key: string): Pending {
    let e = this.pending.get(key);
    if (!e) {
      e = { adds: 0, deletes: new Set(), since: this.now() };
      this.pending.set(key, e);
    }
    return e;
  }

  expectCreations(key: string, n: number): void {
    if (n <= 0) return;
    const e = this.entry(key);
    e.adds += n;
    e.since = this.now();
  }

  expectDeletion(key: string, uid: string): void {
    const e = this.entry(key);
    e.deletes.add(uid);
    e.since = this.now();
  }

  /** A creation was observed (or failed and will never be). */
  creationObserved(key: string): void {
    const e = this.pending.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  deletionObserved(key: string, uid: string): void {
    this.pending.get(key)?.deletes.delete(uid);
  }

  satisfied(key: string): boolean {
    const e = this.pending.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes.size === 0) || this.now() - e.since > TTL_MS) {
      this.pending.delete(key);
      return true;
    }
    return false;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}
