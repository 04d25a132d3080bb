/**
 * encode → decode round trips for every kind the layouts cover: the whole PodSpec tree, workloads, services,
 * RBAC, policy, autoscaling, auth reviews and option kinds. A field with a wrong number, wrong type or wrong
 * pointer flag shows up as a difference here (non-pointer zeros are avoided in the samples).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeKubernetesProtobuf, encodeKubernetesProtobuf } from '../../../../main/api/protobuf/index.js';
import { objectMeta, podSpec, podStatus, selector, templateSpec } from './sample-objects.js';

type Obj = Record<string, unknown>;

function roundTrip(obj: Obj): void {
  const unknown: string[] = [];
  const decoded = decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj), { onUnknownField: (m, n) => unknown.push(`${m}#${n}`) });
  assert.deepEqual(decoded.object, obj);
  assert.deepEqual(unknown, []);
  // Without gogo-style zero padding the result must be identical too.
  assert.deepEqual(decodeKubernetesProtobuf(encodeKubernetesProtobuf(obj, { emitZeroValues: false })).object, obj);
}

const OBJECTS: Obj[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: objectMeta, spec: podSpec, status: podStatus },
  { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 't' }, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3, selector, template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: podSpec },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } },
      minReadySeconds: 5, revisionHistoryLimit: 10, paused: true, progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1,
      conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2025-01-01T00:00:00Z', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'MinimumReplicasAvailable', message: 'ok' }],
      collisionCount: 0,
    },
  },
  {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc' },
    spec: { replicas: 0, minReadySeconds: 1, selector, template: templateSpec },
    status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'False', reason: 'r', message: 'm' }] },
  },
  {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
    spec: {
      replicas: 2, selector, template: templateSpec, serviceName: 'db', podManagementPolicy: 'Parallel',
      volumeClaimTemplates: [{
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: '' },
        status: { phase: 'Pending', conditions: [{ type: 'Resizing', status: 'True' }], capacity: { storage: '10Gi' }, modifyVolumeStatus: { status: 'InProgress' } },
      }],
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
      revisionHistoryLimit: 5, minReadySeconds: 3,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' }, ordinals: { start: 1 },
    },
    status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, currentRevision: 'db-1', updateRevision: 'db-1', collisionCount: 0, availableReplicas: 2 },
  },
  {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
    spec: { selector, template: templateSpec, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 } }, minReadySeconds: 2, revisionHistoryLimit: 3 },
    status: { currentNumberScheduled: 3, numberMisscheduled: 1, desiredNumberScheduled: 3, numberReady: 2, observedGeneration: 4, updatedNumberScheduled: 3, numberAvailable: 2, numberUnavailable: 1, collisionCount: 1, conditions: [{ type: 'X', status: 'Unknown' }] },
  },
  {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
    spec: {
      parallelism: 2, completions: 4, activeDeadlineSeconds: 100, backoffLimit: 0, backoffLimitPerIndex: 1, maxFailedIndexes: 2,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [1, 2] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 1 }] },
      selector, manualSelector: true, template: templateSpec, ttlSecondsAfterFinished: 0, completionMode: 'Indexed',
      suspend: false, podReplacementPolicy: 'Failed', managedBy: 'kubernetes.io/job-controller',
    },
    status: {
      conditions: [{ type: 'Complete', status: 'True', lastProbeTime: '2025-01-01T00:00:00Z' }], startTime: '2025-01-01T00:00:00Z',
      completionTime: '2025-01-01T00:01:00Z', active: 1, succeeded: 2, failed: 1, terminating: 0, completedIndexes: '0-1',
      failedIndexes: '3', uncountedTerminatedPods: { succeeded: ['u1'], failed: ['u2'] }, ready: 0,
    },
  },
  {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' },
    spec: {
      schedule: '@hourly', timeZone: 'Etc/UTC', startingDeadlineSeconds: 30, concurrencyPolicy: 'Forbid', suspend: true,
      jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { template: templateSpec } }, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 1,
    },
    status: { active: [{ kind: 'Job', name: 'cj-1', namespace: 'default', uid: 'u', apiVersion: 'batch/v1', resourceVersion: '5' }], lastScheduleTime: '2025-01-01T00:00:00Z', lastSuccessfulTime: '2025-01-01T00:00:00Z' },
  },
  {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' },
    spec: {
      ports: [{ name: 'https', protocol: 'TCP', appProtocol: 'https', port: 443, targetPort: 8443, nodePort: 30443 }],
      selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], type: 'LoadBalancer', externalIPs: ['1.2.3.4'],
      sessionAffinity: 'ClientIP', loadBalancerIP: '5.6.7.8', loadBalancerSourceRanges: ['0.0.0.0/0'], externalName: 'x.example',
      externalTrafficPolicy: 'Local', healthCheckNodePort: 31000, publishNotReadyAddresses: true,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } }, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      allocateLoadBalancerNodePorts: false, loadBalancerClass: 'ex/lb', internalTrafficPolicy: 'Cluster', trafficDistribution: 'PreferClose',
    },
    status: {
      loadBalancer: { ingress: [{ ip: '5.6.7.8', hostname: 'lb.example', ipMode: 'VIP', ports: [{ port: 443, protocol: 'TCP', error: 'x' }] }] },
      conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'Ok', message: 'fine' }],
    },
  },
  {
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Terminating', conditions: [{ type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'SomeResourcesRemain', message: 'pods' }] },
  },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' }, secrets: [{ name: 'tok' }], imagePullSecrets: [{ name: 'reg' }], automountServiceAccountToken: false },
  {
    apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' },
    spec: { hard: { pods: '10' }, scopes: ['NotTerminating'], scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
    status: { hard: { pods: '10' }, used: { pods: '0' } },
  },
  { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } },
  {
    apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' },
    spec: { replicas: 0, minReadySeconds: 1, selector: { app: 'web' }, template: templateSpec },
    status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True' }] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agg' },
    rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }, { verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: ['x'] }],
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example/aggregate': 'true' } }] },
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' },
    subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agg' },
  },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ing' },
    spec: {
      ingressClassName: 'nginx',
      defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } },
      tls: [{ hosts: ['a.example'], secretName: 'tls' }],
      rules: [{ http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 's', port: { number: 80 } } } }] } }],
    },
    status: { loadBalancer: { ingress: [{ ip: '1.1.1.1', ports: [{ port: 80, protocol: 'TCP' }] }] } },
  },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' },
    spec: {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { team: 'a' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 5432, endPort: 5433 }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'dns' } } }], ports: [{ port: 'dns' }] }],
      policyTypes: ['Ingress', 'Egress'],
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' },
    spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p', scope: 'Namespace', namespace: 'ns' } },
  },
  {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb' },
    spec: { minAvailable: '50%', selector },
    status: {
      observedGeneration: 1, disruptedPods: { 'web-0': '2025-01-01T00:00:00Z' }, disruptionsAllowed: 1, currentHealthy: 3,
      desiredHealthy: 2, expectedPods: 3, conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    },
  },
  {
    apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-0', namespace: 'default' },
    deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'u' }, orphanDependents: false, propagationPolicy: 'Background', dryRun: ['All'] },
  },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: -10, globalDefault: true, description: 'd', preemptionPolicy: 'Never' },
  {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 0 },
    status: { observedGeneration: 0, lastScaleTime: '2025-01-01T00:00:00Z', currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 55 },
  },
  { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4 }, status: { replicas: 3, selector: 'app=web' } },
  {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h2' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 0, maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Pods', pods: { metric: { name: 'qps', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '1k' } } },
        { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'Value', value: '10k' } } },
        { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: '50m' },
        scaleDown: { policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
      },
    },
    status: {
      observedGeneration: 3, currentReplicas: 2, desiredReplicas: 4,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '900m' } } },
        { type: 'External', external: { metric: { name: 'queue' }, current: { value: '42' } } },
        { type: 'Object', object: { metric: { name: 'rps' }, current: { value: '5' }, describedObject: { kind: 'Ingress', name: 'main' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '2' } } },
        { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', current: { averageValue: '1Gi' } } },
      ],
      conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
    },
  },
  {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        namespace: 'ns', verb: 'list', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', name: 'web',
        fieldSelector: { rawSelector: 'spec.nodeName=n', requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n'] }] },
        labelSelector: { requirements: [{ key: 'app', operator: 'Exists' }] },
      },
    },
    status: { allowed: true, reason: 'RBAC', evaluationError: 'partial' },
  },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { denied: true } },
  {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' },
    status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }], incomplete: true, evaluationError: 'e' },
  },
  {
    apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', metadata: { namespace: 'ns' },
    spec: { resourceAttributes: { verb: 'get', resource: 'pods' }, user: 'bob' }, status: { reason: 'no' },
  },
  { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', status: { userInfo: { username: 'jane', uid: 'u', groups: ['g'], extra: { scopes: ['s'] } } } },
  {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'default', namespace: 'default' },
    spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u' } },
    status: { token: 'eyJ...', expirationTimestamp: '2025-01-01T01:00:00Z' },
  },
  {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 't', audiences: ['a'] },
    status: { authenticated: true, user: { username: 'system:serviceaccount:default:sa' }, audiences: ['a'], error: 'none' },
  },
  { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 30, orphanDependents: true, ignoreStoreReadErrorWithClusterBreakingPotential: false },
];

for (const obj of OBJECTS) {
  const name = (obj.metadata as Obj | undefined)?.name ?? '';
  test(`round trip ${String(obj.apiVersion)} ${String(obj.kind)} ${String(name)}`, () => roundTrip(obj));
}
