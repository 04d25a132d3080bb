/**
 * autoscaling/v1 Scale — the body of every `<resource>/scale` subresource — and `scaleAccessFor`, the one
 * place that says how a kind's replicas and selector map onto it (Deployment, ReplicaSet, StatefulSet,
 * ReplicationController).
 */
import { selectorFromObject, selectorToString, type LabelSelectorObject } from '../../meta/label-selector.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import type { ScaleAccess } from '../../resource.js';
import { def, int32, ref, str } from '../../schema/builder.js';

export const ScaleSpec = def('io.k8s.api.autoscaling.v1.ScaleSpec', 'Desired size of a scalable resource.', {
  replicas: int32('Desired number of instances.'),
});

export const ScaleStatus = def(
  'io.k8s.api.autoscaling.v1.ScaleStatus',
  'Observed size of a scalable resource.',
  {
    replicas: int32('Number of instances actually observed.', { default: 0 }),
    selector: str('Label query (string form) over the pods counted in replicas.'),
  },
  { required: ['replicas'] },
);

export const Scale = def(
  'io.k8s.api.autoscaling.v1.Scale',
  'The scale of a resource: desired and observed replica counts.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    spec: ref(ScaleSpec, 'Desired scale.', { default: {} }),
    status: ref(ScaleStatus, 'Observed scale. Read-only.', { default: {} }),
  },
  { gvk: [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] },
);

export interface ScaleObject extends KObject {
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

interface Scalable extends KObject {
  spec?: { replicas?: number; selector?: unknown; [k: string]: unknown };
  status?: { replicas?: number; [k: string]: unknown };
}

/**
 * ScaleAccess over `spec.replicas`, `status.replicas` and `spec.selector`. `selector` says whether
 * spec.selector is a LabelSelector object (apps kinds) or a plain label map (ReplicationController).
 * The selector string is the canonical text of the parsed selector, as upstream's scale endpoints build it.
 */
export function scaleAccessFor<T extends KObject>(opts: { selector: 'labelSelector' | 'map' }): ScaleAccess<T> {
  const view = (o: T): Scalable => o as unknown as Scalable;
  return {
    specReplicas: (o) => view(o).spec?.replicas ?? 0,
    setSpecReplicas(o, replicas) {
      const v = view(o);
      v.spec ??= {};
      v.spec.replicas = replicas;
    },
    statusReplicas: (o) => view(o).status?.replicas ?? 0,
    selector(o) {
      const raw = view(o).spec?.selector;
      const ls: LabelSelectorObject | undefined =
        opts.selector === 'map'
          ? raw && typeof raw === 'object' ? { matchLabels: raw as Record<string, string> } : {}
          : (raw as LabelSelectorObject | undefined);
      if (!ls) return '';
      const sel = selectorFromObject(ls);
      return sel === 'nothing' ? '' : selectorToString(sel);
    },
  };
}
