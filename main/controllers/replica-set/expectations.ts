/**
 * Controller expectations (upstream's UIDTrackingControllerExpectations): what a controller is waiting to see in
 * its pod informer after its own creates and deletes, so that a sync started before those watch events arrive does
 * not act twice.
 *
 * Contract:
 * - expectCreations(key, n) / expectDeletions(key, podKeys) replace the record for `key`.
 * - creationObserved(key) lowers the pending adds; deletionObserved(key, podKey) lowers the pending deletes only
 *   for a pod key that was expected (a pod deleted by someone else does not count).
 * - satisfied(key) is true when nothing is recorded, everything was observed, or the record is older than the
 *   TTL (5 minutes, upstream's ExpectationsTimeout: a lost watch event must not stall the controller forever).
 */

export const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Record {
  add: number;
  del: number;
  deleteKeys: Set<string>;
  at: number;
}

export class Expectations {
  private readonly records = new Map<string, Record>();

  constructor(private readonly now: () => number = Date.now) {}

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.now() - r.at > EXPECTATIONS_TTL_MS;
  }

  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, deleteKeys: new Set(), at: this.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    const keys = new Set(podKeys);
    this.records.set(key, { add: 0, del: keys.size, deleteKeys: keys, at: this.now() });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    const r = this.records.get(key);
    if (r?.deleteKeys.delete(podKey)) r.del--;
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  /** Pending (adds, deletes) for `key`; for tests and diagnostics. */
  pending(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r && { add: r.add, del: r.del };
  }
}
