/**
 * core/v1 layouts for the non-workload kinds (ConfigMap, Secret, Service, Namespace, ServiceAccount,
 * ResourceQuota, Event, Binding, ReplicationController) and the small reference types shared across groups.
 */
import { defineMessages } from '../layout.js';

defineMessages('core', {
  ConfigMap: {
    1: 'metadata meta.ObjectMeta', 4: 'immutable *bool', 2: 'data map[string]string',
    3: 'binaryData map[string][]byte',
  },
  Secret: {
    1: 'metadata meta.ObjectMeta', 5: 'immutable *bool', 2: 'data map[string][]byte',
    4: 'stringData map[string]string', 3: 'type string',
  },

  Service: { 1: 'metadata meta.ObjectMeta', 2: 'spec ServiceSpec', 3: 'status ServiceStatus' },
  ServiceSpec: {
    1: 'ports []ServicePort',
    2: 'selector map[string]string',
    3: 'clusterIP string',
    18: 'clusterIPs []string',
    4: 'type string',
    5: 'externalIPs []string',
    7: 'sessionAffinity string',
    8: 'loadBalancerIP string',
    9: 'loadBalancerSourceRanges []string',
    10: 'externalName string',
    11: 'externalTrafficPolicy string',
    12: 'healthCheckNodePort int32',
    13: 'publishNotReadyAddresses bool',
    14: 'sessionAffinityConfig *SessionAffinityConfig',
    19: 'ipFamilies []string',
    17: 'ipFamilyPolicy *string',
    20: 'allocateLoadBalancerNodePorts *bool',
    21: 'loadBalancerClass *string',
    22: 'internalTrafficPolicy *string',
    23: 'trafficDistribution *string',
  },
  ServicePort: {
    1: 'name string', 2: 'protocol string', 6: 'appProtocol *string', 3: 'port int32',
    4: 'targetPort intstr.IntOrString', 5: 'nodePort int32',
  },
  SessionAffinityConfig: { 1: 'clientIP *ClientIPConfig' },
  ClientIPConfig: { 1: 'timeoutSeconds *int32' },
  ServiceStatus: { 1: 'loadBalancer LoadBalancerStatus', 2: 'conditions []meta.Condition' },
  LoadBalancerStatus: { 1: 'ingress []LoadBalancerIngress' },
  LoadBalancerIngress: { 1: 'ip string', 2: 'hostname string', 3: 'ipMode *string', 4: 'ports []PortStatus' },
  PortStatus: { 1: 'port int32', 2: 'protocol string', 3: 'error *string' },

  Namespace: { 1: 'metadata meta.ObjectMeta', 2: 'spec NamespaceSpec', 3: 'status NamespaceStatus' },
  NamespaceSpec: { 1: 'finalizers []string' },
  NamespaceStatus: { 1: 'phase string', 2: 'conditions []NamespaceCondition' },
  NamespaceCondition: {
    1: 'type string', 2: 'status string', 4: 'lastTransitionTime meta.Time', 5: 'reason string', 6: 'message string',
  },

  ServiceAccount: {
    1: 'metadata meta.ObjectMeta', 2: 'secrets []ObjectReference', 3: 'imagePullSecrets []LocalObjectReference',
    4: 'automountServiceAccountToken *bool',
  },

  ResourceQuota: { 1: 'metadata meta.ObjectMeta', 2: 'spec ResourceQuotaSpec', 3: 'status ResourceQuotaStatus' },
  ResourceQuotaSpec: {
    1: 'hard map[string]resource.Quantity', 2: 'scopes []string', 3: 'scopeSelector *ScopeSelector',
  },
  ScopeSelector: { 1: 'matchExpressions []ScopedResourceSelectorRequirement' },
  ScopedResourceSelectorRequirement: { 1: 'scopeName string', 2: 'operator string', 3: 'values []string' },
  ResourceQuotaStatus: { 1: 'hard map[string]resource.Quantity', 2: 'used map[string]resource.Quantity' },

  Event: {
    1: 'metadata meta.ObjectMeta',
    2: 'involvedObject ObjectReference',
    3: 'reason string',
    4: 'message string',
    5: 'source EventSource',
    6: 'firstTimestamp meta.Time',
    7: 'lastTimestamp meta.Time',
    8: 'count int32',
    9: 'type string',
    10: 'eventTime meta.MicroTime',
    11: 'series *EventSeries',
    12: 'action string',
    13: 'related *ObjectReference',
    14: 'reportingComponent string',
    15: 'reportingInstance string',
  },
  EventSource: { 1: 'component string', 2: 'host string' },
  EventSeries: { 1: 'count int32', 2: 'lastObservedTime meta.MicroTime' },

  Binding: { 1: 'metadata meta.ObjectMeta', 2: 'target ObjectReference' },

  ReplicationController: {
    1: 'metadata meta.ObjectMeta', 2: 'spec ReplicationControllerSpec', 3: 'status ReplicationControllerStatus',
  },
  ReplicationControllerSpec: {
    1: 'replicas *int32', 4: 'minReadySeconds int32', 2: 'selector map[string]string', 3: 'template *PodTemplateSpec',
  },
  ReplicationControllerStatus: {
    1: 'replicas int32', 2: 'fullyLabeledReplicas int32', 4: 'readyReplicas int32', 5: 'availableReplicas int32',
    3: 'observedGeneration int64', 6: 'conditions []ReplicationControllerCondition',
  },
  ReplicationControllerCondition: {
    1: 'type string', 2: 'status string', 3: 'lastTransitionTime meta.Time', 4: 'reason string', 5: 'message string',
  },

  ObjectReference: {
    1: 'kind string', 2: 'namespace string', 3: 'name string', 4: 'uid string', 5: 'apiVersion string',
    6: 'resourceVersion string', 7: 'fieldPath string',
  },
  LocalObjectReference: { 1: 'name string' },
  SecretReference: { 1: 'name string', 2: 'namespace string' },
  TypedLocalObjectReference: { 1: 'apiGroup *string', 2: 'kind string', 3: 'name string' },
  TypedObjectReference: { 1: 'apiGroup *string', 2: 'kind string', 3: 'name string', 4: 'namespace *string' },
});
