/**
 * Authorization attributes and decisions (kube-apiserver's authorizer.Attributes). RBAC arrives in a later
 * issue; today `system:masters` may do everything and everyone else nothing.
 */
import { SYSTEM_AUTHENTICATED, SYSTEM_MASTERS, type UserInfo } from '../authn/user-info.js';

export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  /** For non-resource requests. */
  path: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

export interface Authorizer {
  authorize(a: AuthorizationAttributes): Decision;
}

/**
 * upstream's bootstrap ClusterRole `system:basic-user` (bound to system:authenticated): every authenticated user
 * may ask who it is and what it may do.
 */
const basicUserResources: ReadonlySet<string> = new Set([
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authentication.k8s.io/selfsubjectreviews',
]);

/** Everything for members of system:masters (the admin certificate); others only what system:basic-user grants. */
export const mastersAuthorizer: Authorizer = {
  authorize(a) {
    if (a.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    if (a.resourceRequest && a.verb === 'create' && !a.subresource && a.user.groups.includes(SYSTEM_AUTHENTICATED)
      && basicUserResources.has(`${a.apiGroup}/${a.resource}`))
      return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"' };
    return { allowed: false, reason: '' };
  },
};

/** upstream's Forbidden wording: `User "jane" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenReason(a: AuthorizationAttributes): string {
  if (!a.resourceRequest) return `User "${a.user.username}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${a.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
}
