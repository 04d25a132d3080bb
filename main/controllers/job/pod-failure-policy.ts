/**
 * Job.spec.podFailurePolicy matching (upstream pkg/controller/job/pod_failure_policy.go): the first rule that
 * matches a failed pod decides. onExitCodes looks at terminated containers (init containers first) with a
 * non-zero exit code; onPodConditions at the pod's conditions. Ignore does not count the failure; Count and
 * FailIndex count it; FailJob counts it and fails the Job with a message naming the pod and the rule.
 */
import type { ContainerStatus, Pod } from '../../api/core/v1/pod-types.js';
import type { PodFailurePolicyRuleObject } from '../../api/batch/v1/job-validation.js';

export interface PolicyMatch {
  action: string;
  /** Whether the failure counts towards backoffLimit / status.failed. */
  countFailed: boolean;
  /** For FailJob: the FailureTarget/Failed condition message. */
  message?: string;
}

function exitCodeMatch(statuses: ContainerStatus[] | undefined, req: NonNullable<PodFailurePolicyRuleObject['onExitCodes']>): ContainerStatus | undefined {
  for (const cs of statuses ?? []) {
    const code = cs.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    if (req.containerName && req.containerName !== cs.name) continue;
    const listed = (req.values ?? []).includes(code);
    if (req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false) return cs;
  }
  return undefined;
}

/** The decision for a failed pod, or undefined when no rule matches (the failure then counts). */
export function matchPodFailurePolicy(rules: PodFailurePolicyRuleObject[] | undefined, pod: Pod): PolicyMatch | undefined {
  const podName = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  for (const [i, rule] of (rules ?? []).entries()) {
    const action = rule.action ?? '';
    let message: string | undefined;
    if (rule.onExitCodes) {
      const cs = exitCodeMatch(pod.status?.initContainerStatuses, rule.onExitCodes) ?? exitCodeMatch(pod.status?.containerStatuses, rule.onExitCodes);
      if (!cs) continue;
      message = `Container ${cs.name} for pod ${podName} failed with exit code ${cs.state!.terminated!.exitCode} matching ${action} rule at index ${i}`;
    } else if (rule.onPodConditions?.length) {
      const hit = rule.onPodConditions.find((p) => (pod.status?.conditions ?? []).some((c) => c.type === p.type && c.status === (p.status ?? 'True')));
      if (!hit) continue;
      message = `Pod ${podName} has condition ${hit.type} matching ${action} rule at index ${i}`;
    } else continue;
    switch (action) {
      case 'Ignore':
        return { action, countFailed: false };
      case 'Count':
      case 'FailIndex':
        return { action, countFailed: true };
      case 'FailJob':
        return { action, countFailed: true, message };
      default:
        continue;
    }
  }
  return undefined;
}
