/**
 * The HTTPS client for components outside the API server process (node agents): node:https with a keep-alive
 * agent and client-certificate authentication, configured directly or from a kubeconfig (the current context's
 * cluster and user; inline `*-data` fields or file paths; bearer tokens are supported too).
 */
import { readFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { KubeClient } from './kube-client.js';
import { createKubeClient, type ClientOptions, type Transport, type TransportRequest, type TransportResponse } from './transport.js';

export interface HttpsEndpoint {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  /** PEM of the cluster CA. */
  ca: string | Buffer;
  /** Client certificate/key PEM (omit when using a token). */
  cert?: string | Buffer;
  key?: string | Buffer;
  token?: string;
}

export type HttpsClientConfig = (HttpsEndpoint | { kubeconfigPath: string; context?: string }) & ClientOptions & {
  /**
   * Concurrent sockets per host (default unlimited: every open watch holds one, so a cap could starve requests
   * behind watches). Idle keep-alive sockets are capped at 32.
   */
  maxSockets?: number;
};

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }

/** Reads the endpoint of a kubeconfig's current (or given) context. */
export function endpointFromKubeconfig(path: string, context?: string): HttpsEndpoint {
  const doc = parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const base = dirname(path);
  const pick = <T>(listName: string, name: string | undefined): T => {
    const list = (doc[listName] ?? []) as Named<T>[];
    const hit = list.find((e) => e.name === name);
    if (!hit) throw new Error(`kubeconfig ${path}: no ${listName.slice(0, -1)} named ${JSON.stringify(name)}`);
    return (hit.cluster ?? hit.user ?? hit.context) as T;
  };
  const ctxName = context ?? (doc['current-context'] as string | undefined);
  const ctx = pick<{ cluster: string; user: string }>('contexts', ctxName);
  const cluster = pick<Record<string, string>>('clusters', ctx.cluster);
  const user = pick<Record<string, string>>('users', ctx.user);
  const material = (obj: Record<string, string>, field: string): Buffer | undefined => {
    if (obj[`${field}-data`]) return Buffer.from(obj[`${field}-data`]!, 'base64');
    const file = obj[field];
    if (file) return readFileSync(isAbsolute(file) ? file : resolvePath(base, file));
    return undefined;
  };
  const ca = material(cluster, 'certificate-authority');
  if (!cluster['server']) throw new Error(`kubeconfig ${path}: cluster ${ctx.cluster} has no server`);
  if (!ca) throw new Error(`kubeconfig ${path}: cluster ${ctx.cluster} has no certificate authority`);
  return {
    server: cluster['server'],
    ca,
    cert: material(user, 'client-certificate'),
    key: material(user, 'client-key'),
    token: user['token'],
  };
}

export class HttpsTransport implements Transport {
  private readonly agent: Agent;
  private readonly url: URL;
  private readonly auth: Record<string, string>;

  constructor(private readonly ep: HttpsEndpoint, maxSockets = Infinity) {
    this.url = new URL(ep.server);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: 32, ca: ep.ca, cert: ep.cert, key: ep.key });
    this.auth = ep.token ? { authorization: `Bearer ${ep.token}` } : {};
  }

  request(r: TransportRequest): Promise<TransportResponse> {
    return new Promise<TransportResponse>((resolve, reject) => {
      const headers: Record<string, string> = { ...r.headers, ...this.auth };
      if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
      const basePath = this.url.pathname === '/' ? '' : this.url.pathname.replace(/\/$/, '');
      const req = httpsRequest({
        agent: this.agent,
        host: this.url.hostname,
        port: this.url.port || 443,
        method: r.method,
        path: basePath + r.path + (r.query ? `?${r.query}` : ''),
        headers,
        servername: isIpAddress(this.url.hostname) ? undefined : this.url.hostname,
      });
      let aborted = false;
      req.on('error', (e) => {
        if (!aborted) reject(e);
      });
      req.on('response', (res: IncomingMessage) => {
        res.setEncoding('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: {
            text: () => new Promise<string>((ok, fail) => {
              let all = '';
              res.on('data', (c: string) => { all += c; });
              res.on('end', () => ok(all));
              res.on('error', fail);
              res.on('aborted', () => (aborted ? ok(all) : fail(new Error('response aborted'))));
            }),
            stream: (onChunk) => new Promise<void>((ok, fail) => {
              res.on('data', onChunk);
              res.on('end', () => ok());
              res.on('close', () => (aborted || res.complete ? ok() : fail(new Error('watch stream broken'))));
              res.on('error', (e) => (aborted ? ok() : fail(e)));
            }),
          },
          abort: () => {
            if (aborted) return;
            aborted = true;
            req.destroy();
            res.destroy();
          },
        });
      });
      if (r.body !== undefined) req.end(r.body);
      else req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[');
}

/** A KubeClient over HTTPS; `close()` releases the keep-alive sockets (open watches should be stopped first). */
export function createHttpsClient(config: HttpsClientConfig): KubeClient & { close(): void } {
  const ep = 'kubeconfigPath' in config ? endpointFromKubeconfig(config.kubeconfigPath, config.context) : config;
  const transport = new HttpsTransport(ep, config.maxSockets);
  const client = createKubeClient(transport, config) as KubeClient & { close(): void };
  client.close = () => transport.close();
  return client;
}
