/** io.k8s.api.core.v1.PodStatus and the container status types the kubelet reports. */
import { Time, resourceList } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';
import type { Definition, Schema } from '../../schema/schema.js';
import { ResourceRequirements } from './container.js';

const CORE = 'io.k8s.api.core.v1';
const item = (d: Definition): Schema => ref(d, undefined, { default: {} });

export const ContainerStateWaiting = def(`${CORE}.ContainerStateWaiting`, 'The container is not running yet.', {
  reason: str('Why it is waiting, e.g. ContainerCreating or CrashLoopBackOff.'),
  message: str('Details.'),
});

export const ContainerStateRunning = def(`${CORE}.ContainerStateRunning`, 'The container is running.', {
  startedAt: ref(Time, 'When it (re)started.'),
});

export const ContainerStateTerminated = def(
  `${CORE}.ContainerStateTerminated`,
  'The container ran and stopped.',
  {
    exitCode: int32('Exit status of the last run.', { default: 0 }),
    signal: int32('Signal that stopped it, if any.'),
    reason: str('Short reason, e.g. Completed, Error or OOMKilled.'),
    message: str('Details.'),
    startedAt: ref(Time, 'When the run started.'),
    finishedAt: ref(Time, 'When the run ended.'),
    containerID: str('Runtime ID of the container, <type>://<id>.'),
  },
  { required: ['exitCode'] },
);

export const ContainerState = def(`${CORE}.ContainerState`, 'State of a container; exactly one member is set.', {
  waiting: ref(ContainerStateWaiting, 'Waiting to run.'),
  running: ref(ContainerStateRunning, 'Running.'),
  terminated: ref(ContainerStateTerminated, 'Stopped.'),
});

export const VolumeMountStatus = def(
  `${CORE}.VolumeMountStatus`,
  'How a volume is actually mounted in a container.',
  {
    name: str('Name of the volume mount.', { default: '' }),
    mountPath: str('Mount path.', { default: '' }),
    readOnly: bool('Whether the mount is read-only.'),
    recursiveReadOnly: str('Disabled or Enabled.'),
  },
  { required: ['name', 'mountPath'] },
);

export const LinuxContainerUser = def(
  `${CORE}.LinuxContainerUser`,
  'Identity of the first process of a Linux container.',
  {
    uid: int64('User ID.', { default: 0 }),
    gid: int64('Primary group ID.', { default: 0 }),
    supplementalGroups: arr({ type: 'integer', format: 'int64', default: 0 }, 'Supplemental group IDs.', { listType: 'atomic' }),
  },
  { required: ['uid', 'gid'] },
);

export const ContainerUser = def(`${CORE}.ContainerUser`, 'Identity of the first process of a container.', {
  linux: ref(LinuxContainerUser, 'Linux identity.'),
});

export const ResourceHealth = def(
  `${CORE}.ResourceHealth`,
  'Health of one allocated device.',
  {
    resourceID: str('Device ID.', { default: '' }),
    health: str('Healthy, Unhealthy or Unknown.'),
  },
  { required: ['resourceID'] },
);

export const ResourceStatus = def(
  `${CORE}.ResourceStatus`,
  'Health of the devices allocated for one resource.',
  {
    name: str('Resource name, e.g. a device plugin resource or claim:<claim>/<request>.', { default: '' }),
    resources: arr(item(ResourceHealth), 'Per-device health.', { listType: 'map', mapKeys: ['resourceID'] }),
  },
  { required: ['name'] },
);

export const ContainerStatus = def(
  `${CORE}.ContainerStatus`,
  'Observed state of one container.',
  {
    name: str('Container name.', { default: '' }),
    state: ref(ContainerState, 'Current state.', { default: {} }),
    lastState: ref(ContainerState, 'State of the previous run.', { default: {} }),
    ready: bool('Whether the readiness probe passes.', { default: false }),
    restartCount: int32('How many times the container restarted.', { default: 0 }),
    image: str('Image the container runs.', { default: '' }),
    imageID: str('Resolved image ID.', { default: '' }),
    containerID: str('Runtime ID, <type>://<id>.'),
    started: bool('Whether the startup probe passed (true without one, once running).'),
    allocatedResources: resourceList('Resources the node allocated to the container.'),
    resources: ref(ResourceRequirements, 'Resources actually applied.'),
    volumeMounts: arr(item(VolumeMountStatus), 'Mount status of the volumes.', {
      mergeKey: 'mountPath',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['mountPath'],
    }),
    user: ref(ContainerUser, 'Identity of the first process.'),
    allocatedResourcesStatus: arr(item(ResourceStatus), 'Health of allocated devices.', {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['name'],
    }),
  },
  { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
);

export const PodCondition = def(
  `${CORE}.PodCondition`,
  'One condition of a pod (PodScheduled, Initialized, ContainersReady, Ready, ...).',
  {
    type: str('Condition type.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastProbeTime: ref(Time, 'When the condition was last probed.'),
    lastTransitionTime: ref(Time, 'When the status last changed.'),
    reason: str('CamelCase reason of the last change.'),
    message: str('Human-readable details.'),
  },
  { required: ['type', 'status'] },
);

export const PodIP = def(`${CORE}.PodIP`, 'One IP address of the pod.', { ip: str('The address.', { default: '' }) }, { required: ['ip'] });
export const HostIP = def(`${CORE}.HostIP`, 'One IP address of the node the pod runs on.', { ip: str('The address.', { default: '' }) }, { required: ['ip'] });

export const PodResourceClaimStatus = def(
  `${CORE}.PodResourceClaimStatus`,
  'The ResourceClaim created for a pod claim template.',
  {
    name: str('Name of the entry in spec.resourceClaims.', { default: '' }),
    resourceClaimName: str('Name of the generated ResourceClaim.'),
  },
  { required: ['name'] },
);

export const POD_PHASES = {
  Failed: 'all containers stopped and at least one failed',
  Pending: 'accepted but not all containers started',
  Running: 'bound to a node and at least one container runs',
  Succeeded: 'all containers stopped successfully and will not restart',
  Unknown: 'the state cannot be obtained',
};

export const PodStatus = def(`${CORE}.PodStatus`, 'Observed state of a pod.', {
  phase: enumStr('Lifecycle phase.', POD_PHASES),
  conditions: arr(item(PodCondition), 'Current conditions.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  message: str('Human-readable reason for the current state.'),
  reason: str('CamelCase reason for the current state, e.g. Evicted.'),
  nominatedNodeName: str('Node the pod may run on after the preemptions made for it.'),
  hostIP: str('Primary IP of the node.'),
  hostIPs: arr(item(HostIP), 'IPs of the node.', { mergeKey: 'ip', strategy: 'merge', listType: 'atomic' }),
  podIP: str('Primary IP of the pod.'),
  podIPs: arr(item(PodIP), 'IPs of the pod, at most one per family.', { mergeKey: 'ip', strategy: 'merge', listType: 'map', mapKeys: ['ip'] }),
  startTime: ref(Time, 'When the kubelet acknowledged the pod.'),
  initContainerStatuses: arr(item(ContainerStatus), 'Status of the init containers.', { listType: 'atomic' }),
  containerStatuses: arr(item(ContainerStatus), 'Status of the app containers.', { listType: 'atomic' }),
  qosClass: enumStr('Quality of service class, computed from resources.', {
    BestEffort: 'no requests or limits',
    Burstable: 'some requests or limits',
    Guaranteed: 'requests equal limits for cpu and memory in every container',
  }),
  ephemeralContainerStatuses: arr(item(ContainerStatus), 'Status of the ephemeral containers.', { listType: 'atomic' }),
  resize: str('State of an in-place resize: Proposed, InProgress, Deferred or Infeasible.'),
  resourceClaimStatuses: arr(item(PodResourceClaimStatus), 'Generated ResourceClaims.', {
    mergeKey: 'name',
    strategy: 'merge,retainKeys',
    listType: 'map',
    mapKeys: ['name'],
  }),
});
