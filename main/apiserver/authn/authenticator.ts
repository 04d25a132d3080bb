/**
 * Authentication: x509 client certificates (CN = user, O = groups) verified against the cluster CA, and bearer
 * tokens checked by a pluggable verifier (service-account tokens). Requests without credentials are anonymous.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { SYSTEM_AUTHENTICATED, type UserInfo } from './user-info.js';

export type TokenVerifier = (token: string) => Promise<UserInfo | undefined>;

export interface Authenticator {
  /** The user, `undefined` for anonymous requests; throws nothing. `invalid` is set when credentials were bad. */
  authenticate(req: IncomingMessage): Promise<{ user?: UserInfo; invalid?: boolean }>;
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function createAuthenticator(verifyToken?: TokenVerifier): Authenticator {
  return {
    async authenticate(req) {
      const auth = req.headers.authorization;
      if (auth && /^bearer /i.test(auth)) {
        const token = auth.slice(7).trim();
        const user = await verifyToken?.(token);
        return user ? { user } : { invalid: true };
      }
      const socket = req.socket as TLSSocket;
      if (typeof socket.getPeerCertificate === 'function' && socket.authorized) {
        const cert = socket.getPeerCertificate();
        const cn = cert?.subject?.CN;
        if (cn) {
          const username = Array.isArray(cn) ? cn[0]! : cn;
          const groups = asList(cert.subject.O as string | string[] | undefined);
          return { user: { username, groups: [...groups, SYSTEM_AUTHENTICATED] } };
        }
      }
      return {};
    },
  };
}
