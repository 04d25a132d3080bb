/**
 * serviceaccounts/<name>/token (authentication.k8s.io/v1 TokenRequest): issues a signed token bound to the
 * service account (and optionally a pod or secret), as `kubectl create token` expects.
 */
import { invalid as fieldInvalid } from '../../../api/meta/field-errors.js';
import { isObject, type KObject } from '../../../api/meta/object.js';
import type { ServiceAccountTokens } from '../../authn/service-account-tokens.js';
import { badRequest, invalid } from '../../http/api-error.js';
import { parseBody } from '../../decode/body-parser.js';
import { contentTypeOf } from '../../http/negotiation.js';
import { readBody } from '../../http/request-body.js';
import { sendJson } from '../../http/respond.js';
import { rfc3339 } from '../../registry/time.js';
import type { RequestContext } from '../request-context.js';
import type { ServerCore } from '../server-core.js';

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

const MIN_EXPIRATION = 600;
const MAX_EXPIRATION = 2 ** 32;

export function serviceAccountTokenHandler(tokens: ServiceAccountTokens) {
  return async (ctx: RequestContext, core: ServerCore): Promise<void> => {
    if (ctx.info.verb !== 'create') throw badRequest('token only supports create');
    const { namespace, name } = ctx.info;
    const sa = await core.storageFor(core.registry.find('', 'v1', 'serviceaccounts')!).get(namespace, name);
    const body = parseBody(await readBody(ctx.req), contentTypeOf(ctx.req.headers['content-type']) || 'application/json');
    const req = (isObject(body) ? body : {}) as KObject & { spec?: TokenRequestSpec };
    const spec: TokenRequestSpec = { ...(req.spec ?? {}) };
    spec.expirationSeconds ??= 3600;
    if (spec.expirationSeconds < MIN_EXPIRATION)
      throw invalid('authentication.k8s.io', 'TokenRequest', name, [fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes')]);
    if (spec.expirationSeconds > MAX_EXPIRATION)
      throw invalid('authentication.k8s.io', 'TokenRequest', name, [fieldInvalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration larger than 2^32 seconds')]);
    let bound: { kind: string; name: string; uid: string } | undefined;
    const ref = spec.boundObjectRef;
    if (ref?.kind && ref.name) {
      const plural = ref.kind === 'Pod' ? 'pods' : ref.kind === 'Secret' ? 'secrets' : undefined;
      if (!plural) throw badRequest(`cannot bind token for serviceaccount "${name}" to object of kind ${ref.kind}`);
      const target = await core.storageFor(core.registry.find('', 'v1', plural)!).get(namespace, ref.name);
      if (ref.uid && ref.uid !== target.metadata.uid)
        throw badRequest(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
      bound = { kind: ref.kind, name: ref.name, uid: target.metadata.uid! };
    }
    const issued = tokens.issue({
      namespace, name, uid: sa.metadata.uid!, audiences: spec.audiences, expirationSeconds: spec.expirationSeconds, boundObject: bound,
    });
    if (!spec.audiences?.length) spec.audiences = ['https://kubernetes.default.svc.cluster.local'];
    sendJson(ctx.res, 201, {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(ctx.now) },
      spec,
      status: { token: issued.token, expirationTimestamp: rfc3339(issued.expiration) },
    }, ctx.warnings);
  };
}
