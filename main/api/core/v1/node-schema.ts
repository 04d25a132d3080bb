/** Schema definitions of core/v1 Node (spec, status and their parts), named as upstream's OpenAPI. */
import { objectMeta, Time, typeMeta, resourceList } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';

const CORE = 'io.k8s.api.core.v1';

export const Taint = def(
  `${CORE}.Taint`,
  'Marks a node so that pods which do not tolerate the taint are kept away from it.',
  {
    key: str('Taint key to apply to the node.', { default: '' }),
    value: str('Taint value matching the key.'),
    effect: enumStr(
      'What happens to pods that do not tolerate the taint.',
      {
        NoExecute: 'also evicts running pods that lack a toleration.',
        NoSchedule: 'keeps new pods without a toleration off the node.',
        PreferNoSchedule: 'the scheduler avoids the node when it can.',
      },
      { default: '' },
    ),
    timeAdded: ref(Time, 'When the taint was added; only set for NoExecute taints.'),
  },
  { required: ['key', 'effect'] },
);

export const ConfigMapNodeConfigSource = def(
  `${CORE}.ConfigMapNodeConfigSource`,
  'A ConfigMap used as the configuration source of a node (deprecated dynamic kubelet config).',
  {
    namespace: str('Namespace of the referenced ConfigMap.', { default: '' }),
    name: str('Name of the referenced ConfigMap.', { default: '' }),
    uid: str('UID of the referenced ConfigMap.'),
    resourceVersion: str('resourceVersion of the referenced ConfigMap.'),
    kubeletConfigKey: str('Key of the ConfigMap holding the kubelet configuration.', { default: '' }),
  },
  { required: ['namespace', 'name', 'kubeletConfigKey'] },
);

export const NodeConfigSource = def(`${CORE}.NodeConfigSource`, 'Where a node reads its configuration from.', {
  configMap: ref(ConfigMapNodeConfigSource, 'A ConfigMap holding the configuration.'),
});

export const NodeConfigStatus = def(`${CORE}.NodeConfigStatus`, 'Status of the configuration assigned to a node.', {
  assigned: ref(NodeConfigSource, 'The configuration the node is meant to use.'),
  active: ref(NodeConfigSource, 'The configuration the node is actually using.'),
  lastKnownGood: ref(NodeConfigSource, 'The configuration the node falls back to on errors.'),
  error: str('Problems reconciling the assigned configuration, if any.'),
});

export const NodeSpec = def(`${CORE}.NodeSpec`, 'Desired attributes of a node.', {
  podCIDR: str('Pod IP range assigned to the node.'),
  podCIDRs: arr(str('', { default: '' }), 'Pod IP ranges assigned to the node, at most one per IP family.', {
    strategy: 'merge',
    listType: 'set',
  }),
  providerID: str('Cloud provider ID of the node: <ProviderName>://<ProviderSpecificNodeID>.'),
  unschedulable: bool('When true, no new pods are scheduled onto the node.'),
  taints: arr(ref(Taint, undefined, { default: {} }), 'Taints of the node.', { listType: 'atomic' }),
  configSource: ref(NodeConfigSource, 'Deprecated: dynamic kubelet configuration source.'),
  externalID: str('Deprecated; not used.'),
});

export const NodeAddress = def(
  `${CORE}.NodeAddress`,
  'One address of a node.',
  {
    type: str('Address type: Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.', { default: '' }),
    address: str('The address.', { default: '' }),
  },
  { required: ['type', 'address'] },
);

export const NodeCondition = def(
  `${CORE}.NodeCondition`,
  'One observed aspect of a node, e.g. Ready or MemoryPressure.',
  {
    type: str('Type of condition.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastHeartbeatTime: ref(Time, 'When the condition was last reported.'),
    lastTransitionTime: ref(Time, 'When the condition last changed status.'),
    reason: str('Machine-readable reason for the last transition.'),
    message: str('Human-readable detail about the last transition.'),
  },
  { required: ['type', 'status'] },
);

export const DaemonEndpoint = def(
  `${CORE}.DaemonEndpoint`,
  'A port a node daemon listens on.',
  { Port: int32('Port number.', { default: 0 }) },
  { required: ['Port'] },
);

export const NodeDaemonEndpoints = def(`${CORE}.NodeDaemonEndpoints`, 'Ports of the daemons running on a node.', {
  kubeletEndpoint: ref(DaemonEndpoint, 'Where the kubelet listens.', { default: {} }),
});

export const NodeSwapStatus = def(`${CORE}.NodeSwapStatus`, 'Swap memory of a node.', {
  capacity: int64('Total swap memory in bytes.'),
});

export const NodeSystemInfo = def(
  `${CORE}.NodeSystemInfo`,
  'Identifiers and versions reported by the node.',
  {
    machineID: str('Machine ID (from /etc/machine-id).', { default: '' }),
    systemUUID: str('System UUID reported by the hardware.', { default: '' }),
    bootID: str('Boot ID of the node.', { default: '' }),
    kernelVersion: str('Kernel version (uname -r).', { default: '' }),
    osImage: str('OS image (from /etc/os-release), e.g. "Debian GNU/Linux 12 (bookworm)".', { default: '' }),
    containerRuntimeVersion: str('Container runtime and version, e.g. containerd://1.7.0.', { default: '' }),
    kubeletVersion: str('Kubelet version.', { default: '' }),
    kubeProxyVersion: str('Deprecated: kube-proxy version; unreliable.', { default: '' }),
    operatingSystem: str('Operating system, e.g. linux.', { default: '' }),
    architecture: str('CPU architecture, e.g. amd64.', { default: '' }),
    swap: ref(NodeSwapStatus, 'Swap memory information.'),
  },
  {
    required: [
      'machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion',
      'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture',
    ],
  },
);

export const ContainerImage = def(`${CORE}.ContainerImage`, 'A container image present on the node.', {
  names: arr(str('', { default: '' }), 'Names by which the image is known.', { listType: 'atomic' }),
  sizeBytes: int64('Size of the image in bytes.'),
});

export const AttachedVolume = def(
  `${CORE}.AttachedVolume`,
  'A volume attached to the node.',
  {
    name: str('Name of the attached volume.', { default: '' }),
    devicePath: str('Where the volume is available on the node.', { default: '' }),
  },
  { required: ['name', 'devicePath'] },
);

export const NodeRuntimeHandlerFeatures = def(
  `${CORE}.NodeRuntimeHandlerFeatures`,
  'Features a runtime handler supports.',
  {
    recursiveReadOnlyMounts: bool('Whether recursive read-only mounts are supported.'),
    userNamespaces: bool('Whether user namespaces are supported.'),
  },
);

export const NodeRuntimeHandler = def(`${CORE}.NodeRuntimeHandler`, 'A runtime handler of the container runtime.', {
  name: str('Handler name; empty for the default handler.', { default: '' }),
  features: ref(NodeRuntimeHandlerFeatures, 'Features of the handler.'),
});

export const NodeFeatures = def(`${CORE}.NodeFeatures`, 'Features the node implements.', {
  supplementalGroupsPolicy: bool('Whether the node honours pod supplementalGroupsPolicy.'),
});

export const NodeStatus = def(`${CORE}.NodeStatus`, 'Most recently observed state of a node.', {
  capacity: resourceList('Total resources of the node.'),
  allocatable: resourceList('Resources available for scheduling; defaults to capacity.'),
  phase: enumStr('Deprecated lifecycle phase of the node.', {
    Pending: 'registered but not yet set up.',
    Running: 'set up and running node components.',
    Terminated: 'no longer part of the cluster.',
  }),
  conditions: arr(ref(NodeCondition, undefined, { default: {} }), 'Current conditions of the node.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
  addresses: arr(ref(NodeAddress, undefined, { default: {} }), 'Addresses reachable to the node.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
  daemonEndpoints: ref(NodeDaemonEndpoints, 'Ports of daemons running on the node.', { default: {} }),
  nodeInfo: ref(NodeSystemInfo, 'Identifiers and versions of the node.', { default: {} }),
  images: arr(ref(ContainerImage, undefined, { default: {} }), 'Container images on the node.', { listType: 'atomic' }),
  volumesInUse: arr(str('', { default: '' }), 'Volumes in use (mounted) by the node.', { listType: 'atomic' }),
  volumesAttached: arr(ref(AttachedVolume, undefined, { default: {} }), 'Volumes attached to the node.', {
    listType: 'atomic',
  }),
  config: ref(NodeConfigStatus, 'Status of the assigned node configuration.'),
  runtimeHandlers: arr(ref(NodeRuntimeHandler, undefined, { default: {} }), 'Available runtime handlers.', {
    listType: 'atomic',
  }),
  features: ref(NodeFeatures, 'Features implemented by the node.'),
});

export const NodeSchema = def(
  `${CORE}.Node`,
  'A worker machine; each node runs a kubelet and hosts pods.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(NodeSpec, 'Desired behaviour of the node.', { default: {} }),
    status: ref(NodeStatus, 'Most recently observed state of the node.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Node' }] },
);
