/**
 * SchedulingGates (PreEnqueue): a pod with spec.schedulingGates is parked (not tried) until every gate is
 * removed. The message is upstream's ("waiting for scheduling gates: [a b]", Go's %v of a string slice).
 */
import {
  ActionType,
  Status,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type Pod,
  type PluginFactory,
  type PluginStatus,
  type PreEnqueuePlugin,
} from '../framework/types.js';
import { Names } from './names.js';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = Names.SchedulingGates;

  preEnqueue(pod: Pod): PluginStatus {
    const gates = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return null;
    return Status.unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodSchedulingGatesEliminated, label: 'UnscheduledPodUpdate' },
        queueingHintFn: (pod, _old, newObj) => {
          const p = newObj as Pod | undefined;
          if (!p || p.metadata.uid !== pod.metadata.uid) return 'QueueSkip';
          return (p.spec?.schedulingGates ?? []).length === 0 ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }
}

export const newSchedulingGates: PluginFactory = () => new SchedulingGates();
