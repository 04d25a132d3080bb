/**
 * An in-process control plane (memory store, port 0, fresh data dir) and a small HTTPS client for unit tests
 * that need the HTTP surface: the admin certificate, client certificates for any user/groups (issued from the
 * cluster CA), bearer tokens, or no credentials at all.
 */
import { request, type RequestOptions } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../../main/control-plane/control-plane.js';
import { issueCertificate } from '../../main/pki/certificate-authority.js';
import { openMemoryStore } from '../../main/store/memory-store.js';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Client {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  get(path: string, headers?: Record<string, string>): Promise<HttpResult>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  delete(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
}

export interface TestCluster {
  cp: ControlPlane;
  dataDir: string;
  port: number;
  admin: Client;
  anonymous: Client;
  /** A client authenticated by a client certificate with CN = user and O = groups. */
  as(user: string, groups?: string[]): Promise<Client>;
  bearer(token: string): Client;
  stop(): Promise<void>;
}

function client(port: number, ca: string, tls: { cert?: string; key?: string }, extraHeaders: Record<string, string> = {}): Client {
  const doRequest = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<HttpResult>((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const opts: RequestOptions = {
        host: '127.0.0.1', port, path, method, ca, cert: tls.cert, key: tls.key, agent: false, servername: 'localhost',
        headers: {
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...extraHeaders,
          ...headers,
        },
      };
      const req = request(opts, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  return {
    request: doRequest,
    get: (p, h) => doRequest('GET', p, undefined, h),
    post: (p, b, h) => doRequest('POST', p, b, h),
    put: (p, b, h) => doRequest('PUT', p, b, h),
    delete: (p, b, h) => doRequest('DELETE', p, b, h),
  };
}

/**
 * An in-process control plane on a memory store. By default only the API server runs (no scheduler, no simulated
 * nodes) so tests of the API machinery see only their own writes; pass `allComponents` to run everything.
 */
export async function startTestCluster(opts: { allComponents?: boolean } = {}): Promise<TestCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-cluster-'));
  const components = opts.allComponents ? undefined : { scheduler: false, simulatedNodes: false, controllerManager: false };
  const cp = await startControlPlane({ dataDir, apiPort: 0, store: openMemoryStore(), log: () => undefined, components });
  const pki = join(dataDir, 'pki');
  const [ca, caKey, cert, key] = await Promise.all(['ca.crt', 'ca.key', 'admin.crt', 'admin.key'].map((f) => readFile(join(pki, f), 'utf8')));
  const port = cp.server.port;
  return {
    cp, dataDir, port,
    admin: client(port, ca!, { cert, key }),
    anonymous: client(port, ca!, {}),
    async as(user, groups = []) {
      const pair = await issueCertificate({ certPem: ca!, keyPem: caKey! }, { commonName: user, organizations: groups, usage: 'client' });
      return client(port, ca!, { cert: pair.certPem, key: pair.keyPem });
    },
    bearer: (token) => client(port, ca!, {}, { authorization: `Bearer ${token}` }),
    async stop() {
      await cp.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Minimal objects for tests. */
export const pod = (name: string, extra: { nodeName?: string; labels?: Record<string, string>; phase?: string } = {}) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
});

export const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
