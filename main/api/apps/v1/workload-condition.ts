/** The condition type shared (under per-kind names) by ReplicaSet, StatefulSet and DaemonSet status. */
import { Time } from '../../meta/schemas.js';
import { def, ref, str } from '../../schema/builder.js';
import type { Definition } from '../../schema/schema.js';

export function workloadCondition(kind: string, typeDescription = 'Condition type.'): Definition {
  return def(
    `io.k8s.api.apps.v1.${kind}Condition`,
    `One observed aspect of a ${kind}.`,
    {
      type: str(typeDescription, { default: '' }),
      status: str('"True", "False" or "Unknown".', { default: '' }),
      lastTransitionTime: ref(Time, 'When the status last changed.'),
      reason: str('Machine-readable reason for the last transition.'),
      message: str('Human-readable details of the last transition.'),
    },
    { required: ['type', 'status'] },
  );
}
