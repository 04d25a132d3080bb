/**
 * Address bookkeeping of simulated nodes, IPv4 only:
 *  - pod CIDRs: one /24 per node, from 10.244.0.0/16 first (what kind and flannel use), then — so 5,000-node labs
 *    still get unique ranges — the rest of 10.0.0.0/8 upwards and wrapping, skipping 10.96.0.0/12 (Service IPs);
 *  - node InternalIPs: 172.18.0.2 upwards (a docker-style bridge network, outside every pod and Service range);
 *  - pod IPs: per node, from .2 of its pod CIDR (.1 is the bridge), lowest free first, released on termination.
 * Allocation is lowest-free, so numbering is stable and reused ranges are predictable in labs.
 */

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export const intToIp = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function parseCidr(cidr: string): { base: number; size: number } | undefined {
  const [ip, bits] = cidr.split('/');
  const base = ipToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

/** Lowest-free allocator over the integers [0, size). */
export class IndexPool {
  private readonly used = new Set<number>();
  private cursor = 0;

  constructor(readonly size: number) {}

  allocate(): number | undefined {
    while (this.cursor < this.size && this.used.has(this.cursor)) this.cursor++;
    if (this.cursor >= this.size) return undefined;
    this.used.add(this.cursor);
    return this.cursor++;
  }

  reserve(i: number): void {
    if (i >= 0 && i < this.size) this.used.add(i);
  }

  release(i: number): void {
    if (this.used.delete(i) && i < this.cursor) this.cursor = i;
  }

  has(i: number): boolean {
    return this.used.has(i);
  }

  get count(): number {
    return this.used.size;
  }
}

/** The /24 candidates in allocation order, as values of the second and third octets (second << 8 | third). */
const POD_CIDR_ORDER: number[] = (() => {
  const order: number[] = [];
  const usable = (second: number) => second < 96 || second > 111;
  for (let n = 244 << 8; n < 256 << 8; n++) order.push(n);
  for (let n = 0; n < 244 << 8; n++) if (usable(n >> 8)) order.push(n);
  return order;
})();
const POD_CIDR_POSITION = new Map(POD_CIDR_ORDER.map((n, i) => [n, i]));

export class PodCidrPool {
  private readonly pool = new IndexPool(POD_CIDR_ORDER.length);

  allocate(): string | undefined {
    const i = this.pool.allocate();
    if (i === undefined) return undefined;
    const n = POD_CIDR_ORDER[i]!;
    return `10.${n >> 8}.${n & 255}.0/24`;
  }

  /** Marks a CIDR already in use (by an existing Node, simulated or real); CIDRs outside the pool are ignored. */
  reserve(cidr: string): void {
    const i = this.position(cidr);
    if (i !== undefined) this.pool.reserve(i);
  }

  release(cidr: string): void {
    const i = this.position(cidr);
    if (i !== undefined) this.pool.release(i);
  }

  private position(cidr: string): number | undefined {
    const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr);
    return m ? POD_CIDR_POSITION.get((Number(m[1]) << 8) | Number(m[2])) : undefined;
  }
}

const NODE_IP_BASE = ipToInt('172.18.0.2')!;
const NODE_IP_COUNT = 65_533; // 172.18.0.2 .. 172.18.255.254

export class NodeIpPool {
  private readonly pool = new IndexPool(NODE_IP_COUNT);

  allocate(): string | undefined {
    const i = this.pool.allocate();
    return i === undefined ? undefined : intToIp(NODE_IP_BASE + i);
  }

  reserve(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.pool.reserve(n - NODE_IP_BASE);
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.pool.release(n - NODE_IP_BASE);
  }
}

/** Pod IPs of one node's pod CIDR: host offsets 2 .. size-2 (network, bridge and broadcast addresses excluded). */
export class PodIpPool {
  private readonly pool: IndexPool;
  private readonly base: number;

  constructor(cidr: string) {
    const parsed = parseCidr(cidr);
    this.base = parsed ? parsed.base + 2 : 0;
    this.pool = new IndexPool(parsed && parsed.size > 4 ? Math.min(parsed.size - 3, 65_536) : 0);
  }

  allocate(): string | undefined {
    const i = this.pool.allocate();
    return i === undefined ? undefined : intToIp(this.base + i);
  }

  reserve(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.pool.reserve(n - this.base);
  }

  release(ip: string): void {
    const n = ipToInt(ip);
    if (n !== undefined) this.pool.release(n - this.base);
  }

  get count(): number {
    return this.pool.count;
  }
}
