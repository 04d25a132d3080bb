/** The authenticated identity of a request (authentication.k8s.io/v1 UserInfo). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';

/** The identity in-process components (controllers, scheduler) act as. */
export const LOOPBACK_USER: UserInfo = { username: 'system:apiserver', groups: [SYSTEM_MASTERS, SYSTEM_AUTHENTICATED] };
