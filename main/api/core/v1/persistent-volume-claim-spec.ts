/**
 * io.k8s.api.core.v1.PersistentVolumeClaimSpec and PersistentVolumeClaimStatus, kept apart from the PVC
 * resource so pod volumes (ephemeral claim templates) and StatefulSet claim templates can embed them.
 */
import { LabelSelector, Time, resourceList } from '../../meta/schemas.js';
import { arr, def, enumStr, map, ref, str } from '../../schema/builder.js';
import { VolumeResourceRequirements } from './container.js';
import { TypedLocalObjectReference, TypedObjectReference } from './object-reference.js';

const CORE = 'io.k8s.api.core.v1';

export const ACCESS_MODES = {
  ReadOnlyMany: 'can be mounted read-only by many nodes',
  ReadWriteMany: 'can be mounted read-write by many nodes',
  ReadWriteOnce: 'can be mounted read-write by a single node',
  ReadWriteOncePod: 'can be mounted read-write by a single pod',
};
export const VOLUME_MODES = { Block: 'a raw block device', Filesystem: 'a mounted filesystem' };

export const accessModesSchema = (description: string) =>
  arr(enumStr('', ACCESS_MODES, { default: '' }), description, { listType: 'atomic' });

export const PersistentVolumeClaimSpec = def(`${CORE}.PersistentVolumeClaimSpec`, 'What a claim asks for.', {
  accessModes: accessModesSchema('Access modes the volume must support.'),
  selector: ref(LabelSelector, 'Label query over volumes to bind to.'),
  resources: ref(VolumeResourceRequirements, 'Least storage the volume must offer (requests.storage).', { default: {} }),
  volumeName: str('Binds the claim to this PersistentVolume.'),
  storageClassName: str('StorageClass required; "" asks for a volume without class, unset uses the default class.'),
  volumeMode: enumStr('Whether the volume is a filesystem or a raw block device. Defaults to Filesystem.', VOLUME_MODES),
  dataSource: ref(TypedLocalObjectReference, 'Object to populate the volume from (snapshot or claim).'),
  dataSourceRef: ref(TypedObjectReference, 'Object to populate the volume from, any populator kind, possibly another namespace.'),
  volumeAttributesClassName: str('VolumeAttributesClass applied to the volume; may change after creation.'),
});

export const PersistentVolumeClaimCondition = def(
  `${CORE}.PersistentVolumeClaimCondition`,
  'One observed condition of a claim (e.g. Resizing).',
  {
    type: str('Condition type.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    lastProbeTime: ref(Time, 'When the condition was last checked.'),
    lastTransitionTime: ref(Time, 'When the condition last changed.'),
    reason: str('Machine-readable reason of the last change.'),
    message: str('Human-readable details.'),
  },
  { required: ['type', 'status'] },
);

export const ModifyVolumeStatus = def(
  `${CORE}.ModifyVolumeStatus`,
  'Progress of a volume attributes class change.',
  {
    targetVolumeAttributesClassName: str('Class being applied.'),
    status: enumStr('State of the change.', {
      InProgress: 'the change is being made',
      Infeasible: 'the change cannot be made as asked',
      Pending: 'the change waits for a condition, e.g. the class to exist',
    }, { default: '' }),
  },
  { required: ['status'] },
);

export const PersistentVolumeClaimStatus = def(`${CORE}.PersistentVolumeClaimStatus`, 'Observed state of a claim.', {
  phase: enumStr('Binding phase.', { Bound: 'bound to a volume', Lost: 'its volume is gone', Pending: 'not yet bound' }),
  accessModes: accessModesSchema('Access modes of the bound volume.'),
  capacity: resourceList('Resources of the bound volume.'),
  conditions: arr(ref(PersistentVolumeClaimCondition, undefined, { default: {} }), 'Current conditions.', {
    mergeKey: 'type',
    strategy: 'merge',
    listType: 'map',
    mapKeys: ['type'],
  }),
  allocatedResources: resourceList('Resources allocated to the claim, possibly more than requested during a resize.'),
  allocatedResourceStatuses: map({ type: 'string', default: '' }, 'State of each resource being resized.', {
    'x-kubernetes-map-type': 'granular',
  }),
  currentVolumeAttributesClassName: str('VolumeAttributesClass currently applied.'),
  modifyVolumeStatus: ref(ModifyVolumeStatus, 'Progress of a volume attributes class change, if any.'),
});
