/**
 * Non-resource endpoints: /version, health checks, discovery roots and group documents, OpenAPI.
 * Returns false when the path is not one of them.
 */
import { aggregatedDiscoveryVersion } from '../http/negotiation.js';
import { sendJson, sendText } from '../http/respond.js';
import { pathNotFound } from '../http/api-error.js';
import {
  aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions,
} from '../discovery/discovery-documents.js';
import type { OpenApiV3 } from '../openapi/openapi-v3.js';
import { serveOpenApiV2 } from '../openapi/openapi-v2.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: 'pilothouse',
  gitTreeState: 'clean',
  buildDate: '2026-11-21T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

/** Paths anyone may read without credentials (upstream's system:public-info-viewer). */
export function isPublicPath(path: string): boolean {
  return path === '/version' || path === '/healthz' || path === '/livez' || path === '/readyz' ||
    path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/');
}

export interface HealthCheck {
  name: string;
  check(): string | undefined; // undefined = healthy, else the failure reason
}

export interface NonResourceDeps {
  registry: ResourceRegistry;
  openapi: OpenApiV3;
  health: HealthCheck[];
  serverAddress(): string;
}

function health(res: ServerResponse, which: string, query: URLSearchParams, checks: HealthCheck[]): void {
  const results = checks.map((c) => ({ name: c.name, failure: c.check() }));
  const failed = results.filter((r) => r.failure !== undefined);
  if (query.has('verbose')) {
    const lines = results.map((r) => (r.failure === undefined ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`));
    lines.push(failed.length ? `${which} check failed` : `${which} check passed`);
    sendText(res, failed.length ? 500 : 200, lines.join('\n') + '\n');
    return;
  }
  if (failed.length) sendText(res, 500, `${results.map((r) => (r.failure === undefined ? `[+]${r.name} ok` : `[-]${r.name} failed: reason withheld`)).join('\n')}\n${which} check failed\n`);
  else sendText(res, 200, 'ok');
}

export function handleNonResource(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, deps: NonResourceDeps): boolean {
  const accept = req.headers.accept;
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (p === '/version') {
    sendJson(res, 200, VERSION_INFO);
    return true;
  }
  for (const which of ['healthz', 'livez', 'readyz']) {
    if (p === `/${which}`) {
      health(res, which, query, deps.health);
      return true;
    }
    if (p.startsWith(`/${which}/`)) {
      const name = p.slice(which.length + 2);
      const c = name === 'ping' ? undefined : deps.health.find((h) => h.name === name);
      if (name !== 'ping' && !c) throw pathNotFound();
      const failure = c?.check();
      sendText(res, failure === undefined ? 200 : 500, failure === undefined ? 'ok' : `internal server error: ${failure}`);
      return true;
    }
  }
  if (p === '/api' || p === '/apis') {
    const v = aggregatedDiscoveryVersion(accept);
    const which = p === '/api' ? 'api' : 'apis';
    if (v) {
      const body = JSON.stringify(aggregatedDiscovery(deps.registry, which, v));
      res.writeHead(200, {
        'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`,
        'Content-Length': String(Buffer.byteLength(body)),
        'Cache-Control': 'no-cache, private',
        Vary: 'Accept',
      });
      res.end(body);
    } else {
      sendJson(res, 200, which === 'api' ? apiVersions(deps.serverAddress()) : apiGroupList(deps.registry));
    }
    return true;
  }
  const parts = p.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) {
    const list = apiResourceList(deps.registry, '', parts[1]!);
    if (!list) throw pathNotFound();
    sendJson(res, 200, list);
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const g = apiGroup(deps.registry, parts[1]!);
    if (!g) throw pathNotFound();
    sendJson(res, 200, g);
    return true;
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const list = apiResourceList(deps.registry, parts[1]!, parts[2]!);
    if (!list) throw pathNotFound();
    sendJson(res, 200, list);
    return true;
  }
  if (parts[0] === 'openapi') {
    if (parts[1] === 'v2' && parts.length === 2) {
      serveOpenApiV2(req, res, deps.registry);
      return true;
    }
    if (parts[1] === 'v3' && parts.length === 2) {
      sendJson(res, 200, deps.openapi.index());
      return true;
    }
    if (parts[1] === 'v3') {
      const doc = deps.openapi.documentForPath(parts.slice(2).join('/'));
      if (!doc) throw pathNotFound();
      const immutable = query.get('hash') === doc.hash;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(doc.json)),
        ETag: `"${doc.hash}"`,
        'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private',
        Expires: immutable ? new Date(Date.now() + 365 * 24 * 3600 * 1000).toUTCString() : '0',
      });
      res.end(doc.json);
      return true;
    }
    throw pathNotFound();
  }
  return false;
}
