/**
 * V8 flags the control plane's process is meant to run with (`npm run serve` passes them; the Electron shell
 * passes them as js-flags; benchmarks re-run themselves with them).
 *
 * --max-semi-space-size=2: V8's young generation otherwise grows to 16 MB semi-spaces when most new objects
 * survive — a store that retains every created object — and each scavenge then pauses ~6-10 ms, breaking the
 * store's 5 ms p99. 1 MB keeps pauses shortest but scavenges so often that the API thread spends ~40% of a
 * scheduling burst in GC; 2 MB keeps write p99 under 4.5 ms at 100k objects and scheduling above 2,000 pods/s.
 * Component worker threads set their own, roomier young generation (control-plane.ts).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
