/** Scheduling constraints of a pod: affinity, tolerations and topology spread (io.k8s.api.core.v1.*). */
import { LabelSelector } from '../../meta/schemas.js';
import { arr, def, enumStr, int32, int64, ref, str } from '../../schema/builder.js';
import type { Definition, Schema } from '../../schema/schema.js';

const CORE = 'io.k8s.api.core.v1';
const item = (d: Definition): Schema => ref(d, undefined, { default: {} });
const strings = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });

export const NodeSelectorRequirement = def(
  `${CORE}.NodeSelectorRequirement`,
  'A requirement on a node label or field.',
  {
    key: str('Label key (or field name) the requirement applies to.', { default: '' }),
    operator: enumStr('How the key relates to the values.', {
      DoesNotExist: 'the key is absent',
      Exists: 'the key is present',
      Gt: 'the value is an integer greater than the single given value',
      In: 'the value is one of the values',
      Lt: 'the value is an integer less than the single given value',
      NotIn: 'the value is none of the values',
    }, { default: '' }),
    values: strings('Values to compare with; empty for Exists and DoesNotExist, one integer for Gt and Lt.'),
  },
  { required: ['key', 'operator'] },
);

export const NodeSelectorTerm = def(
  `${CORE}.NodeSelectorTerm`,
  'A set of node requirements that must all hold.',
  {
    matchExpressions: arr(item(NodeSelectorRequirement), 'Requirements on node labels.', { listType: 'atomic' }),
    matchFields: arr(item(NodeSelectorRequirement), 'Requirements on node fields.', { listType: 'atomic' }),
  },
  { extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const NodeSelector = def(
  `${CORE}.NodeSelector`,
  'Terms ORed together; a node matches when any term matches.',
  { nodeSelectorTerms: arr(item(NodeSelectorTerm), 'The terms.', { listType: 'atomic' }) },
  { required: ['nodeSelectorTerms'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const PreferredSchedulingTerm = def(
  `${CORE}.PreferredSchedulingTerm`,
  'A weighted node preference.',
  {
    weight: int32('Weight, 1-100.', { default: 0 }),
    preference: ref(NodeSelectorTerm, 'Nodes the preference applies to.', { default: {} }),
  },
  { required: ['weight', 'preference'] },
);

export const NodeAffinity = def(`${CORE}.NodeAffinity`, 'Rules on the nodes a pod may or prefers to run on.', {
  requiredDuringSchedulingIgnoredDuringExecution: ref(NodeSelector, 'Nodes the pod must run on.'),
  preferredDuringSchedulingIgnoredDuringExecution: arr(item(PreferredSchedulingTerm), 'Weighted node preferences.', {
    listType: 'atomic',
  }),
});

export const PodAffinityTerm = def(
  `${CORE}.PodAffinityTerm`,
  'Pods (selected by labels and namespaces) to be co-located with, per topology domain.',
  {
    labelSelector: ref(LabelSelector, 'Pods to consider.'),
    namespaces: strings('Namespaces to look in; the pod namespace when empty and no namespaceSelector.'),
    topologyKey: str('Node label whose value defines the topology domain.', { default: '' }),
    namespaceSelector: ref(LabelSelector, 'Namespaces to look in, by label; {} means all.'),
    matchLabelKeys: strings('Pod label keys whose values are added to the selector as In requirements.'),
    mismatchLabelKeys: strings('Pod label keys whose values are added to the selector as NotIn requirements.'),
  },
  { required: ['topologyKey'] },
);

export const WeightedPodAffinityTerm = def(
  `${CORE}.WeightedPodAffinityTerm`,
  'A weighted pod affinity preference.',
  {
    weight: int32('Weight, 1-100.', { default: 0 }),
    podAffinityTerm: ref(PodAffinityTerm, 'The term.', { default: {} }),
  },
  { required: ['weight', 'podAffinityTerm'] },
);

function podAffinityDef(name: string, what: string): Definition {
  return def(`${CORE}.${name}`, `Rules to place the pod ${what} other pods.`, {
    requiredDuringSchedulingIgnoredDuringExecution: arr(item(PodAffinityTerm), 'Terms that must hold.', { listType: 'atomic' }),
    preferredDuringSchedulingIgnoredDuringExecution: arr(item(WeightedPodAffinityTerm), 'Weighted preferences.', {
      listType: 'atomic',
    }),
  });
}
export const PodAffinity = podAffinityDef('PodAffinity', 'near');
export const PodAntiAffinity = podAffinityDef('PodAntiAffinity', 'away from');

export const Affinity = def(`${CORE}.Affinity`, 'Scheduling affinity rules of a pod.', {
  nodeAffinity: ref(NodeAffinity, 'Node affinity.'),
  podAffinity: ref(PodAffinity, 'Inter-pod affinity.'),
  podAntiAffinity: ref(PodAntiAffinity, 'Inter-pod anti-affinity.'),
});

export const TAINT_EFFECTS = {
  NoExecute: 'evicts running pods that do not tolerate the taint',
  NoSchedule: 'keeps new pods that do not tolerate the taint off the node',
  PreferNoSchedule: 'avoids placing pods that do not tolerate the taint on the node',
};

export const Toleration = def(`${CORE}.Toleration`, 'Allows a pod onto nodes with a matching taint.', {
  key: str('Taint key; empty with Exists matches every taint.'),
  operator: enumStr('How the key relates to the value. Defaults to Equal.', {
    Equal: 'the taint value equals value',
    Exists: 'any value (value must be empty)',
  }),
  value: str('Taint value to match.'),
  effect: enumStr('Taint effect to match; empty matches all effects.', TAINT_EFFECTS),
  tolerationSeconds: int64('For NoExecute: how long the pod stays bound after the taint appears; forever when unset.'),
});

export const TopologySpreadConstraint = def(
  `${CORE}.TopologySpreadConstraint`,
  'How evenly matching pods must be spread across topology domains.',
  {
    maxSkew: int32('Largest allowed difference of matching pods between domains; at least 1.', { default: 0 }),
    topologyKey: str('Node label whose value defines the domain.', { default: '' }),
    whenUnsatisfiable: enumStr('What to do when the constraint cannot be met.', {
      DoNotSchedule: 'do not schedule the pod',
      ScheduleAnyway: 'schedule it, preferring domains that reduce the skew',
    }, { default: '' }),
    labelSelector: ref(LabelSelector, 'Pods counted in each domain.'),
    minDomains: int32('Least number of eligible domains; only with DoNotSchedule.'),
    nodeAffinityPolicy: enumStr('Whether node affinity and selector restrict the domains. Defaults to Honor.', {
      Honor: 'only matching nodes count',
      Ignore: 'all nodes count',
    }),
    nodeTaintsPolicy: enumStr('Whether node taints restrict the domains. Defaults to Ignore.', {
      Honor: 'only nodes the pod tolerates count',
      Ignore: 'all nodes count',
    }),
    matchLabelKeys: strings('Pod label keys whose values are added to the selector.'),
  },
  { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
);
