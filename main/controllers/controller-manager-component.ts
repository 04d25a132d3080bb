/**
 * The controller manager as a control-plane component (its own worker thread): a client acting as
 * system:kube-controller-manager (in system:masters until RBAC for it exists) running every enabled controller.
 * Reported as `controller-manager` in `kubectl get componentstatuses`.
 */
import { SYSTEM_MASTERS } from '../apiserver/authn/user-info.js';
import type { ComponentDefinition } from '../components/component.js';
import { allControllers } from './all-controllers.js';
import { ControllerManager } from './controller-manager.js';
import type { ControllerManagerOptions } from './controller-manager-options.js';

export type ControllerManagerCalls = {
  /** Names of the running controllers. */
  controllers(): string[];
};

export const controllerManagerComponent: ComponentDefinition<ControllerManagerOptions, ControllerManagerCalls> = {
  name: 'controller-manager',
  user: { username: 'system:kube-controller-manager', groups: [SYSTEM_MASTERS, 'system:authenticated'] },
  userAgent: 'kube-controller-manager/v1.32.0 (linux/amd64) pilothouse',
  async start({ client, options, log }) {
    const manager = new ControllerManager({ client, options, log, factories: allControllers });
    await manager.start();
    return {
      health: () => (manager.isRunning() ? { healthy: true, message: 'ok' } : { healthy: false, message: 'controller manager is not running' }),
      calls: { controllers: () => manager.names() },
      stop: () => manager.stop(),
    };
  },
};
