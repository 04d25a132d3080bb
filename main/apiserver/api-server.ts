/**
 * The API server: HTTPS front door (authentication, impersonation, authorization), non-resource endpoints,
 * and resource requests dispatched to generic storage. Implements ServerCore for the handlers.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceDescriptor } from '../api/resource.js';
import type { KObject } from '../api/meta/object.js';
import type { Store } from '../store/store.js';
import { AdmissionChain, type AdmissionPlugin } from './admission/admission.js';
import type { Authenticator } from './authn/authenticator.js';
import { impersonate } from './authn/impersonation.js';
import type { UserInfo } from './authn/user-info.js';
import type { Authorizer } from './authz/authorizer.js';
import { ApiError, unauthorized } from './http/api-error.js';
import { parseRequestInfo } from './http/request-info.js';
import { sendError } from './http/respond.js';
import { handleNonResource, isPublicPath, type HealthCheck } from './handlers/non-resource.js';
import type { RequestContext } from './handlers/request-context.js';
import { handleResourceRequest } from './handlers/resource-handler.js';
import { serveComputed } from './handlers/computed-handler.js';
import type { Patchers, ServerCore, SubresourceHandler, VirtualHandler, WatchSettings } from './handlers/server-core.js';
import { OpenApiV3 } from './openapi/openapi-v3.js';
import { ResourceRegistry } from './registry/resource-registry.js';
import { ResourceStorage, type KindHooks } from './registry/resource-storage.js';
import { randomUUID } from 'node:crypto';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** CA bundle client certificates are verified against. */
  clientCA: string;
}

export interface ApiServerOptions {
  store: Store;
  builtins: ResourceDescriptor[];
  patchers: Patchers;
  authenticator: Authenticator;
  authorizer: Authorizer;
  admission: AdmissionPlugin[];
  /** Kind hooks keyed by `<group>/<plural>`. */
  hooks?: Record<string, KindHooks>;
  tls: TlsMaterial;
  host?: string;
  port?: number;
  health?: HealthCheck[];
  watch?: Partial<WatchSettings>;
  clock?: () => Date;
  log?: (message: string) => void;
}

export class ApiServer implements ServerCore {
  readonly registry: ResourceRegistry;
  readonly authorizer: Authorizer;
  readonly patchers: Patchers;
  readonly watch: WatchSettings;
  readonly subresources = new Map<string, SubresourceHandler>();
  readonly virtual = new Map<string, VirtualHandler>();
  /** Read-only resources computed on demand (componentstatuses), keyed by `<group>/<plural>`. */
  readonly computed = new Map<string, () => Promise<KObject[]>>();
  readonly admission: AdmissionChain;
  readonly openapi: OpenApiV3;
  readonly store: Store;
  readonly clock: () => Date;
  private readonly storages = new Map<ResourceDescriptor, ResourceStorage>();
  private readonly health: HealthCheck[];
  private server?: Server;
  private boundPort = 0;
  private readonly customResources = new WeakSet<ResourceDescriptor>();
  private readonly openSockets = new Set<{ destroy(): void }>();

  constructor(private readonly opts: ApiServerOptions) {
    this.store = opts.store;
    this.registry = new ResourceRegistry(opts.builtins);
    this.authorizer = opts.authorizer;
    this.patchers = opts.patchers;
    this.admission = new AdmissionChain(opts.admission);
    this.openapi = new OpenApiV3(this.registry);
    this.clock = opts.clock ?? (() => new Date());
    this.health = opts.health ?? [];
    this.watch = { minSeconds: 1800, maxSeconds: 3600, bookmarkIntervalMs: 60_000, ...opts.watch };
  }

  log(message: string): void {
    this.opts.log?.(message);
  }

  markCustomResource(d: ResourceDescriptor): void {
    this.customResources.add(d);
  }

  storageFor(d: ResourceDescriptor): ResourceStorage {
    let s = this.storages.get(d);
    if (!s) {
      s = new ResourceStorage(d, {
        store: this.store,
        admission: this.admission,
        clock: this.clock,
        newUid: randomUUID,
        managedFields: (a) => this.patchers.managedFields(a),
        hooks: this.opts.hooks?.[`${d.group}/${d.plural}`],
        customResource: this.customResources.has(d),
      });
      this.storages.set(d, s);
    }
    return s;
  }

  /** Storage for `group/plural` in its preferred version. */
  storageForResource(group: string, plural: string): ResourceStorage {
    const d = this.registry.findByResource(group, plural);
    if (!d) throw new Error(`unknown resource ${group}/${plural}`);
    return this.storageFor(d);
  }

  get port(): number {
    return this.boundPort;
  }

  serverAddress(): string {
    return `${this.opts.host ?? '127.0.0.1'}:${this.boundPort}`;
  }

  async listen(): Promise<number> {
    const server = createServer(
      {
        key: this.opts.tls.key,
        cert: this.opts.tls.cert,
        ca: this.opts.tls.clientCA,
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      (req, res) => void this.handle(req, res),
    );
    // Watches are long-lived: no request timeout. Idle keep-alive connections still close.
    server.requestTimeout = 0;
    server.timeout = 0;
    server.keepAliveTimeout = 65_000;
    server.on('connection', (s) => {
      this.openSockets.add(s);
      s.on('close', () => this.openSockets.delete(s));
    });
    server.on('secureConnection', (s) => s.setNoDelay(true));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 6443, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of this.openSockets) s.destroy();
    });
  }

  /**
   * Serves one HTTP request (exposed for tests, the in-process client and the UI server's proxy).
   * `asUser` skips authentication: in-process components pass their own identity (authorization still applies).
   */
  async handle(req: IncomingMessage, res: ServerResponse, asUser?: UserInfo): Promise<void> {
    const warnings: string[] = [];
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const path = url.pathname;
      const query = url.searchParams;
      const auth = asUser ? { user: asUser } : await this.opts.authenticator.authenticate(req);
      if (auth.invalid) throw unauthorized();
      if (!auth.user) {
        if (!isPublicPath(path)) throw unauthorized();
      }
      const deps = { registry: this.registry, openapi: this.openapi, health: this.health, serverAddress: () => this.serverAddress() };
      if (!path.startsWith('/api/') && !path.startsWith('/apis/') && handleNonResource(req, res, path, query, deps)) return;
      if (!auth.user) throw unauthorized();
      const user: UserInfo = impersonate(req, auth.user, this.authorizer);
      const info = parseRequestInfo(req.method ?? 'GET', path, query);
      if (!info.isResourceRequest) {
        if (handleNonResource(req, res, path, query, deps)) return;
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      }
      const ctx: RequestContext = { req, res, info, query, user, warnings, now: this.clock() };
      const computed = this.computed.get(`${info.group}/${info.resource}`);
      if (computed && (info.verb === 'get' || info.verb === 'list')) {
        await serveComputed(ctx, this, computed);
        return;
      }
      await handleResourceRequest(ctx, this);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, err, warnings, (m) => this.log(m));
    }
  }
}
