/** rbac.authorization.k8s.io/v1 ClusterRole: cluster-wide permissions, optionally aggregated from other ClusterRoles. */
import { defineResource } from '../../resource.js';
import { nameIsPathSegment } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, ref } from '../../schema/builder.js';
import { nameColumn } from '../../table/columns.js';
import { AggregationRule, PolicyRule, createdAtColumn, validateRules, type RoleLike } from './rbac-types.js';

export const ClusterRoleSchema = def(
  'io.k8s.api.rbac.v1.ClusterRole',
  'A cluster-wide group of PolicyRules, granted through RoleBindings or ClusterRoleBindings.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    rules: arr(ref(PolicyRule, undefined, { default: {} }), 'The permissions of this role.', { listType: 'atomic' }),
    aggregationRule: ref(AggregationRule, 'When set, the controller manager fills rules from the selected ClusterRoles.'),
  },
  { gvk: [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' }] },
);

export const clusterRoles = defineResource<RoleLike>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  nameRule: nameIsPathSegment,
  schema: ClusterRoleSchema,
  strategy: { validate: (r) => validateRules(r, false), validateUpdate: (r) => validateRules(r, false) },
  columns: [nameColumn(), createdAtColumn()],
});
