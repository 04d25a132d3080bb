/**
 * An IPv4 CIDR set (upstream pkg/controller/nodeipam/ipam/cidrset): the cluster CIDR cut into subnets of
 * `maskSize` bits. allocateNext() hands out the next free subnet after the last one handed out (round robin, so a
 * released range is not reused at once), occupy() marks a range in use (a node that already has one), release()
 * frees it. Ranges outside the cluster CIDR or of another size are refused with an Error.
 */

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}
const intToIp = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

export function parseIPv4Cidr(cidr: string): { base: number; prefix: number } | undefined {
  const [ip, bits, extra] = cidr.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,2}$/.test(bits)) return undefined;
  const base = ipToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), prefix };
}

export class CidrSet {
  private readonly base: number;
  private readonly subnetSize: number;
  readonly maxSubnets: number;
  private readonly used = new Set<number>();
  private nextCandidate = 0;

  constructor(clusterCIDR: string, readonly maskSize: number) {
    const parsed = parseIPv4Cidr(clusterCIDR);
    if (!parsed) throw new Error(`invalid IPv4 cluster CIDR ${JSON.stringify(clusterCIDR)}`);
    if (maskSize < parsed.prefix || maskSize > 32) throw new Error(`node CIDR mask size ${maskSize} does not fit cluster CIDR ${clusterCIDR}`);
    if (maskSize - parsed.prefix > 16) throw new Error('CIDRSet: subnet mask size is too big compared to the cluster CIDR mask size');
    this.base = parsed.base;
    this.subnetSize = 2 ** (32 - maskSize);
    this.maxSubnets = 2 ** (maskSize - parsed.prefix);
  }

  get allocated(): number {
    return this.used.size;
  }

  allocateNext(): string | undefined {
    for (let i = 0; i < this.maxSubnets; i++) {
      const candidate = (this.nextCandidate + i) % this.maxSubnets;
      if (this.used.has(candidate)) continue;
      this.used.add(candidate);
      this.nextCandidate = (candidate + 1) % this.maxSubnets;
      return `${intToIp(this.base + candidate * this.subnetSize)}/${this.maskSize}`;
    }
    return undefined;
  }

  occupy(cidr: string): void {
    this.used.add(this.index(cidr));
  }

  release(cidr: string): void {
    this.used.delete(this.index(cidr));
  }

  /** The subnet index of `cidr`, or an Error when it is not one of this set's subnets. */
  private index(cidr: string): number {
    const parsed = parseIPv4Cidr(cidr);
    if (!parsed || parsed.prefix !== this.maskSize) throw new Error(`CIDR ${cidr} is not a /${this.maskSize} subnet`);
    const offset = parsed.base - this.base;
    if (offset < 0 || offset >= this.maxSubnets * this.subnetSize) throw new Error(`CIDR ${cidr} is outside the cluster CIDR`);
    return offset / this.subnetSize;
  }
}
