/** rbac.authorization.k8s.io/v1 ClusterRoleBinding: grants a ClusterRole to subjects across the cluster. */
import { defineResource } from '../../resource.js';
import { nameIsPathSegment } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, ref } from '../../schema/builder.js';
import { ageColumn, nameColumn } from '../../table/columns.js';
import { RoleRef, Subject, bindingColumns, defaultBinding, validateBinding, validateBindingUpdate, type BindingLike } from './rbac-types.js';

export const ClusterRoleBindingSchema = def(
  'io.k8s.api.rbac.v1.ClusterRoleBinding',
  'Grants the permissions of a ClusterRole to subjects in every namespace.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    subjects: arr(ref(Subject, undefined, { default: {} }), 'Who receives the permissions.', { listType: 'atomic' }),
    roleRef: ref(RoleRef, 'The ClusterRole granted. Cannot be changed; delete and recreate the binding instead.', { default: {} }),
  },
  { required: ['roleRef'], gvk: [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding' }] },
);

const c = bindingColumns<BindingLike>();

export const clusterRoleBindings = defineResource<BindingLike>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  nameRule: nameIsPathSegment,
  schema: ClusterRoleBindingSchema,
  defaults: defaultBinding,
  strategy: { validate: (b) => validateBinding(b, false), validateUpdate: (b, old) => validateBindingUpdate(b, old, false) },
  columns: [nameColumn(), c.role, ageColumn(), c.users, c.groups, c.sas],
});
