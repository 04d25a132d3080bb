/** The parts of the API server that request handlers use (kept as an interface to avoid import cycles). */
import type { KObject, ManagedFieldsEntry } from '../../api/meta/object.js';
import type { ResourceDescriptor } from '../../api/resource.js';
import type { Schema } from '../../api/schema/schema.js';
import type { UpdateManagedFieldsArgs } from '../patch/managed-fields.js';
import type { ServerSideApplyArgs } from '../patch/server-side-apply.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { ResourceStorage } from '../registry/resource-storage.js';
import type { RequestContext } from './request-context.js';

/** The patch engines (main/apiserver/patch). */
export interface Patchers {
  json(doc: unknown, patch: unknown): unknown;
  merge(doc: unknown, patch: unknown): unknown;
  strategic(doc: unknown, patch: unknown, schema: Schema | undefined): unknown;
  apply(args: ServerSideApplyArgs): KObject;
  managedFields(args: UpdateManagedFieldsArgs): ManagedFieldsEntry[];
}

/** Handles `<resource>/<name>/<subresource>` requests that are not generic status/scale. */
export type SubresourceHandler = (ctx: RequestContext, d: ResourceDescriptor, core: ServerCore) => Promise<void>;

/** Handles create on virtual (review) resources. Returns the response object. */
export type VirtualHandler = (ctx: RequestContext, d: ResourceDescriptor, body: KObject, core: ServerCore) => Promise<KObject>;

export interface WatchSettings {
  /** Server-chosen watch duration bounds when the client sets no timeoutSeconds (upstream: 30–60 min). */
  minSeconds: number;
  maxSeconds: number;
  bookmarkIntervalMs: number;
}

export interface ServerCore {
  readonly registry: ResourceRegistry;
  readonly authorizer: Authorizer;
  readonly patchers: Patchers;
  readonly watch: WatchSettings;
  /** Keyed by `<group>/<plural>/<subresource>`, with `*` for any resource. */
  readonly subresources: Map<string, SubresourceHandler>;
  /** Keyed by `<group>/<plural>`. */
  readonly virtual: Map<string, VirtualHandler>;
  storageFor(d: ResourceDescriptor): ResourceStorage;
  log(message: string): void;
}
