/**
 * Scheduler metrics for benchmarks and the UI: attempt latency (scheduling cycle, ms) kept as a bounded
 * sample for quantiles, end-to-end (queue → bound) latency, and counters per result.
 */
export class LatencySample {
  private values: number[] = [];
  private seen = 0;
  constructor(private readonly capacity = 200_000, private readonly random: () => number = Math.random) {}

  /** Reservoir sampling keeps quantiles unbiased once the capacity is reached. */
  observe(v: number): void {
    this.seen++;
    if (this.values.length < this.capacity) this.values.push(v);
    else {
      const i = Math.floor(this.random() * this.seen);
      if (i < this.capacity) this.values[i] = v;
    }
  }

  quantile(q: number): number {
    if (this.values.length === 0) return 0;
    const sorted = this.values.slice().sort((a, b) => a - b);
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[idx]!;
  }

  get count(): number {
    return this.seen;
  }

  reset(): void {
    this.values = [];
    this.seen = 0;
  }
}

export class SchedulerMetrics {
  /** Scheduling cycle duration per attempt (ms). */
  readonly attemptLatency = new LatencySample();
  /** First queueing → binding persisted (ms). */
  readonly e2eLatency = new LatencySample();
  scheduled = 0;
  unschedulable = 0;
  errors = 0;
  bindingFailures = 0;
  preemptionAttempts = 0;
  preemptionVictims = 0;
  /** Time (ms) of the last successful bind, for throughput measurement. */
  lastBindAt = 0;

  snapshot(): Record<string, number> {
    return {
      scheduled: this.scheduled,
      unschedulable: this.unschedulable,
      errors: this.errors,
      bindingFailures: this.bindingFailures,
      preemptionAttempts: this.preemptionAttempts,
      preemptionVictims: this.preemptionVictims,
      attempts: this.attemptLatency.count,
      attemptP50Ms: this.attemptLatency.quantile(0.5),
      attemptP99Ms: this.attemptLatency.quantile(0.99),
      e2eP50Ms: this.e2eLatency.quantile(0.5),
      e2eP99Ms: this.e2eLatency.quantile(0.99),
    };
  }
}
