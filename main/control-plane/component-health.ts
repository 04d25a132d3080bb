/**
 * Health of the control-plane components, the source of `kubectl get componentstatuses` (scheduler,
 * controller-manager, etcd-0). Components register a probe when they start; one that never registered is
 * reported Unhealthy because it is not running.
 */
import type { KObject } from '../api/meta/object.js';

export interface HealthResult {
  healthy: boolean;
  message: string;
  error?: string;
}

/** Probed on every read of componentstatuses, as kube-apiserver probes each component then. */
export type HealthProbe = () => HealthResult | Promise<HealthResult>;

export class ComponentHealth {
  private readonly probes = new Map<string, HealthProbe>();

  constructor(private readonly expected: string[] = ['scheduler', 'controller-manager', 'etcd-0']) {}

  register(name: string, probe: HealthProbe): () => void {
    this.probes.set(name, probe);
    return () => this.probes.delete(name);
  }

  /** ComponentStatus objects, in upstream's order (scheduler, controller-manager, etcd-0). */
  async statuses(): Promise<KObject[]> {
    const names = [...new Set([...this.expected, ...this.probes.keys()])];
    const results = await Promise.all(names.map((name) => {
      const probe = this.probes.get(name);
      return probe ? safe(probe) : { healthy: false, message: '', error: `${name} is not running in this control plane` };
    }));
    return names.map((name, i) => {
      const r = results[i]!;
      const condition: Record<string, string> = { type: 'Healthy', status: r.healthy ? 'True' : 'False', message: r.message };
      if (r.error) condition.error = r.error;
      return { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name, creationTimestamp: null }, conditions: [condition] };
    });
  }
}

async function safe(p: HealthProbe): Promise<HealthResult> {
  try {
    return await p();
  } catch (err) {
    return { healthy: false, message: '', error: String(err) };
  }
}
