/** scheduling.k8s.io/v1 PriorityClass: maps a class name to a pod priority value. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, forbidden, immutable, notSupported, type FieldError } from '../../meta/field-errors.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { bool, def, enumStr, int32, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';

export const PriorityClassSchema = def(
  'io.k8s.api.scheduling.v1.PriorityClass',
  'Maps a priority class name to the integer priority that pods using it receive. Cluster-scoped.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    value: int32('The priority; higher values schedule (and preempt) first. Immutable.', { default: 0 }),
    globalDefault: bool('Use this class for pods that name no class. At most one class may set it.'),
    description: str('Free text on when to use this class.'),
    preemptionPolicy: enumStr('Whether pods of this class may preempt lower-priority pods. Defaults to PreemptLowerPriority. Immutable.', {
      Never: 'never preempts other pods.',
      PreemptLowerPriority: 'may preempt pods of lower priority.',
    }),
  },
  { required: ['value'], gvk: [{ group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' }] },
);

export interface PriorityClass extends KObject {
  value?: number;
  globalDefault?: boolean;
  description?: string;
  preemptionPolicy?: string;
}

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
const SYSTEM_PREFIX = 'system-';
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** The built-in classes the server seeds on start-up (values and descriptions as upstream ships them). */
export const SYSTEM_PRIORITY_CLASSES: PriorityClass[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
    preemptionPolicy: 'PreemptLowerPriority',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    preemptionPolicy: 'PreemptLowerPriority',
  },
];

export function defaultPriorityClass(pc: PriorityClass): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata.name ?? '';
  const system = SYSTEM_PRIORITY_CLASSES.find((s) => s.metadata.name === name);
  if (system) {
    if (pc.value !== system.value || (pc.globalDefault ?? false))
      errs.push(forbidden(FieldPath.root('metadata').child('name'), `${name} is a reserved system priority class name`));
  } else if (name.startsWith(SYSTEM_PREFIX)) {
    errs.push(forbidden(FieldPath.root('metadata').child('name'), `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only`));
  } else if ((pc.value ?? 0) > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden(FieldPath.root('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (pc.preemptionPolicy !== undefined && !PREEMPTION_POLICIES.includes(pc.preemptionPolicy))
    errs.push(notSupported(FieldPath.root('preemptionPolicy'), pc.preemptionPolicy, PREEMPTION_POLICIES));
  return errs;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if ((pc.value ?? 0) !== (old.value ?? 0)) errs.push(forbidden(FieldPath.root('value'), 'may not be changed in an update.'));
  if (pc.preemptionPolicy !== old.preemptionPolicy) errs.push(immutable(FieldPath.root('preemptionPolicy'), pc.preemptionPolicy));
  return errs;
}

export const priorityClasses = defineResource<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  namespaced: false,
  schema: PriorityClassSchema,
  defaults: defaultPriorityClass,
  strategy: { validate: validatePriorityClass, validateUpdate: validatePriorityClassUpdate },
  columns: [
    nameColumn(),
    col<PriorityClass>('Value', (o) => o.value ?? 0, { type: 'integer', description: 'The value of this priority class.' }),
    col<PriorityClass>('Global-Default', (o) => o.globalDefault ?? false, {
      type: 'boolean',
      description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority.',
    }),
    ageColumn(),
    col<PriorityClass>('PreemptionPolicy', (o) => o.preemptionPolicy ?? '', { description: 'Preemption policy of this priority class.' }),
  ],
});
