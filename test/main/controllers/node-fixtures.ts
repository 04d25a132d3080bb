/** Nodes and Leases for the node controllers' tests: a hand-driven "kubelet" (no simulated nodes in the fixture). */
import type { Lease } from '../../../main/api/coordination.k8s.io/v1/lease.js';
import type { Node } from '../../../main/api/core/v1/node.js';
import type { Pod, Toleration } from '../../../main/api/core/v1/pod-types.js';
import { LEASES, NODES, PODS, type KubeClient } from '../../../main/client/kube-client.js';

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const micro = () => new Date().toISOString().replace('Z', '000Z');

export function readyConditions(ready: 'True' | 'False') {
  const t = stamp();
  return ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((type) => ({
    type,
    status: type === 'Ready' ? ready : 'False',
    reason: type === 'Ready' ? (ready === 'True' ? 'KubeletReady' : 'KubeletNotReady') : 'KubeletHasSufficientMemory',
    message: 'set by the test',
    lastHeartbeatTime: t,
    lastTransitionTime: t,
  }));
}

export async function createNode(admin: KubeClient, name: string, spec: Node['spec'] = {}): Promise<Node> {
  return admin.create<Node>(NODES, '', { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec, status: { conditions: readyConditions('True') } });
}

export async function postReady(admin: KubeClient, name: string, ready: 'True' | 'False'): Promise<void> {
  const node = await admin.get<Node>(NODES, '', name);
  node.status = { ...node.status, conditions: readyConditions(ready) };
  await admin.update(NODES, '', node, { subresource: 'status' });
}

/** Creates or renews the node's Lease in kube-node-lease. */
export async function renewLease(admin: KubeClient, name: string): Promise<void> {
  try {
    const l = await admin.get<Lease>(LEASES, 'kube-node-lease', name);
    await admin.update(LEASES, 'kube-node-lease', { ...l, spec: { ...l.spec, renewTime: micro() } });
  } catch {
    await admin.create<Lease>(LEASES, 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro() },
    });
  }
}

/** A pod bound to `nodeName`, Running and Ready. */
export async function createBoundPod(admin: KubeClient, name: string, nodeName: string, tolerations?: Toleration[]): Promise<Pod> {
  const pod = await admin.create<Pod>(PODS, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
  });
  pod.status = { phase: 'Running', podIP: '10.244.9.9', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stamp(), lastProbeTime: null }] };
  return admin.update<Pod>(PODS, 'default', pod, { subresource: 'status' });
}
