/**
 * Impersonation headers (`kubectl --as`, `--as-group`, `--as-uid`): the requester must be allowed the
 * `impersonate` verb on users / groups / uids; the request then runs as the impersonated identity.
 */
import type { IncomingMessage } from 'node:http';
import type { Authorizer } from '../authz/authorizer.js';
import { forbidden } from '../http/api-error.js';
import { SYSTEM_AUTHENTICATED, type UserInfo } from './user-info.js';

function headerValues(req: IncomingMessage, name: string): string[] {
  const v = req.headers[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

export function impersonate(req: IncomingMessage, requester: UserInfo, authorizer: Authorizer): UserInfo {
  const users = headerValues(req, 'impersonate-user');
  const groups = headerValues(req, 'impersonate-group');
  const uid = headerValues(req, 'impersonate-uid')[0];
  if (users.length === 0) {
    if (groups.length || uid) throw forbidden({ group: '', resource: '' }, '', 'requested impersonation of groups or uid without impersonating a user');
    return requester;
  }
  const check = (resource: string, name: string, group = '') => {
    const d = authorizer.authorize({
      user: requester, verb: 'impersonate', resourceRequest: true, namespace: '', apiGroup: group, apiVersion: '',
      resource, subresource: '', name, path: '',
    });
    if (!d.allowed)
      throw forbidden({ group, resource }, name, `User "${requester.username}" cannot impersonate resource "${resource}" in API group "${group}" at the cluster scope`);
  };
  const username = users[0]!;
  check('users', username);
  for (const g of groups) check('groups', g);
  if (uid) check('uids', uid, 'authentication.k8s.io');
  const extra: Record<string, string[]> = {};
  for (const [h, v] of Object.entries(req.headers)) {
    if (!h.startsWith('impersonate-extra-')) continue;
    extra[decodeURIComponent(h.slice('impersonate-extra-'.length))] = (Array.isArray(v) ? v : [v ?? '']).flatMap((x) => x.split(','));
  }
  const allGroups = [...groups];
  if (!allGroups.includes(SYSTEM_AUTHENTICATED) && username !== 'system:anonymous') allGroups.push(SYSTEM_AUTHENTICATED);
  const user: UserInfo = { username, groups: allGroups };
  if (uid) user.uid = uid;
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
