/**
 * autoscaling/v2 HorizontalPodAutoscaler schema definitions (v1.32 fields).
 */
import { LabelSelector, Quantity, Time, objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, int32, int64, ref, str } from '../../schema/builder.js';

const V2 = 'io.k8s.api.autoscaling.v2';

export const CrossVersionObjectReference = def(
  `${V2}.CrossVersionObjectReference`,
  'Identifies the referred resource.',
  {
    kind: str('Kind of the referent, e.g. "Deployment".', { default: '' }),
    name: str('Name of the referent.', { default: '' }),
    apiVersion: str('API version of the referent.'),
  },
  { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const MetricIdentifier = def(`${V2}.MetricIdentifier`, 'Names a metric and optionally narrows it by labels.', {
  name: str('Name of the metric.', { default: '' }),
  selector: ref(LabelSelector, 'Label selector passed to the metrics server to scope the metric.'),
}, { required: ['name'] });

export const MetricTarget = def(
  `${V2}.MetricTarget`,
  'Target value of a metric.',
  {
    type: str('"Utilization", "Value" or "AverageValue".', { default: '' }),
    value: ref(Quantity, 'Target value of the metric.'),
    averageValue: ref(Quantity, 'Target value averaged across pods.'),
    averageUtilization: int32('Target percentage of the pods\' resource requests (Resource metrics only).'),
  },
  { required: ['type'] },
);

export const MetricValueStatus = def(`${V2}.MetricValueStatus`, 'Current value of a metric.', {
  value: ref(Quantity, 'Current value of the metric.'),
  averageValue: ref(Quantity, 'Current value averaged across pods.'),
  averageUtilization: int32('Current percentage of the pods\' resource requests.'),
});

const target = () => ref(MetricTarget, 'Target value for the metric.', { default: {} });
const current = () => ref(MetricValueStatus, 'Current value of the metric.', { default: {} });
const metric = () => ref(MetricIdentifier, 'The metric.', { default: {} });
const described = () => ref(CrossVersionObjectReference, 'The object the metric describes.', { default: {} });

export const ObjectMetricSource = def(`${V2}.ObjectMetricSource`, 'A metric describing one object (e.g. requests per second of an Ingress).', {
  describedObject: described(),
  target: target(),
  metric: metric(),
}, { required: ['describedObject', 'target', 'metric'] });

export const PodsMetricSource = def(`${V2}.PodsMetricSource`, 'A metric of every pod of the target, averaged.', {
  metric: metric(),
  target: target(),
}, { required: ['metric', 'target'] });

export const ResourceMetricSource = def(`${V2}.ResourceMetricSource`, 'A resource (cpu, memory) of the target\'s pods.', {
  name: str('Resource name.', { default: '' }),
  target: target(),
}, { required: ['name', 'target'] });

export const ContainerResourceMetricSource = def(
  `${V2}.ContainerResourceMetricSource`,
  'A resource of one container in each of the target\'s pods.',
  {
    name: str('Resource name.', { default: '' }),
    target: target(),
    container: str('Container name.', { default: '' }),
  },
  { required: ['name', 'target', 'container'] },
);

export const ExternalMetricSource = def(`${V2}.ExternalMetricSource`, 'A metric from outside the cluster.', {
  metric: metric(),
  target: target(),
}, { required: ['metric', 'target'] });

export const MetricSpec = def(
  `${V2}.MetricSpec`,
  'One metric to scale on; exactly one source matching type is set.',
  {
    type: str('"ContainerResource", "External", "Object", "Pods" or "Resource".', { default: '' }),
    object: ref(ObjectMetricSource, 'Object metric source.'),
    pods: ref(PodsMetricSource, 'Pods metric source.'),
    resource: ref(ResourceMetricSource, 'Resource metric source.'),
    containerResource: ref(ContainerResourceMetricSource, 'Container resource metric source.'),
    external: ref(ExternalMetricSource, 'External metric source.'),
  },
  { required: ['type'] },
);

export const HPAScalingPolicy = def(
  `${V2}.HPAScalingPolicy`,
  'A single allowed change within a period.',
  {
    type: str('"Pods" or "Percent".', { default: '' }),
    value: int32('Amount of change allowed; must be positive.', { default: 0 }),
    periodSeconds: int32('Window (1-1800 seconds) the policy applies over.', { default: 0 }),
  },
  { required: ['type', 'value', 'periodSeconds'] },
);

export const HPAScalingRules = def(`${V2}.HPAScalingRules`, 'Scaling behaviour in one direction.', {
  stabilizationWindowSeconds: int32('Seconds of past recommendations considered when scaling (0-3600).'),
  selectPolicy: str('"Max", "Min" or "Disabled": which policy wins. Defaults to Max.'),
  policies: arr(ref(HPAScalingPolicy, undefined, { default: {} }), 'Policies that limit each scaling step.', {
    listType: 'atomic',
  }),
});

export const HorizontalPodAutoscalerBehavior = def(`${V2}.HorizontalPodAutoscalerBehavior`, 'Scale-up and scale-down behaviour.', {
  scaleUp: ref(HPAScalingRules, 'Rules for scaling up. Defaults: no stabilization, +100% or +4 pods per 15s.'),
  scaleDown: ref(HPAScalingRules, 'Rules for scaling down. Defaults: 300s stabilization, -100% per 15s.'),
});

export const HorizontalPodAutoscalerSpec = def(
  `${V2}.HorizontalPodAutoscalerSpec`,
  'Desired behaviour of the autoscaler.',
  {
    scaleTargetRef: ref(CrossVersionObjectReference, 'The scalable resource to control.', { default: {} }),
    minReplicas: int32('Lower replica bound. Defaults to 1.'),
    maxReplicas: int32('Upper replica bound; must be at least minReplicas.', { default: 0 }),
    metrics: arr(ref(MetricSpec, undefined, { default: {} }), 'Metrics that drive the replica count; the highest proposal wins.', {
      listType: 'atomic',
    }),
    behavior: ref(HorizontalPodAutoscalerBehavior, 'Scaling behaviour in each direction.'),
  },
  { required: ['scaleTargetRef', 'maxReplicas'] },
);

const ObjectMetricStatus = def(`${V2}.ObjectMetricStatus`, 'Current value of an object metric.', {
  metric: metric(),
  current: current(),
  describedObject: described(),
}, { required: ['metric', 'current', 'describedObject'] });

const PodsMetricStatus = def(`${V2}.PodsMetricStatus`, 'Current value of a pods metric.', {
  metric: metric(),
  current: current(),
}, { required: ['metric', 'current'] });

const ResourceMetricStatus = def(`${V2}.ResourceMetricStatus`, 'Current value of a resource metric.', {
  name: str('Resource name.', { default: '' }),
  current: current(),
}, { required: ['name', 'current'] });

const ContainerResourceMetricStatus = def(`${V2}.ContainerResourceMetricStatus`, 'Current value of a container resource metric.', {
  name: str('Resource name.', { default: '' }),
  current: current(),
  container: str('Container name.', { default: '' }),
}, { required: ['name', 'current', 'container'] });

const ExternalMetricStatus = def(`${V2}.ExternalMetricStatus`, 'Current value of an external metric.', {
  metric: metric(),
  current: current(),
}, { required: ['metric', 'current'] });

export const MetricStatus = def(
  `${V2}.MetricStatus`,
  'Last read value of one metric.',
  {
    type: str('"ContainerResource", "External", "Object", "Pods" or "Resource".', { default: '' }),
    object: ref(ObjectMetricStatus, 'Object metric status.'),
    pods: ref(PodsMetricStatus, 'Pods metric status.'),
    resource: ref(ResourceMetricStatus, 'Resource metric status.'),
    containerResource: ref(ContainerResourceMetricStatus, 'Container resource metric status.'),
    external: ref(ExternalMetricStatus, 'External metric status.'),
  },
  { required: ['type'] },
);

export const HorizontalPodAutoscalerCondition = def(
  `${V2}.HorizontalPodAutoscalerCondition`,
  'One observed aspect of the autoscaler.',
  {
    type: str('Condition type: ScalingActive, AbleToScale or ScalingLimited.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastTransitionTime: ref(Time, 'When the status last changed.'),
    reason: str('Machine-readable reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  },
  { required: ['type', 'status'] },
);

export const HorizontalPodAutoscalerStatus = def(
  `${V2}.HorizontalPodAutoscalerStatus`,
  'Observed state of the autoscaler.',
  {
    observedGeneration: int64('Generation last acted on by the autoscaler.'),
    lastScaleTime: ref(Time, 'When the replica count was last changed.'),
    currentReplicas: int32('Replicas last seen.'),
    desiredReplicas: int32('Replicas last computed as desired.', { default: 0 }),
    currentMetrics: arr(ref(MetricStatus, undefined, { default: {} }), 'Last read metric values.', { listType: 'atomic' }),
    conditions: arr(ref(HorizontalPodAutoscalerCondition, undefined, { default: {} }), 'Latest observations of the autoscaler.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { required: ['desiredReplicas'] },
);

export const HorizontalPodAutoscalerV2 = def(
  `${V2}.HorizontalPodAutoscaler`,
  'Scales a workload automatically from observed metrics.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(HorizontalPodAutoscalerSpec, 'Desired behaviour of the autoscaler.', { default: {} }),
    status: ref(HorizontalPodAutoscalerStatus, 'Current state of the autoscaler.', { default: {} }),
  },
  { gvk: [{ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }] },
);
