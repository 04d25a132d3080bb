/** Writing responses: JSON bodies, Status errors and `Warning:` headers. */
import type { ServerResponse } from 'node:http';
import { ApiError, internalError } from './api-error.js';

/** `Warning: 299 - "<text>"` headers, as apiserver sends them (kubectl prints them as `Warning: <text>`). */
export function warningHeaders(warnings: string[]): string[] {
  return [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`);
}

export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string | string[]> = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-cache, private',
  };
  if (warnings.length) headers['Warning'] = warningHeaders(warnings);
  res.writeHead(code, headers);
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

/** Sends any thrown value as a Status; unknown errors become 500 InternalError (and are logged). */
export function sendError(res: ServerResponse, err: unknown, warnings: string[] = [], log?: (msg: string) => void): void {
  const apiErr = err instanceof ApiError ? err : internalError(err);
  if (!(err instanceof ApiError)) log?.(`internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  sendJson(res, apiErr.code, apiErr.toStatus(), warnings);
}
