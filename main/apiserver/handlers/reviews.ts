/**
 * The review resources (create-only, nothing stored): SelfSubjectAccessReview (`kubectl auth can-i`),
 * SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectRulesReview (`auth can-i --list`),
 * SelfSubjectReview (`auth whoami`) and TokenReview.
 */
import { invalid as fieldInvalid } from '../../api/meta/field-errors.js';
import type { KObject } from '../../api/meta/object.js';
import { SYSTEM_MASTERS, type UserInfo } from '../authn/user-info.js';
import type { AuthorizationAttributes, Authorizer } from '../authz/authorizer.js';
import { invalid } from '../http/api-error.js';
import type { RequestContext } from './request-context.js';
import type { VirtualHandler } from './server-core.js';

interface ResourceAttributes {
  namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string;
}
interface NonResourceAttributes {
  path?: string; verb?: string;
}
interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
  user?: string; groups?: string[]; uid?: string; extra?: Record<string, string[]>;
}

const AUTHZ = 'authorization.k8s.io';

function validateAccessSpec(kind: string, spec: AccessReviewSpec | undefined): void {
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  if (ra && nra)
    throw invalid(AUTHZ, kind, '', [fieldInvalid('spec.nonResourceAttributes', nra, 'cannot be specified in combination with resourceAttributes')]);
  if (!ra && !nra)
    throw invalid(AUTHZ, kind, '', [fieldInvalid('spec.resourceAttributes', spec?.resourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')]);
}

function attributesFor(user: UserInfo, spec: AccessReviewSpec): AuthorizationAttributes {
  const ra = spec.resourceAttributes;
  if (ra) {
    return {
      user, verb: ra.verb ?? '', resourceRequest: true, namespace: ra.namespace ?? '', apiGroup: ra.group ?? '',
      apiVersion: ra.version ?? '', resource: ra.resource ?? '', subresource: ra.subresource ?? '', name: ra.name ?? '', path: '',
    };
  }
  const nra = spec.nonResourceAttributes ?? {};
  return {
    user, verb: nra.verb ?? '', resourceRequest: false, namespace: '', apiGroup: '', apiVersion: '', resource: '',
    subresource: '', name: '', path: nra.path ?? '',
  };
}

function accessReviewResponse(body: KObject, authorizer: Authorizer, user: UserInfo): KObject {
  const spec = (body.spec ?? {}) as AccessReviewSpec;
  const decision = authorizer.authorize(attributesFor(user, spec));
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return { ...body, metadata: { ...body.metadata, creationTimestamp: null }, status };
}

export const selfSubjectAccessReview: VirtualHandler = async (ctx, d, body, core) => {
  validateAccessSpec(d.kind, body.spec as AccessReviewSpec);
  return accessReviewResponse(body, core.authorizer, ctx.user);
};

export const subjectAccessReview: VirtualHandler = async (ctx, d, body, core) => {
  const spec = body.spec as AccessReviewSpec;
  validateAccessSpec(d.kind, spec);
  if (!spec.user && !spec.groups?.length)
    throw invalid(AUTHZ, d.kind, '', [fieldInvalid('spec.user', '', 'at least one of user or group must be specified')]);
  const user: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [] };
  if (spec.uid) user.uid = spec.uid;
  if (d.kind === 'LocalSubjectAccessReview') {
    const ns = spec.resourceAttributes?.namespace ?? '';
    if (ns !== ctx.info.namespace)
      throw invalid(AUTHZ, d.kind, '', [fieldInvalid('spec.resourceAttributes.namespace', ns, 'must match metadata.namespace')]);
  }
  return accessReviewResponse(body, core.authorizer, user);
};

export const selfSubjectRulesReview: VirtualHandler = async (ctx, _d, body) => {
  const admin = ctx.user.groups.includes(SYSTEM_MASTERS);
  const selfReviewRules = [
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ];
  return {
    ...body,
    metadata: { creationTimestamp: null },
    status: {
      resourceRules: admin ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, ...selfReviewRules] : selfReviewRules,
      nonResourceRules: admin
        ? [{ verbs: ['*'], nonResourceURLs: ['*'] }]
        : [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
      incomplete: false,
    },
  };
};

export function userInfoJson(u: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: u.username };
  if (u.uid) out.uid = u.uid;
  out.groups = u.groups;
  if (u.extra && Object.keys(u.extra).length) out.extra = u.extra;
  return out;
}

export const selfSubjectReview: VirtualHandler = async (ctx: RequestContext, _d, body) => ({
  ...body,
  metadata: { creationTimestamp: null },
  status: { userInfo: userInfoJson(ctx.user) },
});

/** TokenReview needs the token verifier; the composition root supplies it. */
export function tokenReview(verify: (token: string, audiences: string[]) => Promise<{ user: UserInfo; audiences: string[] } | undefined>): VirtualHandler {
  return async (_ctx, _d, body) => {
    const spec = (body.spec ?? {}) as { token?: string; audiences?: string[] };
    const result = spec.token ? await verify(spec.token, spec.audiences ?? []) : undefined;
    const status: Record<string, unknown> = result
      ? { authenticated: true, user: userInfoJson(result.user), audiences: result.audiences }
      : { authenticated: false, user: {}, error: '[invalid bearer token, token lookup failed]' };
    return { ...body, metadata: { creationTimestamp: null }, status };
  };
}
