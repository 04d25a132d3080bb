/**
 * Controller tests: an in-process control plane (memory store, no components) with a ControllerManager running
 * the given controllers on this thread, as system:kube-controller-manager, plus an admin client for arranging
 * objects and observing results.
 */
import { LOOPBACK_USER } from '../../../main/apiserver/authn/user-info.js';
import type { KubeClient } from '../../../main/client/kube-client.js';
import { createLocalClient } from '../../../main/client/local-client.js';
import type { ControllerFactory } from '../../../main/controllers/controller.js';
import { controllerManagerComponent } from '../../../main/controllers/controller-manager-component.js';
import { ControllerManager } from '../../../main/controllers/controller-manager.js';
import type { ControllerManagerOptions } from '../../../main/controllers/controller-manager-options.js';
import { startTestCluster, type TestCluster } from '../../helpers/control-plane-fixture.js';

export { waitFor } from '../../helpers/wait-for.js';

export interface ControllerTest {
  cluster: TestCluster;
  /** Acts as the cluster admin (system:masters). */
  admin: KubeClient;
  manager: ControllerManager;
  logs: string[];
  stop(): Promise<void>;
}

export async function startControllerTest(factories: readonly ControllerFactory[], options: ControllerManagerOptions = {}): Promise<ControllerTest> {
  const cluster = await startTestCluster();
  const logs: string[] = [];
  const client = createLocalClient(cluster.cp.server, controllerManagerComponent.user, { userAgent: controllerManagerComponent.userAgent });
  const manager = new ControllerManager({ client, options, factories, log: (m) => logs.push(m) });
  try {
    await manager.start();
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return {
    cluster,
    admin: createLocalClient(cluster.cp.server, LOOPBACK_USER),
    manager,
    logs,
    async stop() {
      await manager.stop();
      await cluster.stop();
    },
  };
}
