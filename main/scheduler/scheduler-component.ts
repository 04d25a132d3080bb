/**
 * The scheduler as a control-plane component: a client acting as system:kube-scheduler (in system:masters until
 * RBAC for it exists), its own informer factory, the in-tree registry. Its calls serve the SchedulingDecision
 * computed resource and the benchmark's metrics.
 */
import type { SchedulingDecision } from '../api/scheduling.pilothouse.dev/v1alpha1/scheduling-decision.js';
import { SYSTEM_MASTERS } from '../apiserver/authn/user-info.js';
import { stripManagedFields } from '../client/informer.js';
import { SharedInformerFactory } from '../client/shared-informer-factory.js';
import type { ComponentDefinition } from '../components/component.js';
import { defaultRegistry } from './default-registry.js';
import type { ProfileConfig } from './framework/profile-config.js';
import { Scheduler } from './scheduler.js';

export interface SchedulerComponentOptions {
  profiles?: ProfileConfig[];
  percentageOfNodesToScore?: number;
}

export type SchedulerCalls = {
  /** Every recorded attempt, as SchedulingDecision objects. */
  decisions(): SchedulingDecision[];
  /** Counters and latency quantiles (SchedulerMetrics.snapshot). */
  metrics(): Record<string, number>;
  /** Clears the latency samples (benchmarks measure one phase at a time). */
  resetLatencies(): void;
};

export const schedulerComponent: ComponentDefinition<SchedulerComponentOptions, SchedulerCalls> = {
  name: 'scheduler',
  user: { username: 'system:kube-scheduler', groups: [SYSTEM_MASTERS, 'system:authenticated'] },
  userAgent: 'kube-scheduler/v1.32.0 (linux/amd64) pilothouse',
  async start({ client, options, log }) {
    // Cached objects never need managedFields (kube-scheduler strips them too): big clusters cache much less.
    const informers = new SharedInformerFactory(client, { log, transform: stripManagedFields });
    const scheduler = new Scheduler({
      client, informers, registry: defaultRegistry(), profiles: options.profiles,
      percentageOfNodesToScore: options.percentageOfNodesToScore, log,
    });
    await scheduler.start();
    return {
      health: () => (scheduler.isRunning() ? { healthy: true, message: 'ok' } : { healthy: false, message: 'scheduler is not running' }),
      calls: {
        decisions: () => scheduler.decisions.list(),
        metrics: () => scheduler.metrics.snapshot(),
        resetLatencies: () => {
          scheduler.metrics.attemptLatency.reset();
          scheduler.metrics.e2eLatency.reset();
        },
      },
      async stop() {
        await scheduler.stop();
        informers.stop();
      },
    };
  },
};
