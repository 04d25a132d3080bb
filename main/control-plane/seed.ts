/**
 * What a fresh cluster contains, as upstream's bootstrap controllers create it: the system namespaces, the
 * `kubernetes` Service with its Endpoints and EndpointSlice pointing at this API server, the two system
 * PriorityClasses, the cluster-admin ClusterRole bound to system:masters, and the default StorageClass `standard`
 * (provisioner pilothouse.dev/hostpath, served by the persistentvolume-binder controller). Idempotent: runs on every start
 * and only creates what is missing (the Endpoints follow the current port).
 */
import { networkInterfaces } from 'node:os';
import type { KObject } from '../api/meta/object.js';
import { SYSTEM_PRIORITY_CLASSES } from '../api/index-groups.js';
import type { ApiServer } from '../apiserver/api-server.js';
import { LOOPBACK_USER } from '../apiserver/authn/user-info.js';
import { ApiError } from '../apiserver/http/api-error.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

/**
 * The default StorageClass, named as kind names its own. Immediate binding (kind uses WaitForFirstConsumer): the
 * scheduler does no volume binding (no volume.kubernetes.io/selected-node), and the hostPath volumes made for it
 * have no node affinity, so waiting for a consumer would only leave claims Pending.
 */
export const DEFAULT_STORAGE_CLASS: KObject = {
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'pilothouse.dev/hostpath', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', allowVolumeExpansion: false,
};

const opts = { user: LOOPBACK_USER, fieldManager: 'kube-apiserver' };

async function ensure(server: ApiServer, group: string, plural: string, obj: KObject): Promise<void> {
  const storage = server.storageForResource(group, plural);
  const ns = obj.metadata.namespace ?? '';
  if (await storage.getEntry(ns, obj.metadata.name!)) return;
  try {
    await storage.create(ns, obj, opts);
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
  }
}

async function upsert(server: ApiServer, group: string, plural: string, obj: KObject): Promise<void> {
  const storage = server.storageForResource(group, plural);
  const ns = obj.metadata.namespace ?? '';
  if (!(await storage.getEntry(ns, obj.metadata.name!))) return ensure(server, group, plural, obj);
  await storage.update(ns, obj.metadata.name!, (current) => ({ ...obj, metadata: { ...current.metadata, labels: obj.metadata.labels } }), opts);
}

/**
 * The address the `kubernetes` Endpoints advertise: the first non-loopback IPv4 address of this machine
 * (upstream rejects loopback endpoints), or undefined when there is none.
 */
export function advertiseAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

export async function seedCluster(server: ApiServer, apiPort: number, apiAddress = advertiseAddress()): Promise<void> {
  for (const name of SYSTEM_NAMESPACES)
    await ensure(server, '', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  for (const pc of SYSTEM_PRIORITY_CLASSES)
    await ensure(server, 'scheduling.k8s.io', 'priorityclasses', JSON.parse(JSON.stringify(pc)) as KObject);
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(server, '', 'services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }], sessionAffinity: 'None' },
  });
  if (apiAddress) await seedEndpoints(server, apiPort, apiAddress);
  await ensure(server, 'storage.k8s.io', 'storageclasses', structuredClone(DEFAULT_STORAGE_CLASS));
  await ensure(server, 'rbac.authorization.k8s.io', 'clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
    metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }],
  });
  await ensure(server, 'rbac.authorization.k8s.io', 'clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
    metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  });
}

async function seedEndpoints(server: ApiServer, apiPort: number, apiAddress: string): Promise<void> {
  await upsert(server, '', 'endpoints', {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: apiAddress }], ports: [{ name: 'https', port: apiPort, protocol: 'TCP' }] }],
  });
  await upsert(server, 'discovery.k8s.io', 'endpointslices', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'kube-apiserver' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [apiAddress], conditions: { ready: true } }],
    ports: [{ name: 'https', port: apiPort, protocol: 'TCP' }],
  });
}
