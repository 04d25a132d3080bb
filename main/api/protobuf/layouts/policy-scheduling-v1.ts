/** policy/v1 (PodDisruptionBudget, Eviction) and scheduling.k8s.io/v1 (PriorityClass) layouts. */
import { defineMessages } from '../layout.js';

defineMessages('policy', {
  PodDisruptionBudget: {
    1: 'metadata meta.ObjectMeta', 2: 'spec PodDisruptionBudgetSpec', 3: 'status PodDisruptionBudgetStatus',
  },
  PodDisruptionBudgetSpec: {
    1: 'minAvailable *intstr.IntOrString',
    2: 'selector *meta.LabelSelector',
    3: 'maxUnavailable *intstr.IntOrString',
    4: 'unhealthyPodEvictionPolicy *string',
  },
  PodDisruptionBudgetStatus: {
    1: 'observedGeneration int64',
    2: 'disruptedPods map[string]meta.Time',
    3: 'disruptionsAllowed int32',
    4: 'currentHealthy int32',
    5: 'desiredHealthy int32',
    6: 'expectedPods int32',
    7: 'conditions []meta.Condition',
  },
  Eviction: { 1: 'metadata meta.ObjectMeta', 2: 'deleteOptions *meta.DeleteOptions' },
});

defineMessages('scheduling', {
  PriorityClass: {
    1: 'metadata meta.ObjectMeta', 2: 'value int32', 3: 'globalDefault bool', 4: 'description string',
    5: 'preemptionPolicy *string',
  },
});
