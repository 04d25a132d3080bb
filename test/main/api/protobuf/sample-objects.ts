/**
 * Fully populated sample objects for round-trip tests: every value is either a non-zero non-pointer field or a
 * set pointer field, so encode → decode must give the object back unchanged.
 */
type Obj = Record<string, unknown>;

const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] };

export const container: Obj = {
  name: 'app',
  image: 'registry.example/app:1.0',
  command: ['/bin/app'],
  args: ['--port=8080'],
  workingDir: '/srv',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP', hostPort: 18080, hostIP: '0.0.0.0' }],
  envFrom: [{ prefix: 'CM_', configMapRef: { name: 'cm', optional: true } }, { secretRef: { name: 'sec' } }],
  env: [
    { name: 'PLAIN', value: 'v' },
    { name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } } },
    { name: 'CMK', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: false } } },
    { name: 'SK', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } },
  ],
  resources: {
    limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' },
    claims: [{ name: 'gpu', request: 'one' }],
  },
  resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
  restartPolicy: 'Always',
  volumeMounts: [
    { name: 'data', mountPath: '/data', subPath: 'sub', readOnly: true, recursiveReadOnly: 'IfPossible', mountPropagation: 'None' },
    { name: 'cfg', mountPath: '/cfg', subPathExpr: '$(POD)' },
  ],
  volumeDevices: [{ name: 'blk', devicePath: '/dev/xvda' }],
  livenessProbe: {
    httpGet: { path: '/healthz', port: 'http', host: 'localhost', scheme: 'HTTPS', httpHeaders: [{ name: 'X-A', value: 'b' }] },
    initialDelaySeconds: 5, timeoutSeconds: 2, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    terminationGracePeriodSeconds: 0,
  },
  readinessProbe: { tcpSocket: { port: 8080, host: 'h' }, periodSeconds: 3 },
  startupProbe: { grpc: { port: 9090, service: '' }, failureThreshold: 30 },
  lifecycle: {
    postStart: { exec: { command: ['sh', '-c', 'echo hi'] } },
    preStop: { sleep: { seconds: 5 } },
    stopSignal: 'SIGTERM',
  },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'FallbackToLogsOnError',
  imagePullPolicy: 'IfNotPresent',
  securityContext: {
    capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, privileged: false,
    seLinuxOptions: { user: 'u', role: 'r', type: 't', level: 's0' },
    windowsOptions: { gmsaCredentialSpecName: 'g', gmsaCredentialSpec: 'spec', runAsUserName: 'admin', hostProcess: false },
    runAsUser: 0, runAsGroup: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    procMount: 'Default', seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'Localhost', localhostProfile: 'p' },
  },
  stdin: true,
  stdinOnce: true,
  tty: true,
};

export const volumes: Obj[] = [
  { name: 'hp', hostPath: { path: '/var/log', type: 'DirectoryOrCreate' } },
  { name: 'ed', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
  { name: 'ed0', emptyDir: {} },
  { name: 'gce', gcePersistentDisk: { pdName: 'pd', fsType: 'ext4', partition: 1, readOnly: true } },
  { name: 'aws', awsElasticBlockStore: { volumeID: 'vol-1', fsType: 'ext4', partition: 2, readOnly: true } },
  { name: 'git', gitRepo: { repository: 'https://example/repo.git', revision: 'main', directory: '.' } },
  { name: 'sec', secret: { secretName: 's', items: [{ key: 'a', path: 'a', mode: 256 }], defaultMode: 420, optional: true } },
  { name: 'nfs', nfs: { server: 'nfs.example', path: '/export', readOnly: true } },
  {
    name: 'iscsi',
    iscsi: {
      targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 1, iscsiInterface: 'default', fsType: 'ext4',
      readOnly: true, portals: ['10.0.0.2:3260'], chapAuthDiscovery: true, chapAuthSession: true, secretRef: { name: 'chap' },
      initiatorName: 'iqn.init',
    },
  },
  { name: 'gl', glusterfs: { endpoints: 'gl-ep', path: 'vol', readOnly: true } },
  { name: 'pvc', persistentVolumeClaim: { claimName: 'claim', readOnly: true } },
  {
    name: 'rbd',
    rbd: { monitors: ['m1'], image: 'img', fsType: 'ext4', pool: 'rbd', user: 'admin', keyring: '/k', secretRef: { name: 'r' }, readOnly: true },
  },
  { name: 'flex', flexVolume: { driver: 'ex/drv', fsType: 'ext4', secretRef: { name: 'f' }, readOnly: true, options: { a: 'b' } } },
  { name: 'cinder', cinder: { volumeID: 'c', fsType: 'ext4', readOnly: true, secretRef: { name: 'c' } } },
  { name: 'ceph', cephfs: { monitors: ['m'], path: '/', user: 'u', secretFile: '/s', secretRef: { name: 's' }, readOnly: true } },
  { name: 'flocker', flocker: { datasetName: 'ds', datasetUUID: 'uuid' } },
  {
    name: 'dapi',
    downwardAPI: {
      items: [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' }, mode: 292 },
        { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'requests.cpu', divisor: '1m' } },
      ],
      defaultMode: 420,
    },
  },
  { name: 'fc', fc: { targetWWNs: ['50060e801049cfd1'], lun: 0, fsType: 'ext4', readOnly: true, wwids: ['w'] } },
  { name: 'af', azureFile: { secretName: 'as', shareName: 'share', readOnly: true } },
  { name: 'cm', configMap: { name: 'cm', items: [{ key: 'k', path: 'p' }], defaultMode: 511, optional: false } },
  { name: 'vs', vsphereVolume: { volumePath: '[ds] v.vmdk', fsType: 'ext4', storagePolicyName: 'gold', storagePolicyID: 'id' } },
  { name: 'qb', quobyte: { registry: 'r:7861', volume: 'v', readOnly: true, user: 'u', group: 'g', tenant: 't' } },
  { name: 'ad', azureDisk: { diskName: 'd', diskURI: 'uri', cachingMode: 'ReadOnly', fsType: 'ext4', readOnly: false, kind: 'Managed' } },
  { name: 'ph', photonPersistentDisk: { pdID: 'pd', fsType: 'ext4' } },
  {
    name: 'proj',
    projected: {
      sources: [
        { secret: { name: 's', items: [{ key: 'a', path: 'a' }], optional: true } },
        { downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } },
        { configMap: { name: 'cm' } },
        { serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } },
        { clusterTrustBundle: { signerName: 'ex.com/s', labelSelector: { matchLabels: { a: 'b' } }, optional: true, path: 'ca.pem' } },
      ],
      defaultMode: 420,
    },
  },
  { name: 'px', portworxVolume: { volumeID: 'px', fsType: 'ext4', readOnly: true } },
  {
    name: 'sio',
    scaleIO: {
      gateway: 'https://gw', system: 'sys', secretRef: { name: 'sio' }, sslEnabled: true, protectionDomain: 'pd',
      storagePool: 'sp', storageMode: 'ThinProvisioned', volumeName: 'v', fsType: 'xfs', readOnly: true,
    },
  },
  { name: 'sos', storageos: { volumeName: 'v', volumeNamespace: 'ns', fsType: 'ext4', readOnly: true, secretRef: { name: 's' } } },
  {
    name: 'csi',
    csi: { driver: 'csi.example', readOnly: true, fsType: 'ext4', volumeAttributes: { size: '1Gi' }, nodePublishSecretRef: { name: 'n' } },
  },
  {
    name: 'eph',
    ephemeral: {
      volumeClaimTemplate: {
        metadata: { labels: { type: 'scratch' } },
        spec: {
          accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } },
          volumeMode: 'Filesystem', selector, volumeName: 'pv-1',
          dataSource: { kind: 'VolumeSnapshot', name: 'snap', apiGroup: 'snapshot.storage.k8s.io' },
          dataSourceRef: { kind: 'VolumeSnapshot', name: 'snap', apiGroup: 'snapshot.storage.k8s.io', namespace: 'other' },
          volumeAttributesClassName: 'gold',
        },
      },
    },
  },
  { name: 'img', image: { reference: 'registry.example/data:1', pullPolicy: 'IfNotPresent' } },
];

export const podSpec: Obj = {
  volumes,
  initContainers: [{ name: 'init', image: 'busybox', command: ['true'], restartPolicy: 'Always' }],
  containers: [container],
  ephemeralContainers: [{ name: 'dbg', image: 'busybox', targetContainerName: 'app', tty: true }],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  activeDeadlineSeconds: 600,
  dnsPolicy: 'ClusterFirst',
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  serviceAccountName: 'sa',
  serviceAccount: 'sa',
  automountServiceAccountToken: false,
  nodeName: 'node-1',
  hostNetwork: true,
  hostPID: true,
  hostIPC: true,
  shareProcessNamespace: true,
  securityContext: {
    seLinuxOptions: { level: 's0:c1' }, windowsOptions: { runAsUserName: 'u' }, runAsUser: 1000, runAsGroup: 1000,
    runAsNonRoot: true, supplementalGroups: [2000, 3000], supplementalGroupsPolicy: 'Merge', fsGroup: 2000,
    sysctls: [{ name: 'net.core.somaxconn', value: '1024' }], fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'Localhost', localhostProfile: 'prof.json' }, appArmorProfile: { type: 'RuntimeDefault' },
    seLinuxChangePolicy: 'Recursive',
  },
  imagePullSecrets: [{ name: 'regcred' }],
  hostname: 'h',
  subdomain: 'sub',
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n2'] }] }],
      },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'ssd', operator: 'Exists' }] } }],
    },
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{
        labelSelector: selector, namespaces: ['a'], topologyKey: 'kubernetes.io/hostname', namespaceSelector: {},
        matchLabelKeys: ['pod-template-hash'], mismatchLabelKeys: ['x'],
      }],
    },
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'web' } } } }],
    },
  },
  schedulerName: 'default-scheduler',
  tolerations: [
    { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
    { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 },
  ],
  hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local'] }],
  priorityClassName: 'high',
  priority: 0,
  dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
  readinessGates: [{ conditionType: 'example.com/ready' }],
  runtimeClassName: 'gvisor',
  enableServiceLinks: false,
  preemptionPolicy: 'Never',
  overhead: { cpu: '250m' },
  topologySpreadConstraints: [{
    maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector, minDomains: 2,
    nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', matchLabelKeys: ['pod-template-hash'],
  }],
  setHostnameAsFQDN: false,
  os: { name: 'linux' },
  hostUsers: false,
  schedulingGates: [{ name: 'example.com/gate' }],
  resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }, { name: 'shared', resourceClaimName: 'claim' }],
  resources: { limits: { cpu: '2' } },
};

export const podStatus: Obj = {
  phase: 'Running',
  conditions: [{ type: 'Ready', status: 'True', lastProbeTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:01Z', reason: 'R', message: 'm' }],
  message: 'msg',
  reason: 'reason',
  nominatedNodeName: 'node-2',
  hostIP: '10.0.0.1',
  hostIPs: [{ ip: '10.0.0.1' }],
  podIP: '10.244.0.5',
  podIPs: [{ ip: '10.244.0.5' }, { ip: 'fd00::5' }],
  startTime: '2025-01-01T00:00:00Z',
  initContainerStatuses: [{
    name: 'init', state: { terminated: { exitCode: 1, reason: 'Error', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:02Z', containerID: 'containerd://a' } },
    ready: true, image: 'busybox', imageID: 'sha256:1', containerID: 'containerd://a', started: false,
  }],
  containerStatuses: [{
    name: 'app', state: { running: { startedAt: '2025-01-01T00:00:03Z' } },
    lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'killed' } },
    ready: true, restartCount: 2, image: 'registry.example/app:1.0', imageID: 'sha256:2', containerID: 'containerd://b',
    started: true, allocatedResources: { cpu: '250m' }, resources: { requests: { cpu: '250m' } },
    volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true, recursiveReadOnly: 'Enabled' }],
    user: { linux: { uid: 1000, gid: 1000, supplementalGroups: [2000] } },
    allocatedResourcesStatus: [{ name: 'claim:gpu/one', resources: [{ resourceID: 'gpu-0', health: 'Healthy' }] }],
  }],
  qosClass: 'Burstable',
  ephemeralContainerStatuses: [{ name: 'dbg', state: { waiting: { reason: 'ContainerCreating', message: 'wait' } }, image: 'busybox', imageID: 'sha256:3' }],
  resize: 'InProgress',
  resourceClaimStatuses: [{ name: 'gpu', resourceClaimName: 'pod-gpu-abc' }],
};

export const objectMeta: Obj = {
  name: 'web-0',
  generateName: 'web-',
  namespace: 'default',
  uid: '5c1f4a3e-0000-4000-8000-000000000001',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2025-01-01T00:00:00Z',
  deletionTimestamp: '2025-01-01T01:00:00Z',
  deletionGracePeriodSeconds: 0,
  labels: { app: 'web' },
  annotations: { note: 'x' },
  ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true, blockOwnerDeletion: true }],
  finalizers: ['example.com/f'],
};

export const templateSpec: Obj = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
export { selector };
