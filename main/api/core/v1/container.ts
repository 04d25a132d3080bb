/**
 * Containers (io.k8s.api.core.v1.Container and EphemeralContainer) and the types they embed: ports,
 * environment, resources, mounts. List markers mirror upstream's struct tags so strategic merge and
 * server-side apply key the lists as Kubernetes does.
 */
import { Quantity, resourceList } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, ref, str } from '../../schema/builder.js';
import type { Definition, Schema } from '../../schema/schema.js';
import { Lifecycle, Probe } from './probe.js';
import { SecurityContext } from './security-context.js';

const CORE = 'io.k8s.api.core.v1';
const item = (d: Definition): Schema => ref(d, undefined, { default: {} });

export const PROTOCOLS = { SCTP: 'is the SCTP protocol.', TCP: 'is the TCP protocol.', UDP: 'is the UDP protocol.' };

export const ContainerPort = def(
  `${CORE}.ContainerPort`,
  'A network port a container listens on.',
  {
    name: str('IANA service name of the port, unique in the pod; Services can refer to it.'),
    hostPort: int32('Port to open on the node and forward to the container; rarely needed.'),
    containerPort: int32('Port number on the pod IP, 1-65535.', { default: 0 }),
    protocol: enumStr('Protocol of the port. Defaults to "TCP".', PROTOCOLS, { default: 'TCP' }),
    hostIP: str('Node IP to bind the host port to.'),
  },
  { required: ['containerPort'] },
);

export const ObjectFieldSelector = def(
  `${CORE}.ObjectFieldSelector`,
  'Selects a field of the pod (downward API).',
  {
    apiVersion: str('API version the field path is written in. Defaults to "v1".'),
    fieldPath: str('Path of the field, e.g. metadata.name or status.podIP.', { default: '' }),
  },
  { required: ['fieldPath'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const ResourceFieldSelector = def(
  `${CORE}.ResourceFieldSelector`,
  'Selects a resource request or limit of a container (downward API).',
  {
    containerName: str('Container whose resources are read; required for volumes.'),
    resource: str('Resource to read, e.g. limits.cpu.', { default: '' }),
    divisor: ref(Quantity, 'Unit the value is expressed in. Defaults to "1".'),
  },
  { required: ['resource'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

function keySelector(kind: string, what: string): Definition {
  return def(
    `${CORE}.${kind}KeySelector`,
    `Selects one key of a ${what}.`,
    {
      name: str(`Name of the ${what}.`, { default: '' }),
      key: str('The key to select.', { default: '' }),
      optional: bool(`Whether the ${what} or the key may be missing.`),
    },
    { required: ['key'], extra: { 'x-kubernetes-map-type': 'atomic' } },
  );
}
export const ConfigMapKeySelector = keySelector('ConfigMap', 'ConfigMap');
export const SecretKeySelector = keySelector('Secret', 'Secret');

export const EnvVarSource = def(`${CORE}.EnvVarSource`, 'Where the value of an environment variable comes from.', {
  fieldRef: ref(ObjectFieldSelector, 'A field of the pod.'),
  resourceFieldRef: ref(ResourceFieldSelector, 'A resource request or limit of a container.'),
  configMapKeyRef: ref(ConfigMapKeySelector, 'A key of a ConfigMap in the pod namespace.'),
  secretKeyRef: ref(SecretKeySelector, 'A key of a Secret in the pod namespace.'),
});

export const EnvVar = def(
  `${CORE}.EnvVar`,
  'An environment variable of a container.',
  {
    name: str('Variable name.', { default: '' }),
    value: str('Literal value; $(VAR) references to earlier variables are expanded, $$ escapes.'),
    valueFrom: ref(EnvVarSource, 'Source of the value; cannot be combined with value.'),
  },
  { required: ['name'] },
);

function envSource(kind: string): Definition {
  return def(`${CORE}.${kind}EnvSource`, `Imports all keys of a ${kind} as environment variables.`, {
    name: str(`Name of the ${kind}.`, { default: '' }),
    optional: bool(`Whether the ${kind} may be missing.`),
  });
}
export const ConfigMapEnvSource = envSource('ConfigMap');
export const SecretEnvSource = envSource('Secret');

export const EnvFromSource = def(`${CORE}.EnvFromSource`, 'A set of environment variables taken from a ConfigMap or Secret.', {
  prefix: str('Prefix prepended to every imported key.'),
  configMapRef: ref(ConfigMapEnvSource, 'The ConfigMap to import.'),
  secretRef: ref(SecretEnvSource, 'The Secret to import.'),
});

export const ResourceClaim = def(
  `${CORE}.ResourceClaim`,
  'Names one of the pod resource claims a container uses.',
  {
    name: str('Name of an entry of pod.spec.resourceClaims.', { default: '' }),
    request: str('Request within the claim to use; empty means all of it.'),
  },
  { required: ['name'] },
);

export const ResourceRequirements = def(`${CORE}.ResourceRequirements`, 'Compute resources requested and limited.', {
  limits: resourceList('Most of each resource that may be used.'),
  requests: resourceList('Least of each resource needed; defaults to the limit when only a limit is set.'),
  claims: arr(item(ResourceClaim), 'Dynamically allocated resources (from resourceClaims) used.', {
    listType: 'map',
    mapKeys: ['name'],
  }),
});

export const VolumeResourceRequirements = def(`${CORE}.VolumeResourceRequirements`, 'Storage resources requested and limited.', {
  limits: resourceList('Most of each resource allowed.'),
  requests: resourceList('Least of each resource needed, e.g. storage.'),
});

export const ContainerResizePolicy = def(
  `${CORE}.ContainerResizePolicy`,
  'How a container reacts when one of its resources is resized in place.',
  {
    resourceName: str('Resource the policy applies to: cpu or memory.', { default: '' }),
    restartPolicy: str('NotRequired or RestartContainer.', { default: '' }),
  },
  { required: ['resourceName', 'restartPolicy'] },
);

export const VolumeMount = def(
  `${CORE}.VolumeMount`,
  'Mounts a pod volume into a container.',
  {
    name: str('Name of the pod volume.', { default: '' }),
    readOnly: bool('Mount read-only. Defaults to false.'),
    recursiveReadOnly: str('Whether read-only mounts are read-only recursively: Disabled, IfPossible or Enabled.'),
    mountPath: str('Path inside the container; must not contain ":".', { default: '' }),
    subPath: str('Sub-path of the volume to mount instead of its root.'),
    mountPropagation: enumStr('How mounts propagate between host and container.', {
      Bidirectional: 'propagates both ways (privileged containers only)',
      HostToContainer: 'propagates host mounts into the container',
      None: 'no propagation',
    }),
    subPathExpr: str('Like subPath, with $(VAR) expansion from the container environment.'),
  },
  { required: ['name', 'mountPath'] },
);

export const VolumeDevice = def(
  `${CORE}.VolumeDevice`,
  'Maps a raw block volume into a container.',
  {
    name: str('Name of a persistentVolumeClaim volume of the pod.', { default: '' }),
    devicePath: str('Path of the device inside the container.', { default: '' }),
  },
  { required: ['name', 'devicePath'] },
);

/** Properties shared by Container and EphemeralContainer (upstream's EphemeralContainerCommon). */
function containerProperties(): Record<string, Schema> {
  const atomicStrings = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });
  return {
    name: str('Container name, a DNS label unique in the pod.', { default: '' }),
    image: str('Container image reference.'),
    command: atomicStrings('Entrypoint array, run without a shell; the image ENTRYPOINT when empty.'),
    args: atomicStrings('Arguments to the entrypoint; the image CMD when empty.'),
    workingDir: str('Working directory; the image default when empty.'),
    ports: arr(item(ContainerPort), 'Ports exposed by the container (informational).', {
      mergeKey: 'containerPort',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['containerPort', 'protocol'],
    }),
    envFrom: arr(item(EnvFromSource), 'Sources to import environment variables from.', { listType: 'atomic' }),
    env: arr(item(EnvVar), 'Environment variables.', { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
    resources: ref(ResourceRequirements, 'Compute resources.', { default: {} }),
    resizePolicy: arr(item(ContainerResizePolicy), 'Resize policies of the container resources.', { listType: 'atomic' }),
    restartPolicy: str('Only "Always", and only for init containers: makes the init container a sidecar.'),
    volumeMounts: arr(item(VolumeMount), 'Pod volumes to mount.', {
      mergeKey: 'mountPath',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['mountPath'],
    }),
    volumeDevices: arr(item(VolumeDevice), 'Block devices to map.', {
      mergeKey: 'devicePath',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['devicePath'],
    }),
    livenessProbe: ref(Probe, 'Restarts the container when it fails.'),
    readinessProbe: ref(Probe, 'Removes the pod from Service endpoints while it fails.'),
    startupProbe: ref(Probe, 'Holds the other probes back until it succeeds.'),
    lifecycle: ref(Lifecycle, 'Hooks run after start and before stop.'),
    terminationMessagePath: str('File the termination message is read from. Defaults to /dev/termination-log.'),
    terminationMessagePolicy: enumStr('How the termination message is filled. Defaults to File.', {
      FallbackToLogsOnError: 'uses the end of the log when the message file is empty and the container failed',
      File: 'reads only the message file',
    }),
    imagePullPolicy: enumStr('When to pull the image. Always for :latest or untagged images, else IfNotPresent.', {
      Always: 'pulls on every start',
      IfNotPresent: 'pulls only when missing on the node',
      Never: 'never pulls',
    }),
    securityContext: ref(SecurityContext, 'Container security settings.'),
    stdin: bool('Keep a stdin buffer open for attach.'),
    stdinOnce: bool('Close stdin after the first attach session ends.'),
    tty: bool('Allocate a TTY (needs stdin).'),
  };
}

export const Container = def(`${CORE}.Container`, 'One application container of a pod.', containerProperties(), {
  required: ['name'],
});

export const EphemeralContainer = def(
  `${CORE}.EphemeralContainer`,
  'A temporary container added to a running pod for debugging; it is never restarted.',
  {
    ...containerProperties(),
    targetContainerName: str('Container whose namespaces (IPC, PID, ...) this container joins.'),
  },
  { required: ['name'] },
);

