/**
 * Host ports in use on a node (framework.HostPortInfo): ip → set of "protocol/port". The wildcard IP
 * 0.0.0.0 conflicts with every IP on the same protocol/port, and every IP conflicts with it.
 */
import type { ContainerPort, Pod } from '../../api/core/v1/pod-types.js';

export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

function sanitize(ip: string | undefined, protocol: string | undefined): [string, string] {
  return [ip || DEFAULT_BIND_ALL_HOST_IP, protocol || 'TCP'];
}

export class HostPortInfo {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    const [i, p] = sanitize(ip, protocol);
    let m = this.byIp.get(i);
    if (!m) this.byIp.set(i, (m = new Map()));
    const k = `${p}/${port}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    const [i, p] = sanitize(ip, protocol);
    const m = this.byIp.get(i);
    if (!m) return;
    const k = `${p}/${port}`;
    const n = (m.get(k) ?? 0) - 1;
    if (n > 0) m.set(k, n);
    else m.delete(k);
    if (m.size === 0) this.byIp.delete(i);
  }

  /** Whether (ip, protocol, port) conflicts with a port in use (HostPortInfo.CheckConflict). */
  checkConflict(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (port <= 0) return false;
    const [i, p] = sanitize(ip, protocol);
    const k = `${p}/${port}`;
    if (i === DEFAULT_BIND_ALL_HOST_IP) {
      for (const m of this.byIp.values()) if (m.has(k)) return true;
      return false;
    }
    return !!(this.byIp.get(i)?.has(k) || this.byIp.get(DEFAULT_BIND_ALL_HOST_IP)?.has(k));
  }

  get size(): number {
    let n = 0;
    for (const m of this.byIp.values()) n += m.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIp) c.byIp.set(ip, new Map(m));
    return c;
  }
}

/** Host ports a pod asks for (containers and init containers with hostPort > 0). */
export function podHostPorts(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  }
  return out;
}
