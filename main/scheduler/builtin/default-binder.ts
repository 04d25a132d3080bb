/** DefaultBinder (Bind): POST pods/<name>/binding with the chosen node, as upstream. */
import type { KubeClient } from '../../client/kube-client.js';
import { PODS } from '../../client/kube-client.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Status, type PluginStatus } from '../framework/status.js';
import type { BindPlugin } from '../framework/types.js';

export class DefaultBinder implements BindPlugin {
  readonly name = 'DefaultBinder';
  constructor(private readonly client: KubeClient) {}

  async bind(_state: CycleState, pi: PodInfo, nodeName: string): Promise<PluginStatus> {
    const { name, namespace, uid } = pi.pod.metadata;
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace, uid },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await this.client.post(PODS, namespace ?? '', name ?? '', 'binding', binding);
      return null;
    } catch (e) {
      return Status.error(e as Error);
    }
  }
}
