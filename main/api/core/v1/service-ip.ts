/**
 * IP address and CIDR parsing for Service, Endpoints and Node validation. main/api must stay free of
 * node: modules, so this is a small parser with Go's netutils "sloppy" acceptance (IPv4 octets may carry
 * leading zeros) and the classifications validation needs (unspecified, loopback, link-local).
 */

export type IPFamily = 'IPv4' | 'IPv6';

export interface ParsedIP {
  family: IPFamily;
  /** 4 or 16 bytes. */
  bytes: number[];
}

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | undefined {
  if (s.includes('%')) return undefined; // zones are not allowed
  let tail: number[] = [];
  let text = s;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.') && lastColon >= 0) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  let all: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return undefined;
    all = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    if (head.length !== 8) return undefined;
    all = head;
  }
  const bytes: number[] = [];
  for (const g of all) bytes.push(g >> 8, g & 0xff);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Parses an IPv4 or IPv6 address; undefined when it is neither. */
export function parseIP(s: string): ParsedIP | undefined {
  if (typeof s !== 'string' || s.length === 0) return undefined;
  if (s.includes(':')) {
    const b = parseV6(s);
    return b ? { family: 'IPv6', bytes: b } : undefined;
  }
  const b = parseV4(s);
  return b ? { family: 'IPv4', bytes: b } : undefined;
}

/** Parses "a.b.c.d/n" or "x::/n"; undefined when invalid. */
export function parseCIDR(s: string): { ip: ParsedIP; prefix: number } | undefined {
  const i = typeof s === 'string' ? s.indexOf('/') : -1;
  if (i < 0) return undefined;
  const ip = parseIP(s.slice(0, i));
  const p = s.slice(i + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > (ip.family === 'IPv4' ? 32 : 128)) return undefined;
  return { ip, prefix };
}

/** Bytes of an IPv4-mapped IPv6 address collapse to IPv4 for classification, as Go's net.IP does. */
function v4view(ip: ParsedIP): number[] | undefined {
  if (ip.family === 'IPv4') return ip.bytes;
  const b = ip.bytes;
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  return undefined;
}

export function isUnspecified(ip: ParsedIP): boolean {
  return ip.bytes.every((x) => x === 0);
}
export function isLoopback(ip: ParsedIP): boolean {
  const v4 = v4view(ip);
  if (v4) return v4[0] === 127;
  return ip.bytes.slice(0, 15).every((x) => x === 0) && ip.bytes[15] === 1;
}
export function isLinkLocalUnicast(ip: ParsedIP): boolean {
  const v4 = v4view(ip);
  if (v4) return v4[0] === 169 && v4[1] === 254;
  return ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80;
}
export function isLinkLocalMulticast(ip: ParsedIP): boolean {
  const v4 = v4view(ip);
  if (v4) return v4[0] === 224 && v4[1] === 0 && v4[2] === 0;
  return ip.bytes[0] === 0xff && (ip.bytes[1]! & 0x0f) === 0x02;
}

export const IP_FORMAT_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const CIDR_FORMAT_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/**
 * Problems with an address used as an endpoint or external IP: addresses that cannot route to a
 * workload (unspecified, loopback, link-local) are refused.
 */
export function nonSpecialIPProblems(s: string): string[] {
  const ip = parseIP(s);
  if (!ip) return ['must be a valid IP address'];
  const out: string[] = [];
  if (isUnspecified(ip)) out.push(`may not be unspecified (${s})`);
  if (isLoopback(ip)) out.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  if (isLinkLocalUnicast(ip)) out.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  if (isLinkLocalMulticast(ip)) out.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  return out;
}
