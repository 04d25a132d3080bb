/** Pods and Services for the endpoints/EndpointSlice controller tests (no scheduler or nodes: status set by hand). */
import type { Pod } from '../../../main/api/core/v1/pod-types.js';
import type { Service } from '../../../main/api/core/v1/service-types.js';
import { PODS, SERVICES, type KubeClient } from '../../../main/client/kube-client.js';

export interface PodSpecOpts {
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
  restartPolicy?: string;
  nodeName?: string;
}

export async function createPod(admin: KubeClient, name: string, o: PodSpecOpts = {}): Promise<Pod> {
  return admin.create<Pod>(PODS, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: o.labels ?? { app: 'web' } },
    spec: {
      containers: [{ name: 'c', image: 'nginx', ports: o.ports ?? [{ name: 'http', containerPort: 8080 }] }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    },
  });
}

/** Sets the pod running with `ip`, Ready as given (what a kubelet would report). */
export async function setPodStatus(admin: KubeClient, name: string, ip: string, ready: boolean, phase = 'Running'): Promise<Pod> {
  const pod = await admin.get<Pod>(PODS, 'default', name);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  pod.status = {
    phase,
    podIP: ip,
    podIPs: [{ ip }],
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now, lastProbeTime: null }],
  };
  return admin.update<Pod>(PODS, 'default', pod, { subresource: 'status' });
}

export async function createService(admin: KubeClient, name: string, spec: Service['spec'], labels?: Record<string, string>): Promise<Service> {
  return admin.create<Service>(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(labels ? { labels } : {}) }, spec });
}
