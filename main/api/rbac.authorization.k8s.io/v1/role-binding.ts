/** rbac.authorization.k8s.io/v1 RoleBinding: grants a Role or ClusterRole to subjects within a namespace. */
import { defineResource } from '../../resource.js';
import { nameIsPathSegment } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, ref } from '../../schema/builder.js';
import { ageColumn, nameColumn } from '../../table/columns.js';
import { RoleRef, Subject, bindingColumns, defaultBinding, validateBinding, validateBindingUpdate, type BindingLike } from './rbac-types.js';

export const RoleBindingSchema = def(
  'io.k8s.api.rbac.v1.RoleBinding',
  'Grants the permissions of a Role (or ClusterRole) to subjects, inside the binding namespace.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    subjects: arr(ref(Subject, undefined, { default: {} }), 'Who receives the permissions.', { listType: 'atomic' }),
    roleRef: ref(RoleRef, 'The role granted. Cannot be changed; delete and recreate the binding instead.', { default: {} }),
  },
  { required: ['roleRef'], gvk: [{ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' }] },
);

const c = bindingColumns<BindingLike>();

export const roleBindings = defineResource<BindingLike>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  nameRule: nameIsPathSegment,
  schema: RoleBindingSchema,
  defaults: defaultBinding,
  strategy: { validate: (b) => validateBinding(b, true), validateUpdate: (b, old) => validateBindingUpdate(b, old, true) },
  columns: [nameColumn(), c.role, ageColumn(), c.users, c.groups, c.sas],
});
