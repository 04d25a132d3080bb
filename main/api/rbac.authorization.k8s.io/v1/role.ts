/** rbac.authorization.k8s.io/v1 Role: a namespaced set of permissions. */
import { defineResource } from '../../resource.js';
import { nameIsPathSegment } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, ref } from '../../schema/builder.js';
import { nameColumn } from '../../table/columns.js';
import { PolicyRule, createdAtColumn, validateRules, type RoleLike } from './rbac-types.js';

export const RoleSchema = def('io.k8s.api.rbac.v1.Role', 'A namespaced group of PolicyRules, granted through RoleBindings.', {
  ...typeMeta(),
  metadata: objectMeta(),
  rules: arr(ref(PolicyRule, undefined, { default: {} }), 'The permissions of this role.', { listType: 'atomic' }),
}, { gvk: [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' }] });

export const roles = defineResource<RoleLike>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  nameRule: nameIsPathSegment,
  schema: RoleSchema,
  strategy: { validate: (r) => validateRules(r, true), validateUpdate: (r) => validateRules(r, true) },
  columns: [nameColumn(), createdAtColumn()],
});
