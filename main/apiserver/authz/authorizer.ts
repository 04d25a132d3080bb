/**
 * Authorization attributes and decisions (kube-apiserver's authorizer.Attributes). RBAC arrives in a later
 * issue; today `system:masters` may do everything and everyone else nothing.
 */
import { SYSTEM_MASTERS, type UserInfo } from '../authn/user-info.js';

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

/** Everything for members of system:masters (the admin certificate), nothing for others. */
export const mastersAuthorizer: Authorizer = {
  authorize(a) {
    if (a.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
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
