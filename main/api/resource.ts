/**
 * The one declaration of a resource (ARCHITECTURE.md §3). REST routes, discovery, OpenAPI, Table output,
 * field selectors and the generic UI are all derived from these descriptors; nothing else lists resources.
 */
import type { FieldError } from './meta/field-errors.js';
import type { KObject } from './meta/object.js';
import type { NameRule } from './meta/name-validation.js';
import type { Definition } from './schema/schema.js';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';
export const ALL_VERBS: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';
export type Cell = string | number | boolean | null;

/** A server-side Table column (meta.k8s.io/v1 TableColumnDefinition + how to compute its cell). */
export interface Column<T extends KObject = KObject> {
  name: string;
  type: ColumnType;
  /** "name" for the Name column; otherwise usually empty. */
  format?: string;
  description: string;
  /** 0 = always shown; 1 = only with `-o wide`. */
  priority?: number;
  /** `now` is the request time in ms since the epoch (for ages). */
  cell(obj: T, now: number): Cell;
}

/** How the `scale` subresource reads and writes replicas (autoscaling/v1 Scale). */
export interface ScaleAccess<T extends KObject = KObject> {
  specReplicas(obj: T): number;
  setSpecReplicas(obj: T, replicas: number): void;
  statusReplicas(obj: T): number;
  /** Label selector in string form (`app=web,tier in (a,b)`), or '' when none. */
  selector(obj: T): string;
}

/**
 * Subresources served under `<resource>/<name>/<sub>`. `status` and `scale` are generic; the others are
 * named here for discovery and routed to dedicated handlers in the API server.
 */
export interface Subresources<T extends KObject = KObject> {
  status?: boolean;
  scale?: ScaleAccess<T>;
  binding?: boolean;
  eviction?: boolean;
  log?: boolean;
  exec?: boolean;
  attach?: boolean;
  portforward?: boolean;
  proxy?: boolean;
  /** serviceaccounts/token (TokenRequest). */
  token?: boolean;
  /** namespaces/finalize. */
  finalize?: boolean;
  ephemeralcontainers?: boolean;
  /** certificatesigningrequests/approval. */
  approval?: boolean;
}

/** Kind-specific rules applied around every write (kube-apiserver's RESTCreateStrategy/RESTUpdateStrategy). */
export interface Strategy<T extends KObject = KObject> {
  /** After defaulting, before validation, on create. Sets initial status etc. */
  prepareForCreate?(obj: T): void;
  /** After defaulting, before validation, on update/patch of the main resource. */
  prepareForUpdate?(obj: T, old: T): void;
  validate?(obj: T): FieldError[];
  validateUpdate?(obj: T, old: T): FieldError[];
  /**
   * Writes through the status subresource: `obj` is the stored object with the new status; `incoming` is what
   * the client sent, for kinds whose status writes may change more (Deployments: annotations).
   */
  prepareForStatusUpdate?(obj: T, old: T, incoming: T): void;
  validateStatusUpdate?(obj: T, old: T): FieldError[];
  /** Non-fatal advice sent back as `Warning:` headers (e.g. duplicate env names). */
  warnings?(obj: T, old?: T): string[];
}

/** Where a resource served in several versions (HPA v1/v2, core/v1 and events.k8s.io Events) is stored. */
export interface StorageMapping<T extends KObject = KObject> {
  /** `group/plural` of the storage resource, e.g. `autoscaling/horizontalpodautoscalers`. */
  resource: string;
  toStorage(obj: T): KObject;
  fromStorage(stored: KObject): T;
}

export interface ResourceDescriptor<T extends KObject = KObject> {
  group: string;
  version: string;
  kind: string;
  /** Plural lower-case resource name used in URLs, e.g. "deployments". */
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  /** Defaults to ALL_VERBS (ALL minus writes when readOnly). */
  verbs?: readonly Verb[];
  subresources?: Subresources<T>;
  /** Format of metadata.name; defaults to DNS-1123 subdomain (most kinds). */
  nameRule?: NameRule;
  /** Top-level schema definition; must carry x-kubernetes-group-version-kind. */
  schema: Definition;
  /** Go's SetDefaults_*: fill unset fields. Idempotent; runs on every create and update. */
  defaults?(obj: T): void;
  strategy?: Strategy<T>;
  /** metadata.generation is 1 on create and bumped when anything outside metadata and status changes. */
  generation?: boolean;
  /** Keep `status` from the request on create (Node, Event-like kinds) instead of clearing it. */
  keepStatusOnCreate?: boolean;
  /** Extra field selectors beyond metadata.name / metadata.namespace. */
  fieldSelectors?: Record<string, (obj: T) => string>;
  /** Table columns as upstream prints them. Absent: Name + Created At. */
  columns?: Column<T>[];
  /** Served but never written by clients (ComponentStatus). */
  readOnly?: boolean;
  /** Sent as a `Warning:` header on every request for this resource. */
  deprecationWarning?: string;
  /** For resources stored under another resource (multi-version kinds). */
  storage?: StorageMapping<T>;
  /** Hidden from discovery (e.g. a subresource-only kind such as Binding). */
  hidden?: boolean;
  /** Only create is served and nothing is stored (review types: SelfSubjectAccessReview, TokenReview). */
  virtual?: boolean;
}

/** Type-erasing helper so descriptors keep their own T but live in one registry. */
export function defineResource<T extends KObject>(d: ResourceDescriptor<T>): ResourceDescriptor {
  return d as unknown as ResourceDescriptor;
}

export const apiVersionOf = (d: Pick<ResourceDescriptor, 'group' | 'version'>): string =>
  d.group ? `${d.group}/${d.version}` : d.version;

/** `deployments.apps`, `pods` — how errors name a resource. */
export const groupResource = (d: Pick<ResourceDescriptor, 'group' | 'plural'>): string =>
  d.group ? `${d.plural}.${d.group}` : d.plural;
