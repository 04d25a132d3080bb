/**
 * pilothouse.dev/v1alpha1 SimulatedNode: a kwok-style node that lives inside the control plane. Creating one
 * registers a Node of the same name (main/nodes/providers/simulated/); its spec says what the node reports
 * (capacity, labels, taints, images) and how it behaves (state, pod start delay). Cluster-scoped, like Node.
 */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabels } from '../../meta/meta-validation.js';
import { isQualifiedName } from '../../meta/name-validation.js';
import { Condition, objectMeta, resourceList, typeMeta } from '../../meta/schemas.js';
import { arr, def, enumStr, int64, num, ref, stringMap, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { ContainerImage, Taint as TaintSchema } from '../../core/v1/node-schema.js';
import { validateTaints, type Taint } from '../../core/v1/node.js';
import { quantityErrors } from '../../core/v1/validation-util.js';

export const SIMULATED_NODE_STATES = ['Ready', 'NotReady', 'Stopped'] as const;
export type SimulatedNodeState = (typeof SIMULATED_NODE_STATES)[number];

/** What a simulated node reports when its spec names no capacity (a modest VM; 110 pods as the kubelet's default). */
export const DEFAULT_SIMULATED_CAPACITY: Readonly<Record<string, string>> = {
  cpu: '4',
  memory: '16Gi',
  pods: '110',
  'ephemeral-storage': '100Gi',
};

export const SimulatedNodeSpec = def('dev.pilothouse.v1alpha1.SimulatedNodeSpec', 'What a simulated node reports and how it behaves.', {
  capacity: resourceList(
    'Resources the node reports as capacity (and allocatable): cpu, memory, pods, ephemeral-storage and extended resources. Missing standard resources get defaults (4 cpu, 16Gi memory, 110 pods, 100Gi ephemeral-storage).',
  ),
  labels: stringMap('Extra labels of the Node, on top of the ones every simulated node carries (kubernetes.io/hostname, kubernetes.io/os, ...).'),
  taints: arr(ref(TaintSchema, undefined, { default: {} }), 'Taints of the Node.', { listType: 'atomic' }),
  state: enumStr('How the node behaves. Defaults to Ready.', {
    Ready: 'heartbeats and reports Ready; runs pods bound to it.',
    NotReady: 'keeps heartbeating but reports Ready=False (KubeletNotReady); pods on it keep their state.',
    Stopped: 'goes silent like a crashed machine: no Lease renewals, no status updates, no pod processing.',
  }),
  podStartSeconds: num('Seconds a bound pod stays ContainerCreating before it runs. Defaults to 1.'),
  images: arr(ref(ContainerImage, undefined, { default: {} }), 'Images the node reports in status.images (used by ImageLocality).', {
    listType: 'atomic',
  }),
});

export const SimulatedNodeStatus = def('dev.pilothouse.v1alpha1.SimulatedNodeStatus', 'What the simulated node provider observed.', {
  phase: enumStr('Where the node is in its life.', {
    Pending: 'the provider has not registered the Node yet.',
    Ready: 'registered and heartbeating, reporting Ready.',
    NotReady: 'registered and heartbeating, reporting NotReady.',
    Stopped: 'silent: no heartbeats.',
    Failed: 'the provider could not register the Node; see message.',
  }),
  nodeName: str('Name of the Node this simulated node registered.'),
  conditions: arr(ref(Condition, undefined, { default: {} }), 'Observations of the provider (Registered, Heartbeating).', {
    listType: 'map',
    mapKeys: ['type'],
  }),
  message: str('Human-readable detail, e.g. why registration failed.'),
  observedGeneration: int64('The metadata.generation the provider last acted on.'),
});

export const SimulatedNodeSchema = def(
  'dev.pilothouse.v1alpha1.SimulatedNode',
  'An in-process (kwok-style) node: registers a Node, renews its Lease and moves the pods bound to it through their lifecycle.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(SimulatedNodeSpec, 'Desired behaviour of the simulated node.', { default: {} }),
    status: ref(SimulatedNodeStatus, 'Observed state of the simulated node.', { default: {} }),
  },
  { gvk: [{ group: 'pilothouse.dev', version: 'v1alpha1', kind: 'SimulatedNode' }] },
);

export interface ContainerImageInfo {
  names?: string[];
  sizeBytes?: number;
}

export interface SimulatedNodeCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export interface SimulatedNode extends KObject {
  spec?: {
    capacity?: Record<string, string | number>;
    labels?: Record<string, string>;
    taints?: Taint[];
    state?: SimulatedNodeState;
    podStartSeconds?: number;
    images?: ContainerImageInfo[];
  };
  status?: {
    phase?: string;
    nodeName?: string;
    conditions?: SimulatedNodeCondition[];
    message?: string;
    observedGeneration?: number;
  };
}

export function defaultSimulatedNode(sn: SimulatedNode): void {
  const spec = (sn.spec ??= {});
  spec.state ??= 'Ready';
  spec.podStartSeconds ??= 1;
  const capacity = (spec.capacity ??= {});
  for (const [name, value] of Object.entries(DEFAULT_SIMULATED_CAPACITY)) capacity[name] ??= value;
}

export function validateSimulatedNode(sn: SimulatedNode): FieldError[] {
  const errs: FieldError[] = [];
  const spec = sn.spec ?? {};
  const p = FieldPath.root('spec');
  if (spec.state !== undefined && !(SIMULATED_NODE_STATES as readonly string[]).includes(spec.state))
    errs.push(notSupported(p.child('state'), spec.state, [...SIMULATED_NODE_STATES]));
  if (spec.podStartSeconds !== undefined && !(spec.podStartSeconds >= 0))
    errs.push(invalid(p.child('podStartSeconds'), spec.podStartSeconds, 'must be greater than or equal to 0'));
  for (const [name, q] of Object.entries(spec.capacity ?? {})) {
    const cp = p.child('capacity').key(name);
    const nameErrs = isQualifiedName(name).map((m) => invalid(cp, name, m));
    errs.push(...(nameErrs.length ? nameErrs : quantityErrors(q, cp)));
  }
  errs.push(...validateLabels(spec.labels, p.child('labels')));
  errs.push(...validateTaints(spec.taints, p.child('taints')));
  (spec.images ?? []).forEach((img, i) => {
    const ip = p.child('images').index(i);
    if (!img.names?.length) errs.push(required(ip.child('names'), 'an image needs at least one name'));
    if (img.sizeBytes !== undefined && img.sizeBytes < 0)
      errs.push(invalid(ip.child('sizeBytes'), img.sizeBytes, 'must be greater than or equal to 0'));
  });
  return errs;
}

const capacityCell = (name: string) => (sn: SimulatedNode) => String(sn.spec?.capacity?.[name] ?? '');

export const simulatedNodes = defineResource<SimulatedNode>({
  group: 'pilothouse.dev',
  version: 'v1alpha1',
  kind: 'SimulatedNode',
  plural: 'simulatednodes',
  singular: 'simulatednode',
  shortNames: ['simnode'],
  namespaced: false,
  schema: SimulatedNodeSchema,
  subresources: { status: true },
  generation: true,
  defaults: defaultSimulatedNode,
  strategy: { validate: validateSimulatedNode, validateUpdate: (sn) => validateSimulatedNode(sn) },
  columns: [
    nameColumn<SimulatedNode>(),
    col<SimulatedNode>('State', (sn) => sn.spec?.state ?? 'Ready', { description: 'Desired behaviour: Ready, NotReady or Stopped.' }),
    col<SimulatedNode>('CPU', capacityCell('cpu'), { description: 'CPU capacity the node reports.' }),
    col<SimulatedNode>('Memory', capacityCell('memory'), { description: 'Memory capacity the node reports.' }),
    col<SimulatedNode>('Pods', capacityCell('pods'), { description: 'How many pods the node accepts.' }),
    ageColumn<SimulatedNode>(),
    col<SimulatedNode>('Phase', (sn) => sn.status?.phase ?? 'Pending', { priority: 1, description: 'What the provider observed.' }),
  ],
});
