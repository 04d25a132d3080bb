/**
 * scheduling.pilothouse.dev/v1alpha1 SchedulingDecision: the scheduler's record of its attempts for one pod
 * (name = pod name, same namespace). Read-only and computed on read from the scheduler's bounded in-memory
 * log (main/scheduler/decisions/), so `kubectl get/describe schedulingdecision <pod>` answers "why is this
 * pod pending?" (which plugin rejected which node, with what reason) and "why this node?" (each plugin's
 * raw, normalized and weighted score).
 */
import { FieldPath, notSupported, type FieldError } from '../../meta/field-errors.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, int64, map, num, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';

const G = 'dev.pilothouse.scheduling.v1alpha1';

export const DECISION_RESULTS = ['Scheduled', 'Binding', 'Unschedulable', 'Error', 'Pending'] as const;
export type DecisionResult = (typeof DECISION_RESULTS)[number];

const RESULTS_DOC = {
  Scheduled: 'the pod was bound to a node.',
  Binding: 'a node was chosen and the binding is in flight.',
  Unschedulable: 'no node passed the filters (see filterFailures and message).',
  Error: 'the attempt failed with an internal or binding error.',
  Pending: 'the pod is waiting (e.g. scheduling gates) and was not tried.',
};

export const FilterFailure = def(`${G}.FilterFailure`, 'Why one node was rejected.', {
  node: str('The node.', { default: '' }),
  plugin: str('The Filter (or PreFilter) plugin that rejected it.'),
  code: str('Unschedulable (preemption may help) or UnschedulableAndUnresolvable.'),
  reasons: arr(str('', { default: '' }), 'The reasons, as counted in FailedScheduling messages.', { listType: 'atomic' }),
});

export const PluginScore = def(`${G}.PluginScore`, 'One Score plugin on one node.', {
  plugin: str('The Score plugin.', { default: '' }),
  raw: num('What Score returned.'),
  normalized: num('After NormalizeScore, 0-100.'),
  weight: num('The plugin weight in the profile.'),
  weighted: num('normalized × weight: the contribution to the total.'),
});

export const NodeScore = def(`${G}.NodeScore`, 'The scores of one feasible node.', {
  node: str('The node.', { default: '' }),
  total: num('Sum of the weighted plugin scores.'),
  plugins: arr(ref(PluginScore, undefined, { default: {} }), 'Per-plugin scores.', { listType: 'atomic' }),
});

export const SchedulingAttempt = def(`${G}.SchedulingAttempt`, 'One scheduling attempt.', {
  attempt: int64('Attempt number for this pod (1 = first).'),
  time: str('When the attempt started (RFC 3339).'),
  durationMilliseconds: num('How long the scheduling cycle took.'),
  result: enumStr('Outcome of the attempt.', RESULTS_DOC),
  node: str('The chosen node, if any.'),
  message: str('FailedScheduling message, or the error.'),
  nominatedNodeName: str('Node the pod was nominated to by preemption.'),
  victims: arr(str('', { default: '' }), 'Pods preempted for this pod (namespace/name).', { listType: 'atomic' }),
  numAllNodes: int64('Nodes in the snapshot.'),
  evaluatedNodes: int64('Nodes run through Filter.'),
  feasibleNodes: int64('Nodes that passed Filter.'),
  reasonCounts: map(int64(''), 'Rejection reason → number of nodes.'),
  filterFailures: arr(ref(FilterFailure, undefined, { default: {} }), 'Rejected nodes with the plugin and reasons (bounded).', { listType: 'atomic' }),
  scores: arr(ref(NodeScore, undefined, { default: {} }), 'Highest-scoring feasible nodes, best first (bounded; includes the chosen node).', { listType: 'atomic' }),
});

export const SchedulingDecisionSchema = def(
  `${G}.SchedulingDecision`,
  "The scheduler's recorded attempts for a pod: per-node filter outcomes and scores.",
  {
    ...typeMeta(),
    metadata: objectMeta(),
    podUID: str('UID of the pod the attempts were made for.'),
    schedulerName: str('The profile that scheduled the pod.'),
    status: ref(
      def(`${G}.SchedulingDecisionStatus`, 'Summary of the latest attempt.', {
        result: enumStr('Outcome of the latest attempt.', RESULTS_DOC),
        node: str('The node chosen in the latest attempt.'),
        message: str('Message of the latest attempt.'),
        attempts: int64('Number of attempts so far.'),
        feasibleNodes: int64('Feasible nodes in the latest attempt.'),
        numAllNodes: int64('Nodes in the latest attempt snapshot.'),
        lastAttemptTime: str('When the latest attempt started.'),
      }),
      'Summary of the latest attempt.',
      { default: {} },
    ),
    attempts: arr(ref(SchedulingAttempt, undefined, { default: {} }), 'The latest attempts, oldest first (bounded).', { listType: 'atomic' }),
  },
  { gvk: [{ group: 'scheduling.pilothouse.dev', version: 'v1alpha1', kind: 'SchedulingDecision' }] },
);

export interface SchedulingAttemptRecord {
  attempt: number;
  time: string;
  durationMilliseconds: number;
  result: DecisionResult;
  node?: string;
  message?: string;
  nominatedNodeName?: string;
  victims?: string[];
  numAllNodes: number;
  evaluatedNodes: number;
  feasibleNodes: number;
  reasonCounts?: Record<string, number>;
  filterFailures?: { node: string; plugin?: string; code: string; reasons: string[] }[];
  scores?: { node: string; total: number; plugins: { plugin: string; raw: number; normalized: number; weight: number; weighted: number }[] }[];
}

export interface SchedulingDecision extends KObject {
  podUID?: string;
  schedulerName?: string;
  status?: {
    result?: DecisionResult;
    node?: string;
    message?: string;
    attempts?: number;
    feasibleNodes?: number;
    numAllNodes?: number;
    lastAttemptTime?: string;
  };
  attempts?: SchedulingAttemptRecord[];
}

export function validateSchedulingDecision(d: SchedulingDecision): FieldError[] {
  const r = d.status?.result;
  if (r !== undefined && !(DECISION_RESULTS as readonly string[]).includes(r))
    return [notSupported(FieldPath.root('status').child('result'), r, [...DECISION_RESULTS])];
  return [];
}

export const schedulingDecisions = defineResource<SchedulingDecision>({
  group: 'scheduling.pilothouse.dev',
  version: 'v1alpha1',
  kind: 'SchedulingDecision',
  plural: 'schedulingdecisions',
  singular: 'schedulingdecision',
  shortNames: ['sd'],
  namespaced: true,
  verbs: ['get', 'list'],
  readOnly: true,
  schema: SchedulingDecisionSchema,
  strategy: { validate: validateSchedulingDecision },
  columns: [
    nameColumn<SchedulingDecision>(),
    col<SchedulingDecision>('Result', (d) => d.status?.result ?? '', { description: 'Outcome of the latest attempt.' }),
    col<SchedulingDecision>('Node', (d) => d.status?.node || '<none>', { description: 'Node chosen in the latest attempt.' }),
    col<SchedulingDecision>('Feasible', (d) => `${d.status?.feasibleNodes ?? 0}/${d.status?.numAllNodes ?? 0}`, {
      description: 'Feasible nodes / nodes in the latest attempt.',
    }),
    col<SchedulingDecision>('Attempts', (d) => d.status?.attempts ?? 0, { type: 'integer', description: 'Scheduling attempts so far.' }),
    ageColumn<SchedulingDecision>(),
    col<SchedulingDecision>('Message', (d) => d.status?.message ?? '', { priority: 1, description: 'Message of the latest attempt.' }),
  ],
});
