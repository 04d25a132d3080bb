/**
 * Descriptors of the remaining API groups: networking, storage, scheduling, RBAC, coordination, discovery,
 * events.k8s.io, authorization and authentication reviews, and CustomResourceDefinitions. The CRD helpers
 * (custom-resource-schema.ts) are imported separately by the server.
 */
import type { ResourceDescriptor } from './resource.js';
import { ingresses } from './networking.k8s.io/v1/ingress.js';
import { ingressClasses } from './networking.k8s.io/v1/ingress-class.js';
import { networkPolicies } from './networking.k8s.io/v1/network-policy.js';
import { storageClasses } from './storage.k8s.io/v1/storage-class.js';
import { priorityClasses } from './scheduling.k8s.io/v1/priority-class.js';
import { roles } from './rbac.authorization.k8s.io/v1/role.js';
import { clusterRoles } from './rbac.authorization.k8s.io/v1/cluster-role.js';
import { roleBindings } from './rbac.authorization.k8s.io/v1/role-binding.js';
import { clusterRoleBindings } from './rbac.authorization.k8s.io/v1/cluster-role-binding.js';
import { leases } from './coordination.k8s.io/v1/lease.js';
import { endpointSlices } from './discovery.k8s.io/v1/endpoint-slice.js';
import { events } from './events.k8s.io/v1/event.js';
import { subjectAccessReviews } from './authorization.k8s.io/v1/subject-access-review.js';
import { localSubjectAccessReviews } from './authorization.k8s.io/v1/local-subject-access-review.js';
import { selfSubjectAccessReviews } from './authorization.k8s.io/v1/self-subject-access-review.js';
import { selfSubjectRulesReviews } from './authorization.k8s.io/v1/self-subject-rules-review.js';
import { tokenReviews } from './authentication.k8s.io/v1/token-review.js';
import { selfSubjectReviews } from './authentication.k8s.io/v1/self-subject-review.js';
import { customResourceDefinitions } from './apiextensions.k8s.io/v1/custom-resource-definition.js';

export { SYSTEM_PRIORITY_CLASSES } from './scheduling.k8s.io/v1/priority-class.js';
export { TokenRequestSchema, defaultTokenRequest, validateTokenRequest } from './authentication.k8s.io/v1/token-request.js';

export const otherGroupResources: ResourceDescriptor[] = [
  ingresses,
  ingressClasses,
  networkPolicies,
  storageClasses,
  priorityClasses,
  roles,
  clusterRoles,
  roleBindings,
  clusterRoleBindings,
  leases,
  endpointSlices,
  events,
  subjectAccessReviews,
  localSubjectAccessReviews,
  selfSubjectAccessReviews,
  selfSubjectRulesReviews,
  tokenReviews,
  selfSubjectReviews,
  customResourceDefinitions,
];
