/**
 * The pod-mutating admission plugins kube-apiserver enables by default:
 * - ServiceAccount: spec.serviceAccountName defaults to "default" (serviceAccount kept in sync);
 * - DefaultTolerationSeconds: tolerate node.kubernetes.io/not-ready and /unreachable NoExecute for 300 s;
 * - Priority: spec.priority (and preemptionPolicy) from spec.priorityClassName or the global default class.
 */
import { forbidden } from '../../http/api-error.js';
import type { AdmissionPlugin, AdmissionRequest } from '../admission.js';
import type { ObjectReader } from '../object-reader.js';

interface Toleration {
  key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number;
}
interface PodSpecLike {
  serviceAccountName?: string; serviceAccount?: string; tolerations?: Toleration[];
  priorityClassName?: string; priority?: number; preemptionPolicy?: string;
}
interface PriorityClassLike {
  metadata: { name?: string };
  value: number; globalDefault?: boolean; preemptionPolicy?: string;
}

const isPodCreate = (req: AdmissionRequest) =>
  req.operation === 'CREATE' && req.descriptor.group === '' && req.descriptor.plural === 'pods' && !req.subresource && !!req.object;

export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  mutate(req) {
    if (!isPodCreate(req)) return;
    const spec = (req.object!.spec ??= {}) as PodSpecLike;
    spec.serviceAccountName ||= spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
  },
};

export const DEFAULT_TOLERATION_SECONDS = 300;

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  mutate(req) {
    if (!isPodCreate(req)) return;
    const spec = (req.object!.spec ??= {}) as PodSpecLike;
    const tolerations = [...(spec.tolerations ?? [])];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      const covered = tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
      if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
    spec.tolerations = tolerations;
  },
};

export function priorityAdmission(reader: ObjectReader): AdmissionPlugin {
  return {
    name: 'Priority',
    async mutate(req) {
      if (!isPodCreate(req)) return;
      const spec = (req.object!.spec ??= {}) as PodSpecLike;
      let pc: PriorityClassLike | undefined;
      if (spec.priorityClassName) {
        pc = (await reader.get('scheduling.k8s.io', 'priorityclasses', '', spec.priorityClassName)) as PriorityClassLike | undefined;
        if (!pc)
          throw forbidden({ group: '', resource: 'pods' }, req.name, `no PriorityClass with name ${spec.priorityClassName} was found`);
      } else {
        const all = (await reader.list('scheduling.k8s.io', 'priorityclasses', '')) as unknown as PriorityClassLike[];
        pc = all.filter((c) => c.globalDefault).sort((a, b) => a.value - b.value)[0];
        if (pc) spec.priorityClassName = pc.metadata.name;
      }
      const value = pc?.value ?? 0;
      if (spec.priority !== undefined && spec.priority !== value)
        throw forbidden({ group: '', resource: 'pods' }, req.name, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
      spec.priority = value;
      // upstream: the class's policy, or PreemptLowerPriority when no class applies; a different one in the pod is refused.
      const policy = pc ? pc.preemptionPolicy : 'PreemptLowerPriority';
      if (policy && spec.preemptionPolicy && spec.preemptionPolicy !== policy)
        throw forbidden({ group: '', resource: 'pods' }, req.name, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      spec.preemptionPolicy = policy ?? spec.preemptionPolicy ?? 'PreemptLowerPriority';
    },
  };
}
