/**
 * io.k8s.api.core.v1.PodSpec (v1.32) and its small companion types. Every field upstream serves is declared
 * so that strict field validation accepts any legitimate manifest.
 */
import { resourceList } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, int64, ref, str, stringMap, type ListOptions } from '../../schema/builder.js';
import type { Definition, Schema } from '../../schema/schema.js';
import { Affinity, Toleration, TopologySpreadConstraint } from './affinity.js';
import { Container, EphemeralContainer, ResourceRequirements } from './container.js';
import { LocalObjectReference } from './object-reference.js';
import { PodSecurityContext } from './security-context.js';
import { Volume } from './volume.js';

const CORE = 'io.k8s.api.core.v1';
const item = (d: Definition): Schema => ref(d, undefined, { default: {} });
const strings = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });
const byName: ListOptions = { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] };

export const PodDNSConfigOption = def(`${CORE}.PodDNSConfigOption`, 'One resolver option.', {
  name: str('Option name, e.g. ndots.'),
  value: str('Option value.'),
});

export const PodDNSConfig = def(`${CORE}.PodDNSConfig`, 'DNS settings merged into those chosen by dnsPolicy.', {
  nameservers: strings('Extra name server IPs.'),
  searches: strings('Extra search domains.'),
  options: arr(item(PodDNSConfigOption), 'Resolver options; later ones override earlier ones of the same name.', {
    listType: 'atomic',
  }),
});

export const HostAlias = def(
  `${CORE}.HostAlias`,
  'An extra /etc/hosts entry of the pod.',
  { ip: str('IP address.', { default: '' }), hostnames: strings('Host names for the IP.') },
  { required: ['ip'] },
);

export const PodReadinessGate = def(
  `${CORE}.PodReadinessGate`,
  'An extra pod condition that must be True for the pod to be ready.',
  { conditionType: str('Type of a condition in the pod status.', { default: '' }) },
  { required: ['conditionType'] },
);

export const PodOS = def(
  `${CORE}.PodOS`,
  'The operating system the pod needs.',
  { name: str('linux or windows.', { default: '' }) },
  { required: ['name'] },
);

export const PodSchedulingGate = def(
  `${CORE}.PodSchedulingGate`,
  'Holds the pod back from scheduling while present.',
  { name: str('Gate name; unique in the pod.', { default: '' }) },
  { required: ['name'] },
);

export const PodResourceClaim = def(
  `${CORE}.PodResourceClaim`,
  'A dynamic resource claim the pod uses, named for its containers.',
  {
    name: str('Name containers refer to; a DNS label unique in the pod.', { default: '' }),
    resourceClaimName: str('An existing ResourceClaim in the pod namespace.'),
    resourceClaimTemplateName: str('A ResourceClaimTemplate to create a claim from for this pod.'),
  },
  { required: ['name'] },
);

export const RESTART_POLICIES = {
  Always: 'restarts containers whenever they exit',
  Never: 'never restarts containers',
  OnFailure: 'restarts containers that exit with a non-zero status',
};
export const DNS_POLICIES = {
  ClusterFirst: 'uses cluster DNS first, unless hostNetwork is set',
  ClusterFirstWithHostNet: 'uses cluster DNS first, also with hostNetwork',
  Default: 'uses the DNS settings of the node',
  None: 'uses only dnsConfig',
};

export const PodSpec = def(
  `${CORE}.PodSpec`,
  'Desired behaviour of a pod.',
  {
    volumes: arr(item(Volume), 'Volumes containers can mount.', { ...byName, strategy: 'merge,retainKeys' }),
    initContainers: arr(item(Container), 'Containers run in order before the app containers; sidecars keep running.', byName),
    containers: arr(item(Container), 'The app containers; at least one.', byName),
    ephemeralContainers: arr(item(EphemeralContainer), 'Debug containers added through the ephemeralcontainers subresource.', byName),
    restartPolicy: enumStr('Restart policy of the containers. Defaults to Always.', RESTART_POLICIES),
    terminationGracePeriodSeconds: int64('Seconds allowed for a graceful stop. Defaults to 30.'),
    activeDeadlineSeconds: int64('Seconds the pod may run before it is failed.'),
    dnsPolicy: enumStr('How DNS is set up. Defaults to ClusterFirst.', DNS_POLICIES),
    nodeSelector: stringMap('Labels a node must have to run the pod.', { 'x-kubernetes-map-type': 'atomic' }),
    serviceAccountName: str('ServiceAccount the pod runs as.'),
    serviceAccount: str('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: bool('Whether a service account token is mounted automatically.'),
    nodeName: str('Node the pod runs on; setting it bypasses the scheduler.'),
    hostNetwork: bool('Use the network namespace of the node.'),
    hostPID: bool('Use the PID namespace of the node.'),
    hostIPC: bool('Use the IPC namespace of the node.'),
    shareProcessNamespace: bool('Share one PID namespace between the containers.'),
    securityContext: ref(PodSecurityContext, 'Pod-level security settings.'),
    imagePullSecrets: arr(item(LocalObjectReference), 'Secrets used to pull images.', byName),
    hostname: str('Host name of the pod; the pod name when empty.'),
    subdomain: str('Subdomain, giving the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.'),
    affinity: ref(Affinity, 'Scheduling affinity rules.'),
    schedulerName: str('Scheduler that places the pod. Defaults to default-scheduler.'),
    tolerations: arr(item(Toleration), 'Taints the pod tolerates.', { listType: 'atomic' }),
    hostAliases: arr(item(HostAlias), 'Extra /etc/hosts entries.', {
      mergeKey: 'ip',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['ip'],
    }),
    priorityClassName: str('PriorityClass of the pod.'),
    priority: int32('Priority value, filled from priorityClassName by admission.'),
    dnsConfig: ref(PodDNSConfig, 'Extra DNS settings.'),
    readinessGates: arr(item(PodReadinessGate), 'Extra conditions needed for readiness.', { listType: 'atomic' }),
    runtimeClassName: str('RuntimeClass to run the pod with.'),
    enableServiceLinks: bool('Inject Service environment variables (docker links style). Defaults to true.'),
    preemptionPolicy: enumStr('Whether the pod may preempt lower-priority pods. Defaults to PreemptLowerPriority.', {
      Never: 'never preempts',
      PreemptLowerPriority: 'may preempt lower-priority pods',
    }),
    overhead: resourceList('Resources used by the pod sandbox, filled from the RuntimeClass by admission.'),
    topologySpreadConstraints: arr(item(TopologySpreadConstraint), 'How the pod spreads across topology domains.', {
      mergeKey: 'topologyKey',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['topologyKey', 'whenUnsatisfiable'],
    }),
    setHostnameAsFQDN: bool('Set the kernel host name to the FQDN.'),
    os: ref(PodOS, 'Operating system the pod needs.'),
    hostUsers: bool('Use the user namespace of the node. Defaults to true.'),
    schedulingGates: arr(item(PodSchedulingGate), 'Gates that hold back scheduling while present.', byName),
    resourceClaims: arr(item(PodResourceClaim), 'Dynamic resource claims of the pod.', {
      ...byName,
      strategy: 'merge,retainKeys',
    }),
    resources: ref(ResourceRequirements, 'Pod-level resources (alpha PodLevelResources).'),
  },
  { required: ['containers'] },
);
