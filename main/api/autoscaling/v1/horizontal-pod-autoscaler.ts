/**
 * autoscaling/v1 HorizontalPodAutoscaler: the CPU-only version `kubectl autoscale` writes. Stored as
 * autoscaling/v2; validation and columns run on the converted v2 object, as upstream runs them on the
 * internal type.
 */
import type { Column } from '../../resource.js';
import { defineResource } from '../../resource.js';
import { objectMeta, Time, typeMeta } from '../../meta/schemas.js';
import { def, int32, int64, ref, str } from '../../schema/builder.js';
import { hpaColumns, validateHPAv2 } from '../v2/horizontal-pod-autoscaler.js';
import { hpaV1ToV2, hpaV2ToV1, type HPAv1 } from '../hpa-conversion.js';

const V1 = 'io.k8s.api.autoscaling.v1';

export const CrossVersionObjectReferenceV1 = def(
  `${V1}.CrossVersionObjectReference`,
  'Identifies the referred resource.',
  {
    kind: str('Kind of the referent, e.g. "Deployment".', { default: '' }),
    name: str('Name of the referent.', { default: '' }),
    apiVersion: str('API version of the referent.'),
  },
  { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const HorizontalPodAutoscalerSpecV1 = def(
  `${V1}.HorizontalPodAutoscalerSpec`,
  'Desired behaviour of the autoscaler.',
  {
    scaleTargetRef: ref(CrossVersionObjectReferenceV1, 'The scalable resource to control.', { default: {} }),
    minReplicas: int32('Lower replica bound. Defaults to 1.'),
    maxReplicas: int32('Upper replica bound; must be at least minReplicas.', { default: 0 }),
    targetCPUUtilizationPercentage: int32('Target average CPU use, as a percentage of requests. Defaults to 80 when no metric is given.'),
  },
  { required: ['scaleTargetRef', 'maxReplicas'] },
);

export const HorizontalPodAutoscalerStatusV1 = def(
  `${V1}.HorizontalPodAutoscalerStatus`,
  'Observed state of the autoscaler.',
  {
    observedGeneration: int64('Generation last acted on by the autoscaler.'),
    lastScaleTime: ref(Time, 'When the replica count was last changed.'),
    currentReplicas: int32('Replicas last seen.', { default: 0 }),
    desiredReplicas: int32('Replicas last computed as desired.', { default: 0 }),
    currentCPUUtilizationPercentage: int32('Current average CPU use, as a percentage of requests.'),
  },
  { required: ['currentReplicas', 'desiredReplicas'] },
);

export const HorizontalPodAutoscalerV1 = def(
  `${V1}.HorizontalPodAutoscaler`,
  'Scales a workload automatically on average CPU use.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(HorizontalPodAutoscalerSpecV1, 'Desired behaviour of the autoscaler.', { default: {} }),
    status: ref(HorizontalPodAutoscalerStatusV1, 'Current state of the autoscaler.', { default: {} }),
  },
  { gvk: [{ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }] },
);

/** The v2 columns, computed on the converted object. */
const v1Columns: Column<HPAv1>[] = hpaColumns.map((c) => ({ ...c, cell: (o: HPAv1, now: number) => c.cell(hpaV1ToV2(o), now) }));

export const horizontalPodAutoscalersV1 = defineResource<HPAv1>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  subresources: { status: true },
  schema: HorizontalPodAutoscalerV1,
  defaults(h) {
    (h.spec ??= {}).minReplicas ??= 1;
  },
  generation: true,
  strategy: {
    prepareForCreate: (h) => {
      h.status = { currentReplicas: 0, desiredReplicas: 0 };
    },
    validate: (h) => validateHPAv2(hpaV1ToV2(h)),
    validateUpdate: (h) => validateHPAv2(hpaV1ToV2(h)),
  },
  columns: v1Columns,
  storage: { resource: 'autoscaling/horizontalpodautoscalers', toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
});
