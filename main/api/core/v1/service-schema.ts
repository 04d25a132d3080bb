/** Schema definitions of core/v1 Service, named as upstream's OpenAPI. */
import { Condition, IntOrString, objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, ref, str, stringMap } from '../../schema/builder.js';

const CORE = 'io.k8s.api.core.v1';

const PROTOCOLS = {
  SCTP: 'SCTP.',
  TCP: 'TCP.',
  UDP: 'UDP.',
};

export const ServicePort = def(
  `${CORE}.ServicePort`,
  'One port a service exposes.',
  {
    name: str('Name of the port; a DNS label, unique within the service and required when there are several ports.'),
    protocol: enumStr('IP protocol of the port; defaults to TCP.', PROTOCOLS, { default: 'TCP' }),
    appProtocol: str('Application protocol of the port, e.g. kubernetes.io/h2c or a domain-prefixed name.'),
    port: int32('Port the service listens on.', { default: 0 }),
    targetPort: ref(IntOrString, 'Number or name of the port on the selected pods; defaults to `port`.'),
    nodePort: int32('Port on every node for NodePort and LoadBalancer services; allocated when not given.'),
  },
  { required: ['port'] },
);

export const ClientIPConfig = def(`${CORE}.ClientIPConfig`, 'Settings for ClientIP session affinity.', {
  timeoutSeconds: int32('Seconds a client sticks to the same endpoint (1 to 86400; default 10800).'),
});

export const SessionAffinityConfig = def(`${CORE}.SessionAffinityConfig`, 'Session affinity settings.', {
  clientIP: ref(ClientIPConfig, 'Settings for ClientIP affinity.'),
});

export const PortStatus = def(
  `${CORE}.PortStatus`,
  'Status of one port of a load balancer.',
  {
    port: int32('Port number of the service port.', { default: 0 }),
    protocol: enumStr('Protocol of the service port.', PROTOCOLS, { default: '' }),
    error: str('Problem with this port, as a CamelCase reason; empty when fine.'),
  },
  { required: ['port', 'protocol'] },
);

export const LoadBalancerIngress = def(`${CORE}.LoadBalancerIngress`, 'One ingress point of a load balancer.', {
  ip: str('IP address of the ingress point.'),
  hostname: str('DNS name of the ingress point.'),
  ipMode: str('How traffic reaches the IP: VIP (delivered with the LB IP as destination) or Proxy.'),
  ports: arr(ref(PortStatus, undefined, { default: {} }), 'Per-port status.', { listType: 'atomic' }),
});

export const LoadBalancerStatus = def(`${CORE}.LoadBalancerStatus`, 'Status of a load balancer.', {
  ingress: arr(ref(LoadBalancerIngress, undefined, { default: {} }), 'Ingress points of the load balancer.', {
    listType: 'atomic',
  }),
});

export const ServiceSpec = def(`${CORE}.ServiceSpec`, 'Desired attributes of a service.', {
  ports: arr(ref(ServicePort, undefined, { default: {} }), 'Ports the service exposes.', {
    mergeKey: 'port',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['port', 'protocol'],
  }),
  selector: stringMap('Pods whose labels match are the endpoints of the service; no selector means endpoints are managed externally.', {
    'x-kubernetes-map-type': 'atomic',
  }),
  clusterIP: str('Virtual IP of the service: allocated when empty, "None" for a headless service. Cannot change once set.'),
  clusterIPs: arr(str('', { default: '' }), 'Virtual IPs of the service, at most one per IP family; the first equals clusterIP.', {
    listType: 'atomic',
  }),
  type: enumStr('How the service is exposed; defaults to ClusterIP.', {
    ClusterIP: 'reachable only from inside the cluster, through the cluster IP.',
    ExternalName: 'only a DNS alias (CNAME) for an outside name; nothing is proxied.',
    LoadBalancer: 'like NodePort, plus an external load balancer where the platform provides one.',
    NodePort: 'like ClusterIP, plus a port opened on every node.',
  }),
  externalIPs: arr(str('', { default: '' }), 'Extra IPs on which nodes accept traffic for the service.', { listType: 'atomic' }),
  sessionAffinity: enumStr('Session affinity: ClientIP or None (the default).', {
    ClientIP: 'keeps a client on one endpoint, keyed by its IP.',
    None: 'spreads requests without stickiness.',
  }),
  loadBalancerIP: str('Deprecated: requested load balancer IP, if the provider supports it.'),
  loadBalancerSourceRanges: arr(str('', { default: '' }), 'Client CIDRs allowed through a cloud load balancer.', {
    listType: 'atomic',
  }),
  externalName: str('DNS name returned as a CNAME for ExternalName services.'),
  externalTrafficPolicy: enumStr('How external traffic is routed: Cluster (any node endpoint) or Local (node-local only).', {
    Cluster: 'sends traffic to any ready endpoint.',
    Local: 'keeps the client source IP by using only endpoints on the receiving node; traffic is dropped when there are none.',
  }),
  healthCheckNodePort: int32('Health-check node port for LoadBalancer services with externalTrafficPolicy Local.'),
  publishNotReadyAddresses: bool('Publish endpoints for pods that are not ready.'),
  sessionAffinityConfig: ref(SessionAffinityConfig, 'Session affinity settings.'),
  ipFamilies: arr(
    enumStr('', { IPv4: 'an IPv4 address family', IPv6: 'an IPv6 address family' }, { default: '' }),
    'IP families of the service, in clusterIPs order.',
    { listType: 'atomic' },
  ),
  ipFamilyPolicy: enumStr('Dual-stack behaviour: SingleStack, PreferDualStack or RequireDualStack.', {
    PreferDualStack: 'two families when the cluster offers them, else one.',
    RequireDualStack: 'two families, or the request fails.',
    SingleStack: 'exactly one family.',
  }),
  allocateLoadBalancerNodePorts: bool('Whether node ports are allocated for a LoadBalancer service; defaults to true.'),
  loadBalancerClass: str('Load balancer implementation that should handle this LoadBalancer service.'),
  internalTrafficPolicy: enumStr('How cluster-internal traffic is routed: Cluster or Local.', {
    Cluster: 'sends traffic to any ready endpoint.',
    Local: 'uses only endpoints on the client pod\'s node; traffic is dropped when there are none.',
  }),
  trafficDistribution: str('Preference for routing traffic to topologically close endpoints, e.g. PreferClose.'),
});

export const ServiceStatus = def(`${CORE}.ServiceStatus`, 'Observed state of a service.', {
  loadBalancer: ref(LoadBalancerStatus, 'Status of the load balancer, if any.', { default: {} }),
  conditions: arr(ref(Condition, undefined, { default: {} }), 'Current conditions of the service.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
});

export const ServiceSchema = def(
  `${CORE}.Service`,
  'A stable name and virtual IP in front of a set of pods, with optional node ports and load balancer.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(ServiceSpec, 'Desired behaviour of the service.', { default: {} }),
    status: ref(ServiceStatus, 'Observed state of the service; populated by the system.', { default: {} }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Service' }] },
);
