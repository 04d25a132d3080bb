/** Everything a handler needs about one request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../authn/user-info.js';
import type { RequestInfo } from '../http/request-info.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
  /** Texts for `Warning:` response headers. */
  warnings: string[];
  now: Date;
}

/** Field manager of a write: the `fieldManager` parameter, else the User-Agent's product token (as upstream). */
export function fieldManagerOf(ctx: RequestContext): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const ua = ctx.req.headers['user-agent'] ?? '';
  const product = ua.split('/')[0]!.trim();
  return product || 'unknown';
}

export function isDryRun(ctx: RequestContext): boolean {
  return ctx.query.getAll('dryRun').includes('All');
}
