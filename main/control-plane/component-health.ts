/**
 * Health of the control-plane components, the source of `kubectl get componentstatuses` (scheduler,
 * controller-manager, etcd-0). Components register a probe when they start; one that never registered is
 * reported Unhealthy because it is not running.
 */
import type { KObject } from '../api/meta/object.js';

export type HealthProbe = () => { healthy: boolean; message: string; error?: string };

export class ComponentHealth {
  private readonly probes = new Map<string, HealthProbe>();

  constructor(private readonly expected: string[] = ['scheduler', 'controller-manager', 'etcd-0']) {}

  register(name: string, probe: HealthProbe): () => void {
    this.probes.set(name, probe);
    return () => this.probes.delete(name);
  }

  /** ComponentStatus objects, in upstream's order (scheduler, controller-manager, etcd-0). */
  statuses(): KObject[] {
    const names = [...new Set([...this.expected, ...this.probes.keys()])];
    return names.map((name) => {
      const probe = this.probes.get(name);
      const r = probe ? safe(probe) : { healthy: false, message: '', error: `${name} is not running in this control plane` };
      const condition: Record<string, string> = { type: 'Healthy', status: r.healthy ? 'True' : 'False', message: r.message };
      if (r.error) condition.error = r.error;
      return { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, conditions: [condition] };
    });
  }
}

function safe(p: HealthProbe): ReturnType<HealthProbe> {
  try {
    return p();
  } catch (err) {
    return { healthy: false, message: '', error: String(err) };
  }
}
