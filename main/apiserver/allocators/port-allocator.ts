/** Allocates Service NodePorts from a range (default 30000-32767), rebuilt from stored Services at start. */
export class PortAllocator {
  private readonly used = new Set<number>();
  private cursor: number;

  constructor(readonly min = 30000, readonly max = 32767) {
    this.cursor = min + Math.floor(Math.random() * (max - min + 1));
  }

  get range(): string {
    return `${this.min}-${this.max}`;
  }

  /** Marks a port used; returns upstream's error text or undefined. */
  allocate(port: number): string | undefined {
    if (port < this.min || port > this.max)
      return `provided port is not in the valid range. The range of valid ports is ${this.range}`;
    if (this.used.has(port)) return 'provided port is already allocated';
    this.used.add(port);
    return undefined;
  }

  allocateNext(): number | undefined {
    const span = this.max - this.min + 1;
    for (let i = 0; i < span; i++) {
      const p = this.min + ((this.cursor - this.min + i) % span);
      if (!this.used.has(p)) {
        this.used.add(p);
        this.cursor = p + 1 > this.max ? this.min : p + 1;
        return p;
      }
    }
    return undefined;
  }

  release(port: number): void {
    this.used.delete(port);
  }
}
