/** Small hand-written schemas for the patch-engine tests (shaped like the upstream types they imitate). */
import { arr, bool, def, int32, obj, ref, str, stringMap } from '../../../../main/api/schema/builder.js';
import type { Schema } from '../../../../main/api/schema/schema.js';

export const Meta = def('test.ObjectMeta', 'meta', {
  name: str('name'),
  namespace: str('namespace'),
  uid: str('uid'),
  resourceVersion: str('rv'),
  labels: stringMap('labels'),
  annotations: stringMap('annotations'),
  finalizers: arr(str('f'), 'finalizers', { strategy: 'merge', listType: 'set' }),
});

export const EnvVar = def('test.EnvVar', 'env', { name: str('n'), value: str('v') }, { required: ['name'] });
export const ContainerPort = def('test.ContainerPort', 'port', {
  containerPort: int32('p'),
  protocol: str('proto', { default: 'TCP' }),
  name: str('n'),
});
export const Container = def(
  'test.Container',
  'container',
  {
    name: str('n'),
    image: str('i'),
    args: arr(str('a'), 'args', { listType: 'atomic' }),
    env: arr(ref(EnvVar), 'env', { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
    ports: arr(ref(ContainerPort), 'ports', {
      mergeKey: 'containerPort',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['containerPort', 'protocol'],
    }),
    resources: obj('resources', { limits: stringMap('l') }),
  },
  { required: ['name'] },
);
export const Volume = def('test.Volume', 'volume', {
  name: str('n'),
  emptyDir: obj('emptyDir', { medium: str('m') }),
  configMap: obj('configMap', { name: str('n') }),
});
export const Taint = def('test.Taint', 'taint', { key: str('k'), value: str('v'), effect: str('e') });

export const PodSpec = def(
  'test.PodSpec',
  'pod spec',
  {
    containers: arr(ref(Container), 'containers', { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] }),
    volumes: arr(ref(Volume), 'volumes', { mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', mapKeys: ['name'] }),
    nodeSelector: stringMap('ns', { 'x-kubernetes-map-type': 'atomic' }),
    restartPolicy: str('rp'),
  },
  { required: ['containers'] },
);
export const PodTemplate = def('test.PodTemplateSpec', 'template', { metadata: ref(Meta), spec: ref(PodSpec) });
export const Strategy = def('test.DeploymentStrategy', 'strategy', {
  type: str('t'),
  rollingUpdate: obj('ru', { maxSurge: str('s'), maxUnavailable: str('u') }),
});
export const DeploymentSpec = def('test.DeploymentSpec', 'spec', {
  replicas: int32('r'),
  paused: bool('p'),
  selector: obj('selector', { matchLabels: stringMap('ml') }),
  strategy: ref(Strategy, 'strategy', { 'x-kubernetes-patch-strategy': 'retainKeys' }),
  template: ref(PodTemplate),
});
export const NodeSpec = def('test.NodeSpec', 'node spec', {
  unschedulable: bool('u'),
  taints: arr(ref(Taint), 'taints'),
  podCIDRs: arr(str('c'), 'cidrs', { strategy: 'merge' }),
});

(DeploymentSpec.schema.properties!.selector as Schema)['x-kubernetes-map-type'] = 'atomic';

export const deploymentSchema: Schema = ref(
  def('test.Deployment', 'deployment', {
    apiVersion: str('v'),
    kind: str('k'),
    metadata: ref(Meta),
    spec: ref(DeploymentSpec),
    status: obj('status', { replicas: int32('r') }),
  }),
);
export const nodeSchema: Schema = ref(
  def('test.Node', 'node', { apiVersion: str('v'), kind: str('k'), metadata: ref(Meta), spec: ref(NodeSpec) }),
);

export function deployment(containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 1, template: { metadata: { labels: { app: 'web' } }, spec: { containers } }, ...extra },
  };
}
