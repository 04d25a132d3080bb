/**
 * pods/log, exec, attach, portforward and proxy (and nodes/proxy, services/proxy). They reach a node agent;
 * until a node agent is connected for the pod's node they answer with a clear error instead of hanging.
 */
import { ApiError, badRequest } from '../../http/api-error.js';
import type { RequestContext } from '../request-context.js';
import type { ServerCore } from '../server-core.js';
import { sendText } from '../../http/respond.js';

interface PodLike {
  metadata: { name?: string };
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: { phase?: string };
}

export async function handlePodConnect(ctx: RequestContext, core: ServerCore): Promise<void> {
  const { namespace, name, subresource } = ctx.info;
  const pods = core.storageFor(core.registry.find('', 'v1', 'pods')!);
  const pod = (await pods.get(namespace, name)) as PodLike;
  const container = ctx.query.get('container');
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  if (container && !names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    if (subresource === 'log') {
      sendText(ctx.res, 200, '');
      return;
    }
    throw badRequest(`pod ${name} does not have a host assigned`);
  }
  throw new ApiError(
    503,
    'ServiceUnavailable',
    `no node agent is connected for node "${nodeName}": pod ${subresource === 'portforward' ? 'port-forward' : subresource} needs a Pilothouse node agent running on that node`,
  );
}
