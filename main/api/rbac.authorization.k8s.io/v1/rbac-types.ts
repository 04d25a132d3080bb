/**
 * Shared rbac.authorization.k8s.io/v1 types (PolicyRule, Subject, RoleRef, AggregationRule) and their
 * validation and printing helpers, used by the four RBAC kinds.
 */
import type { KObject } from '../../meta/object.js';
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isValidPathSegmentName } from '../../meta/name-validation.js';
import { validateLabelSelector, type LabelSelectorObject } from '../../meta/label-selector.js';
import { isDNS1123Subdomain } from '../../meta/name-validation.js';
import { LabelSelector } from '../../meta/schemas.js';
import { arr, def, ref, str } from '../../schema/builder.js';
import { col } from '../../table/columns.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const G = 'io.k8s.api.rbac.v1';

const strList = (description: string) => arr(str('', { default: '' }), description, { listType: 'atomic' });

export const PolicyRule = def(`${G}.PolicyRule`, 'One permission: verbs allowed on resources (or on non-resource URLs).', {
  verbs: strList('Verbs allowed, e.g. get, list, create; "*" allows all.'),
  apiGroups: strList('API groups of the resources; "" is the core group, "*" all groups.'),
  resources: strList('Resources the rule applies to, e.g. "pods" or "pods/log"; "*" for all.'),
  resourceNames: strList('Optional allow-list of object names.'),
  nonResourceURLs: strList('Non-resource URL paths such as "/healthz" (cluster roles only); a trailing "*" matches a prefix.'),
}, { required: ['verbs'] });

export const Subject = def(`${G}.Subject`, 'Who a binding grants to: a user, a group or a service account.', {
  kind: str('"User", "Group" or "ServiceAccount".', { default: '' }),
  apiGroup: str('API group of the subject: "" for ServiceAccount, "rbac.authorization.k8s.io" for User and Group.'),
  name: str('Name of the subject.', { default: '' }),
  namespace: str('Namespace of a ServiceAccount subject.'),
}, { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const RoleRef = def(`${G}.RoleRef`, 'The role a binding grants.', {
  apiGroup: str('Always "rbac.authorization.k8s.io".', { default: '' }),
  kind: str('"Role" or "ClusterRole".', { default: '' }),
  name: str('Name of the role.', { default: '' }),
}, { required: ['apiGroup', 'kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } });

export const AggregationRule = def(`${G}.AggregationRule`, 'How a ClusterRole is assembled from other ClusterRoles.', {
  clusterRoleSelectors: arr(ref(LabelSelector, undefined, { default: {} }), 'ClusterRoles matching any selector contribute their rules.', {
    listType: 'atomic',
  }),
});

export interface PolicyRuleT {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}
export interface SubjectT { kind?: string; apiGroup?: string; name?: string; namespace?: string }
export interface RoleRefT { apiGroup?: string; kind?: string; name?: string }
export interface RoleLike extends KObject {
  rules?: PolicyRuleT[];
  aggregationRule?: { clusterRoleSelectors?: LabelSelectorObject[] };
}
export interface BindingLike extends KObject {
  subjects?: SubjectT[];
  roleRef?: RoleRefT;
}

export function validatePolicyRule(rule: PolicyRuleT, namespaced: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!rule.verbs || rule.verbs.length === 0) errs.push(required(p.child('verbs'), 'verbs must contain at least one value'));
  if (rule.nonResourceURLs && rule.nonResourceURLs.length > 0) {
    if (namespaced)
      errs.push(invalid(p.child('nonResourceURLs'), rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length || (rule.resources ?? []).length || (rule.resourceNames ?? []).length)
      errs.push(invalid(p.child('nonResourceURLs'), rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    return errs;
  }
  if (!rule.apiGroups || rule.apiGroups.length === 0)
    errs.push(required(p.child('apiGroups'), 'resource rules must supply at least one api group'));
  if (!rule.resources || rule.resources.length === 0)
    errs.push(required(p.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(role: RoleLike, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (role.rules ?? []).forEach((r, i) => errs.push(...validatePolicyRule(r, namespaced, FieldPath.root('rules').index(i))));
  if (role.aggregationRule) {
    const p = FieldPath.root('aggregationRule').child('clusterRoleSelectors');
    const sels = role.aggregationRule.clusterRoleSelectors ?? [];
    if (sels.length === 0) errs.push(required(p, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    sels.forEach((s, i) => errs.push(...validateLabelSelector(s, p.index(i))));
  }
  return errs;
}

/** SetDefaults_Subject / SetDefaults_*Binding: fill the API groups kubectl users usually omit. */
export function defaultBinding(b: BindingLike): void {
  b.roleRef ??= {};
  if (!b.roleRef.apiGroup) b.roleRef.apiGroup = RBAC_GROUP;
  for (const s of b.subjects ?? []) {
    if (s.apiGroup === undefined || s.apiGroup === '') {
      if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
      // ServiceAccounts are in the core group: "" — which Go omits (omitempty), so it is not stored at all.
      else if (s.kind === 'ServiceAccount') delete s.apiGroup;
    }
  }
}

function validateSubject(s: SubjectT, namespaced: boolean, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(p.child('name'), ''));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) for (const m of isDNS1123Subdomain(s.name)) errs.push(invalid(p.child('name'), s.name, m));
      if (s.apiGroup) errs.push(notSupported(p.child('apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(p.child('namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(p.child('apiGroup'), s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(p.child('kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

export function validateBinding(b: BindingLike, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const rp = FieldPath.root('roleRef');
  const ref = b.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported(rp.child('apiGroup'), ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind ?? '')) errs.push(notSupported(rp.child('kind'), ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required(rp.child('name'), ''));
  else for (const m of isValidPathSegmentName(ref.name)) errs.push(invalid(rp.child('name'), ref.name, m));
  (b.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, namespaced, FieldPath.root('subjects').index(i))));
  return errs;
}

export function validateBindingUpdate(b: BindingLike, old: BindingLike, namespaced: boolean): FieldError[] {
  const errs = validateBinding(b, namespaced);
  const a = b.roleRef ?? {};
  const o = old.roleRef ?? {};
  if ((a.apiGroup ?? '') !== (o.apiGroup ?? '') || (a.kind ?? '') !== (o.kind ?? '') || (a.name ?? '') !== (o.name ?? ''))
    errs.push(invalid(FieldPath.root('roleRef'), b.roleRef, 'cannot change roleRef'));
  return errs;
}

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts. */
export function subjectsStrings(subjects: SubjectT[] | undefined): { users: string[]; groups: string[]; sas: string[] } {
  const out = { users: [] as string[], groups: [] as string[], sas: [] as string[] };
  for (const s of subjects ?? []) {
    if (s.kind === 'User') out.users.push(s.name ?? '');
    else if (s.kind === 'Group') out.groups.push(s.name ?? '');
    else if (s.kind === 'ServiceAccount') out.sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
  }
  return out;
}

/** Role, Age and the wide Users / Groups / ServiceAccounts columns, as printers.go prints (Cluster)RoleBindings. */
export function bindingColumns<T extends BindingLike>() {
  return {
    role: col<T>('Role', (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`, { description: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.' }),
    users: col<T>('Users', (o) => subjectsStrings(o.subjects).users.join(', '), { priority: 1, description: 'Users in the roleBinding' }),
    groups: col<T>('Groups', (o) => subjectsStrings(o.subjects).groups.join(', '), { priority: 1, description: 'Groups in the roleBinding' }),
    sas: col<T>('ServiceAccounts', (o) => subjectsStrings(o.subjects).sas.join(', '), { priority: 1, description: 'ServiceAccounts in the roleBinding' }),
  };
}

/** Roles print Name and "Created At" (an RFC 3339 timestamp, not an age). */
export const createdAtColumn = <T extends KObject>() =>
  col<T>('Created At', (o) => o.metadata.creationTimestamp ?? '', {
    type: 'date',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  });
