/** The Pod resource (core/v1): schema, defaults, strategy, table and field selectors. */
import { FieldPath, type FieldError } from '../../meta/field-errors.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { def, ref } from '../../schema/builder.js';
import { defaultPodSpec } from './pod-defaults.js';
import { podColumns } from './pod-columns.js';
import { computePodQOS } from './pod-qos.js';
import { PodSpec } from './pod-spec.js';
import { PodStatus } from './pod-status.js';
import type { Pod, PodStatus as PodStatusT } from './pod-types.js';
import { validatePodUpdate } from './pod-update.js';
import { validatePodOnly, validatePodSpec } from './pod-validation.js';

export const PodSchema = def(
  'io.k8s.api.core.v1.Pod',
  'A group of containers scheduled together on one node, sharing network and storage.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(PodSpec, 'Desired behaviour of the pod.'),
    status: ref(PodStatus, 'Most recently observed state of the pod; written by the system.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Pod' }] },
);

/** The initial status of a new pod: Pending, its QoS class, and the SchedulingGated condition if gated. */
export function initialPodStatus(pod: Pod): PodStatusT {
  const status: PodStatusT = { phase: 'Pending', qosClass: computePodQOS(pod.spec) };
  if ((pod.spec.schedulingGates ?? []).length > 0)
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  return status;
}

function validatePod(pod: Pod): FieldError[] {
  const p = FieldPath.root('spec');
  return [...validatePodSpec(pod.spec, p), ...(pod.spec ? validatePodOnly(pod.spec, p) : [])];
}

const hostNetwork = (pod: Pod) => String(pod.spec?.hostNetwork === true);

export const pods = defineResource<Pod>({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  subresources: {
    status: true,
    binding: true,
    eviction: true,
    log: true,
    exec: true,
    attach: true,
    portforward: true,
    proxy: true,
    ephemeralcontainers: true,
  },
  schema: PodSchema,
  defaults(pod) {
    pod.spec ??= { containers: [] };
    defaultPodSpec(pod.spec);
  },
  strategy: {
    prepareForCreate(pod) {
      pod.status = initialPodStatus(pod);
      if (pod.spec.terminationGracePeriodSeconds !== undefined && pod.spec.terminationGracePeriodSeconds < 0)
        pod.spec.terminationGracePeriodSeconds = 1;
    },
    prepareForUpdate(pod, old) {
      if (old.status !== undefined) pod.status = old.status;
      else delete pod.status;
    },
    validate: validatePod,
    validateUpdate(pod, old) {
      // Like upstream, updates are checked against the old pod rather than re-validated from scratch.
      const p = FieldPath.root('spec');
      return [...validatePodUpdate(pod, old), ...(pod.spec ? validatePodOnly(pod.spec, p) : [])];
    },
    prepareForStatusUpdate(pod, old) {
      pod.spec = old.spec;
    },
  },
  fieldSelectors: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': hostNetwork,
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIPs?.[0]?.ip ?? '',
    // Accepted as a field label upstream but absent from the selectable set, so it only matches "".
    'status.podIPs': () => '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
  columns: podColumns,
});
