/**
 * Small validators shared by the networking.k8s.io kinds (and reused by other groups in this task):
 * host names with an optional leading wildcard, CIDRs, IP addresses, and domain-prefixed paths.
 * Messages follow apimachinery's util/validation wording.
 */
import { isDNS1123Subdomain } from '../../meta/name-validation.js';

const WILDCARD_DNS1123_SUBDOMAIN_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_RE = new RegExp(`^${WILDCARD_DNS1123_SUBDOMAIN_FMT}$`);

/** `*.example.com` style names (apimachinery IsWildcardDNS1123Subdomain). */
export function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!WILDCARD_RE.test(v))
    errs.push(
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of " +
        "lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character " +
        `(e.g. '*.example.com', regex used for validation is '${WILDCARD_DNS1123_SUBDOMAIN_FMT}')`,
    );
  return errs;
}

/** Host names that may be wildcards (Ingress rules and TLS hosts). */
export function hostErrors(host: string): string[] {
  if (host.includes('*')) return isWildcardDNS1123Subdomain(host);
  return isDNS1123Subdomain(host);
}

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(s: string): boolean {
  return IPV4_RE.test(s);
}

export function isIPv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const dbl = s.split('::');
  if (dbl.length > 2) return false;
  const parts = (p: string) => (p === '' ? [] : p.split(':'));
  let groups = [...parts(dbl[0]!), ...(dbl.length === 2 ? parts(dbl[1]!) : [])];
  let extra = 0;
  const last = groups[groups.length - 1];
  if (last && last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const n = groups.length + extra;
  return dbl.length === 2 ? n < 8 : n === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** "10.0.0.0/8" or "fd00::/64". */
export function isCIDR(s: string): boolean {
  const i = s.indexOf('/');
  if (i < 0) return false;
  const ip = s.slice(0, i);
  const bits = s.slice(i + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (isIPv4(ip)) return n <= 32;
  if (isIPv6(ip)) return n <= 128;
  return false;
}

export const CIDR_DETAIL = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** `example.com/path` (apimachinery IsDomainPrefixedPath): detail messages, [] when valid. */
export function domainPrefixedPathErrors(s: string): string[] {
  if (s.length === 0) return ['Required value'];
  const parts = s.split('/');
  if (parts.length < 2) return ['must be a domain-prefixed path (such as "acme.io/foo")'];
  const host = parts[0]!;
  if (host.length === 0) return ['must be a domain-prefixed path (such as "acme.io/foo")'];
  const errs = isDNS1123Subdomain(host);
  const path = s.slice(host.length);
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(path))
    errs.push("must be a valid path, and may only contain alphanumeric characters, and the following characters: /-._~%!$&'()*+,;=:");
  return errs;
}
