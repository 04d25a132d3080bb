/**
 * Wiring of the scheduler into a control plane: an in-process client as system:kube-scheduler (in
 * system:masters until RBAC for it exists), its own informer factory, the in-tree registry, the
 * SchedulingDecision computed resource and the 'scheduler' component health.
 */
import type { ApiServer } from '../apiserver/api-server.js';
import { SYSTEM_MASTERS } from '../apiserver/authn/user-info.js';
import { createLocalClient } from '../client/local-client.js';
import { SharedInformerFactory } from '../client/shared-informer-factory.js';
import { stripManagedFields } from '../client/informer.js';
import type { ComponentHealth } from '../control-plane/component-health.js';
import { defaultRegistry } from './default-registry.js';
import type { ProfileConfig } from './framework/profile-config.js';
import { Scheduler } from './scheduler.js';

export const KUBE_SCHEDULER_USER = { username: 'system:kube-scheduler', groups: [SYSTEM_MASTERS, 'system:authenticated'] };

export interface StartSchedulerOptions {
  health?: ComponentHealth;
  profiles?: ProfileConfig[];
  percentageOfNodesToScore?: number;
  log?: (m: string) => void;
}

export interface RunningScheduler {
  scheduler: Scheduler;
  stop(): Promise<void>;
}

export async function startScheduler(server: ApiServer, opts: StartSchedulerOptions = {}): Promise<RunningScheduler> {
  const log = opts.log ?? ((m: string) => console.error(m));
  const client = createLocalClient(server, KUBE_SCHEDULER_USER, { userAgent: 'kube-scheduler/v1.32.0 (linux/amd64) pilothouse' });
  // Cached objects never need managedFields (kube-scheduler strips them too): big clusters cache much less.
  const informers = new SharedInformerFactory(client, { log, transform: stripManagedFields });
  const scheduler = new Scheduler({
    client, informers, registry: defaultRegistry(), profiles: opts.profiles, percentageOfNodesToScore: opts.percentageOfNodesToScore, log,
  });
  server.computed.set('scheduling.pilothouse.dev/schedulingdecisions', async () => scheduler.decisions.list());
  opts.health?.register('scheduler', () =>
    scheduler.isRunning() ? { healthy: true, message: 'ok' } : { healthy: false, message: 'scheduler is not running' });
  await scheduler.start();
  return {
    scheduler,
    async stop() {
      await scheduler.stop();
      informers.stop();
    },
  };
}
