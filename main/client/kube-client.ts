/**
 * The client contract shared by the scheduler, controllers and node agents. One implementation
 * (transport.ts: createKubeClient) serves both the in-process client (local-client.ts) and the HTTPS client
 * (https-client.ts); everything above it (informers, work queues, event recorders) depends only on this file.
 */
import type { KObject } from '../api/meta/object.js';

/** Identifies a REST resource: /api/v1/... when group is '', otherwise /apis/<group>/<version>/... */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

const core = (plural: string, namespaced: boolean): ResourceRef => ({ group: '', version: 'v1', plural, namespaced });
const grouped = (group: string, version: string, plural: string, namespaced: boolean): ResourceRef =>
  ({ group, version, plural, namespaced });

export const PODS: ResourceRef = core('pods', true);
export const NODES: ResourceRef = core('nodes', false);
export const EVENTS: ResourceRef = core('events', true);
export const NAMESPACES: ResourceRef = core('namespaces', false);
export const SERVICES: ResourceRef = core('services', true);
export const PVCS: ResourceRef = core('persistentvolumeclaims', true);
export const PVS: ResourceRef = core('persistentvolumes', false);
export const CONFIGMAPS: ResourceRef = core('configmaps', true);
export const SECRETS: ResourceRef = core('secrets', true);
export const SERVICEACCOUNTS: ResourceRef = core('serviceaccounts', true);
export const ENDPOINTS: ResourceRef = core('endpoints', true);
export const REPLICATIONCONTROLLERS: ResourceRef = core('replicationcontrollers', true);
export const RESOURCEQUOTAS: ResourceRef = core('resourcequotas', true);
export const LIMITRANGES: ResourceRef = core('limitranges', true);
export const LEASES: ResourceRef = grouped('coordination.k8s.io', 'v1', 'leases', true);
export const STORAGECLASSES: ResourceRef = grouped('storage.k8s.io', 'v1', 'storageclasses', false);
export const CSINODES: ResourceRef = grouped('storage.k8s.io', 'v1', 'csinodes', false);
export const PRIORITYCLASSES: ResourceRef = grouped('scheduling.k8s.io', 'v1', 'priorityclasses', false);
export const PDBS: ResourceRef = grouped('policy', 'v1', 'poddisruptionbudgets', true);
export const REPLICASETS: ResourceRef = grouped('apps', 'v1', 'replicasets', true);
export const DEPLOYMENTS: ResourceRef = grouped('apps', 'v1', 'deployments', true);
export const STATEFULSETS: ResourceRef = grouped('apps', 'v1', 'statefulsets', true);
export const DAEMONSETS: ResourceRef = grouped('apps', 'v1', 'daemonsets', true);
export const CONTROLLERREVISIONS: ResourceRef = grouped('apps', 'v1', 'controllerrevisions', true);
export const JOBS: ResourceRef = grouped('batch', 'v1', 'jobs', true);
export const CRONJOBS: ResourceRef = grouped('batch', 'v1', 'cronjobs', true);
export const ENDPOINTSLICES: ResourceRef = grouped('discovery.k8s.io', 'v1', 'endpointslices', true);

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ObjectList<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WatchHandle {
  /** Ends the stream; `done` then resolves with undefined. Idempotent. */
  stop(): void;
  /**
   * Resolves when the stream ends. An ApiStatusError means an abnormal end: the request failed, or the server
   * sent an ERROR event (e.g. 410 Expired when the requested resourceVersion was compacted). Never rejects.
   */
  done: Promise<ApiStatusError | undefined>;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface WriteOpts {
  fieldManager?: string;
  dryRun?: boolean;
  /** e.g. 'status' for update/patch of the status subresource. */
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOpts {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** A failed request: the server's metav1.Status. */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status: unknown,
  ) {
    super(message);
    this.name = 'ApiStatusError';
  }
}

export interface KubeClient {
  get<T extends KObject>(r: ResourceRef, namespace: string, name: string): Promise<T>;
  /** namespace '' = all namespaces (or a cluster-scoped resource). */
  list<T extends KObject>(r: ResourceRef, namespace: string, opts?: ListOptions): Promise<ObjectList<T>>;
  /** Events are delivered as they arrive, one at a time, in stream order. */
  watch<T extends KObject>(r: ResourceRef, namespace: string, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): WatchHandle;
  create<T extends KObject>(r: ResourceRef, namespace: string, obj: T, opts?: WriteOpts): Promise<T>;
  /** PUT; opts.subresource 'status' writes the status subresource. The name comes from obj.metadata.name. */
  update<T extends KObject>(r: ResourceRef, namespace: string, obj: T, opts?: WriteOpts): Promise<T>;
  patch<T extends KObject>(r: ResourceRef, namespace: string, name: string, type: PatchType, patch: unknown, opts?: WriteOpts): Promise<T>;
  /** 404 → throws ApiStatusError. */
  delete(r: ResourceRef, namespace: string, name: string, opts?: DeleteOpts): Promise<void>;
  /** POST <r>/<name>/<sub> (pods/binding, pods/eviction, serviceaccounts/token); returns the parsed response. */
  post(r: ResourceRef, namespace: string, name: string, subresource: string, body: unknown): Promise<unknown>;
  /** GET of a non-resource path such as the discovery documents (`/api/v1`, `/apis`, `/apis/apps/v1`); parsed JSON. */
  getRaw(path: string): Promise<unknown>;
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiStatusError && e.code === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiStatusError && e.code === 409 && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiStatusError && e.code === 409 && e.reason === 'AlreadyExists';
export const isGone = (e: unknown): boolean => e instanceof ApiStatusError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
export const isTooManyRequests = (e: unknown): boolean => e instanceof ApiStatusError && e.code === 429;

/** The cache key client-go uses: `ns/name` for namespaced objects, `name` otherwise. */
export function objectKey(obj: KObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}
