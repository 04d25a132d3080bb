/**
 * Allocates Service ClusterIPs from an IPv4 CIDR (default 10.96.0.0/12; 10.96.0.1 is the `kubernetes`
 * Service). State is rebuilt from stored Services at start; allocation is in-memory and committed by the
 * Service write (released again when the write fails).
 */

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

const intToIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(readonly cidr = '10.96.0.0/12') {
    const [ip, bits] = cidr.split('/');
    const base = ipToInt(ip ?? '');
    const prefix = Number(bits);
    if (base === undefined || !(prefix >= 8 && prefix <= 30)) throw new Error(`invalid service CIDR ${cidr}`);
    this.size = 2 ** (32 - prefix);
    this.base = base - (base % this.size);
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && n > this.base && n < this.base + this.size - 1;
  }

  isAllocated(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && this.used.has(n);
  }

  /** Marks a specific IP as used; returns an error text as upstream words it, or undefined. */
  allocate(ip: string): string | undefined {
    const n = ipToInt(ip);
    if (n === undefined) return `failed to allocate IP ${ip}: the provided IP (${ip}) is not a valid IP`;
    if (!this.contains(ip)) return `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`;
    if (this.used.has(n)) return `failed to allocate IP ${ip}: provided IP is already allocated`;
    this.used.add(n);
    return undefined;
  }

  /** Picks a free IP (first free after the previous pick, wrapping); undefined when the range is full. */
  allocateNext(): string | undefined {
    const usable = this.size - 2;
    for (let i = 0; i < usable; i++) {
      const offset = 1 + ((this.next + i) % usable);
      const n = this.base + offset;
      if (!this.used.has(n)) {
        this.used.add(n);
        this.next = offset;
        return intToIp(n);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.used.delete(n);
  }
}
