/**
 * Guards the EndpointSlice controller against its own stale cache (upstream's endpointSliceTracker): after it
 * writes slices for a service it remembers the generation each slice must reach in the informer (or that a slice
 * must disappear); until the cache shows all of that, a sync of the service would act on old data — e.g. create
 * a second slice for endpoints already placed in one just created — so it is postponed instead.
 */
import type { EndpointSlice } from '../../api/discovery.k8s.io/v1/endpoint-slice.js';

export class SliceTracker {
  /** service key → slice name → expected generation (0 = must be gone). */
  private readonly expected = new Map<string, Map<string, number>>();

  wrote(serviceKey: string, slice: EndpointSlice): void {
    this.entry(serviceKey).set(slice.metadata.name ?? '', slice.metadata.generation ?? 1);
  }

  deleted(serviceKey: string, sliceName: string): void {
    this.entry(serviceKey).set(sliceName, 0);
  }

  forget(serviceKey: string): void {
    this.expected.delete(serviceKey);
  }

  /** True when every expectation for the service is met by `cached` (the informer's slices by name). */
  upToDate(serviceKey: string, cached: (name: string) => EndpointSlice | undefined): boolean {
    const e = this.expected.get(serviceKey);
    if (!e) return true;
    for (const [name, generation] of e) {
      const s = cached(name);
      const met = generation === 0 ? !s : !!s && (s.metadata.generation ?? 1) >= generation;
      if (!met) return false;
      e.delete(name);
    }
    if (e.size === 0) this.expected.delete(serviceKey);
    return true;
  }

  private entry(serviceKey: string): Map<string, number> {
    let e = this.expected.get(serviceKey);
    if (!e) this.expected.set(serviceKey, (e = new Map()));
    return e;
  }
}
