/** authentication.k8s.io/v1 UserInfo: the identity an authenticator resolved. */
import { arr, def, map, str } from '../../schema/builder.js';

const strList = (d: string) => arr(str('', { default: '' }), d, { listType: 'atomic' });

export const UserInfo = def('io.k8s.api.authentication.v1.UserInfo', 'Identity of an authenticated user.', {
  username: str('Name that uniquely identifies the user.'),
  uid: str('Identifier that stays the same across renames of the user.'),
  groups: strList('Groups the user belongs to.'),
  extra: map(strList(''), 'Extra attributes the authenticator provided.'),
});

export interface UserInfoT {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}
