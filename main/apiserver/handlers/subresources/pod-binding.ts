/**
 * pods/binding (and the legacy `bindings` collection): assigns a pod to a node the way the scheduler does —
 * sets spec.nodeName and the PodScheduled condition, refusing pods already bound or being deleted.
 */
import { isObject, type KObject } from '../../../api/meta/object.js';
import { badRequest, conflict } from '../../http/api-error.js';
import { sendJson } from '../../http/respond.js';
import type { ResourceStorage } from '../../registry/resource-storage.js';
import { rfc3339 } from '../../registry/time.js';
import type { RequestContext } from '../request-context.js';
import type { ServerCore } from '../server-core.js';
import { readObjectBody } from '../write-handlers.js';

interface PodLike extends KObject {
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string; lastProbeTime?: string | null; lastTransitionTime?: string; reason?: string; message?: string }[] };
}

const BINDING_GR = { group: '', resource: 'pods/binding' };

export async function bindPod(ctx: RequestContext, pods: ResourceStorage, namespace: string, binding: KObject): Promise<void> {
  const podName = binding.metadata?.name ?? '';
  const target = (binding as { target?: { kind?: string; name?: string } }).target;
  if (!isObject(target) || !target.name) throw badRequest('Binding.target.name is required');
  if (target.kind && target.kind !== 'Node') throw badRequest(`must be empty or 'Node', got '${target.kind}'`);
  const nodeName = target.name;
  const annotations = binding.metadata?.annotations;
  // Binding has its own rules (pod updates may not change spec.nodeName): a raw write of spec + condition.
  await pods.rawUpdate(namespace, podName, (current) => {
    const pod = current as PodLike;
    if (pod.metadata.deletionTimestamp) throw conflict(BINDING_GR, podName, `pod ${podName} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict(BINDING_GR, podName, `pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...(pod.spec ?? {}), nodeName };
    if (annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...annotations };
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now) });
    pod.status = { ...(pod.status ?? {}), conditions };
    return pod;
  });
}

/** POST pods/<name>/binding */
export async function handlePodBinding(ctx: RequestContext, core: ServerCore): Promise<void> {
  if (ctx.info.verb !== 'create') throw badRequest('binding only supports create');
  const pods = core.storageFor(core.registry.find('', 'v1', 'pods')!);
  const bindingDescriptor = core.registry.find('', 'v1', 'bindings');
  const body = bindingDescriptor ? await readObjectBody(ctx, bindingDescriptor) : ({ metadata: {} } as KObject);
  if (body.metadata.name && body.metadata.name !== ctx.info.name)
    throw badRequest(`name in URL does not match name in Binding object`);
  body.metadata.name = ctx.info.name;
  await bindPod(ctx, pods, ctx.info.namespace, body);
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, ctx.warnings);
}
