/**
 * Service-account tokens: ES256-signed JWTs issued through TokenRequest (`serviceaccounts/<name>/token`,
 * `kubectl create token`) and verified as bearer tokens. Tokens are bound to the service account's UID: once
 * the account is deleted (or recreated), its old tokens stop working.
 */
import { createPrivateKey, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { UserInfo } from './user-info.js';
import { SYSTEM_AUTHENTICATED } from './user-info.js';

export const DEFAULT_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
  };
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export class ServiceAccountTokens {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;

  constructor(privatePem: string, publicPem: string, private readonly now: () => Date = () => new Date()) {
    this.privateKey = createPrivateKey(privatePem);
    this.publicKey = createPublicKey(publicPem);
    this.kid = b64url(Buffer.from(this.publicKey.export({ type: 'spki', format: 'der' })).subarray(-16));
  }

  issue(input: {
    namespace: string; name: string; uid: string; audiences?: string[]; expirationSeconds: number;
    boundObject?: { kind: string; name: string; uid: string };
  }): { token: string; expiration: Date } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const exp = iat + input.expirationSeconds;
    const claims: TokenClaims = {
      iss: ISSUER,
      sub: `system:serviceaccount:${input.namespace}:${input.name}`,
      aud: input.audiences?.length ? input.audiences : [DEFAULT_AUDIENCE],
      exp, iat, nbf: iat, jti: randomUUID(),
      'kubernetes.io': { namespace: input.namespace, serviceaccount: { name: input.name, uid: input.uid } },
    };
    const b = input.boundObject;
    if (b?.kind === 'Pod') claims['kubernetes.io'].pod = { name: b.name, uid: b.uid };
    if (b?.kind === 'Secret') claims['kubernetes.io'].secret = { name: b.name, uid: b.uid };
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: this.kid }));
    const payload = b64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${header}.${payload}.${b64url(signature)}`, expiration: new Date(exp * 1000) };
  }

  /** Checks signature, lifetime and audience; the caller checks that the bound objects still exist. */
  verify(token: string, audience = DEFAULT_AUDIENCE): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h, p, s] = parts as [string, string, string];
    let ok = false;
    try {
      ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    } catch {
      return undefined;
    }
    if (!ok) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    const nowSec = Math.floor(this.now().getTime() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp < nowSec) return undefined;
    if (claims.nbf && claims.nbf > nowSec + 60) return undefined;
    if (!Array.isArray(claims.aud) || !claims.aud.includes(audience)) return undefined;
    if (!claims['kubernetes.io']?.serviceaccount) return undefined;
    return claims;
  }
}

export function userFromClaims(c: TokenClaims): UserInfo {
  const ns = c['kubernetes.io'].namespace;
  const sa = c['kubernetes.io'].serviceaccount;
  const extra: Record<string, string[]> = { 'authentication.kubernetes.io/credential-id': [`JTI=${c.jti}`] };
  if (c['kubernetes.io'].pod) {
    extra['authentication.kubernetes.io/pod-name'] = [c['kubernetes.io'].pod.name];
    extra['authentication.kubernetes.io/pod-uid'] = [c['kubernetes.io'].pod.uid];
  }
  return {
    username: `system:serviceaccount:${ns}:${sa.name}`,
    uid: sa.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, SYSTEM_AUTHENTICATED],
    extra,
  };
}
