/**
 * Generic REST storage for one resource (kube-apiserver's registry/generic/registry.Store): the create,
 * update, patch and delete pipelines — defaulting, strategy, admission, validation, managed fields,
 * optimistic concurrency, graceful deletion and finalizers — on top of the storage contract.
 *
 * Objects handed out are shared with the store: callers clone before mutating.
 */
import { validateObjectMeta, validateObjectMetaUpdate } from '../../api/meta/meta-validation.js';
import { nameIsDNSSubdomain } from '../../api/meta/name-validation.js';
import { cloneJson, type KObject, type ManagedFieldsEntry } from '../../api/meta/object.js';
import type { FieldError } from '../../api/meta/field-errors.js';
import { apiVersionOf, type ResourceDescriptor } from '../../api/resource.js';
import type { UpdateManagedFieldsArgs } from '../patch/managed-fields.js';
import { StoreError, type Store, type StoredEntry } from '../../store/store.js';
import type { AdmissionChain, AdmissionOperation } from '../admission/admission.js';
import type { UserInfo } from '../authn/user-info.js';
import {
  alreadyExists, ApiError, badRequest, conflict, invalid, notFound, OBJECT_MODIFIED, type GroupResource,
} from '../http/api-error.js';
import { codecFor, copyOfEntry, servedObject, type Codec } from './codec.js';
import { jsonEqual, specPart } from '../../api/meta/json-equal.js';
import { objectKey } from './object-keys.js';
import { rfc3339 } from './time.js';

export type ManagedFieldsUpdater = (args: UpdateManagedFieldsArgs) => ManagedFieldsEntry[];

/** Kind-specific behaviour that is not part of the (pure) descriptor: allocation, graceful deletion. */
export interface KindHooks {
  /** Before persisting a create; returns an undo for when the write fails or is a dry run. */
  beforeCreate?(obj: KObject, ctx: HookContext): Promise<(() => void) | void>;
  beforeUpdate?(obj: KObject, old: KObject, ctx: HookContext): Promise<(() => void) | void>;
  afterDelete?(obj: KObject): void;
  /** Seconds of graceful deletion for this object (pods); 0 = delete at once. */
  gracePeriod?(obj: KObject, requested: number | undefined): number;
  /** Whether a write that leaves deletionTimestamp set and no finalizers should remove the object. */
  shouldDeleteDuringUpdate?(obj: KObject): boolean;
  /** Replaces the deletion of the object by this update (namespaces become Terminating). */
  markForDeletion?(obj: KObject, now: string): boolean;
  /** PUT of a missing object creates it (Endpoints, Events, Leases). */
  allowCreateOnUpdate?: boolean;
  /** DELETE answers with the deleted object rather than a Status (pods). */
  returnDeletedObject?: boolean;
}

export interface HookContext {
  dryRun: boolean;
  storage: ResourceStorage;
}

export interface WriteOptions {
  user: UserInfo;
  dryRun?: boolean;
  fieldManager?: string;
  /** Collects `Warning:` header texts. */
  warnings?: string[];
  /** 'status' or '' for the main resource. */
  subresource?: string;
  /** The object's managedFields were already computed (server-side apply); do not track this write again. */
  managedFieldsComputed?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KObject;
  /** True when the object is gone; false when it is only marked (grace period, finalizers). */
  deleted: boolean;
}

export interface StorageDeps {
  store: Store;
  admission: AdmissionChain;
  clock: () => Date;
  newUid: () => string;
  managedFields: ManagedFieldsUpdater;
  hooks?: KindHooks;
  /** Served from a CustomResourceDefinition (no strategic merge patch). */
  customResource?: boolean;
}

/** What `update` does to the current object: returns the desired next object (a fresh copy). */
export type Mutation = (current: KObject) => Promise<KObject> | KObject;

const MAX_RETRIES = 16;
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export class ResourceStorage {
  readonly codec: Codec;
  readonly gr: GroupResource;
  readonly apiVersion: string;

  constructor(
    readonly descriptor: ResourceDescriptor,
    private readonly deps: StorageDeps,
  ) {
    this.codec = codecFor(descriptor);
    this.gr = { group: descriptor.group, resource: descriptor.plural };
    this.apiVersion = apiVersionOf(descriptor);
  }

  get store(): Store {
    return this.deps.store;
  }

  get allowCreateOnUpdate(): boolean {
    return !!this.deps.hooks?.allowCreateOnUpdate;
  }

  get returnsDeletedObject(): boolean {
    return !!this.deps.hooks?.returnDeletedObject;
  }

  get isCustomResource(): boolean {
    return !!this.deps.customResource;
  }

  key(namespace: string, name: string): string {
    return objectKey(this.descriptor, namespace, name);
  }

  async getEntry(namespace: string, name: string): Promise<StoredEntry | undefined> {
    return this.deps.store.get(this.key(namespace, name));
  }

  /** The served object; throws NotFound. */
  async get(namespace: string, name: string): Promise<KObject> {
    const e = await this.getEntry(namespace, name);
    if (!e) throw notFound(this.gr, name);
    return servedObject(e, this.codec);
  }

  // ---------------------------------------------------------------- create

  async create(namespace: string, input: KObject, opts: WriteOptions): Promise<KObject> {
    const d = this.descriptor;
    const obj = input;
    obj.metadata ??= {};
    if (d.namespaced) obj.metadata.namespace = namespace;
    else delete obj.metadata.namespace;
    obj.apiVersion = this.apiVersion;
    obj.kind = d.kind;
    const generated = !obj.metadata.name && !!obj.metadata.generateName;

    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? obj : cloneJson(obj);
      if (generated) candidate.metadata.name = `${candidate.metadata.generateName}${randomSuffix()}`;
      try {
        return await this.createOnce(namespace, candidate, opts);
      } catch (err) {
        if (generated && err instanceof ApiError && err.reason === 'AlreadyExists' && attempt < 8) continue;
        throw err;
      }
    }
  }

  private async createOnce(namespace: string, obj: KObject, opts: WriteOptions): Promise<KObject> {
    const d = this.descriptor;
    const now = this.deps.clock();
    d.defaults?.(obj);
    const m = obj.metadata;
    m.uid = this.deps.newUid();
    m.creationTimestamp = rfc3339(now);
    delete m.resourceVersion;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (d.generation) m.generation = 1;
    else delete m.generation;
    if (d.subresources?.status && !d.keepStatusOnCreate) delete obj.status;
    d.strategy?.prepareForCreate?.(obj);

    await this.admit('CREATE', namespace, obj, undefined, opts);
    this.check(obj, [
      ...validateObjectMeta(obj, d.namespaced, d.nameRule ?? nameIsDNSSubdomain),
      ...(d.strategy?.validate?.(obj) ?? []),
    ]);
    await this.admitValidate('CREATE', namespace, obj, undefined, opts);
    opts.warnings?.push(...(d.strategy?.warnings?.(obj) ?? []));
    this.trackFields(undefined, obj, opts, now);

    const undo = await this.deps.hooks?.beforeCreate?.(obj, { dryRun: !!opts.dryRun, storage: this });
    if (opts.dryRun) {
      undo?.();
      return obj;
    }
    try {
      const entry = await this.deps.store.create(this.key(namespace, m.name!), this.codec.toStored(obj));
      return servedObject(entry, this.codec);
    } catch (err) {
      undo?.();
      if (err instanceof StoreError && err.code === 'KeyExists') throw alreadyExists(this.gr, m.name!);
      throw err;
    }
  }

  // ---------------------------------------------------------------- update

  /**
   * Read-modify-write with optimistic concurrency. `mutate` gets the current served object (a private copy)
   * and returns the desired object. A resourceVersion in the result is a precondition; without one the write
   * retries on concurrent changes (GuaranteedUpdate).
   */
  async update(namespace: string, name: string, mutate: Mutation, opts: WriteOptions, createIfMissing?: () => Promise<KObject>): Promise<{ object: KObject; created: boolean }> {
    /** The entry a Conflict reported: newer than what get() may return while that write awaits its commit. */
    let conflicting: StoredEntry | undefined;
    for (let attempt = 0; ; attempt++) {
      const entry = conflicting ?? (await this.getEntry(namespace, name));
      conflicting = undefined;
      if (!entry) {
        if (createIfMissing) return { object: await createIfMissing(), created: true };
        throw notFound(this.gr, name);
      }
      const current = copyOfEntry(entry, this.codec);
      const next = await mutate(copyOfEntry(entry, this.codec));
      // Read before writeUpdate, which fills in the stored resourceVersion: only a client's own is a precondition.
      const precondition = next.metadata?.resourceVersion;
      try {
        return { object: await this.writeUpdate(namespace, name, entry, current, next, opts), created: false };
      } catch (err) {
        const retry = err instanceof StoreError && err.code === 'Conflict' && attempt < MAX_RETRIES && !precondition;
        if (retry) {
          conflicting = (err as StoreError).current;
          continue;
        }
        if (err instanceof StoreError && err.code === 'Conflict') throw conflict(this.gr, name, OBJECT_MODIFIED);
        if (err instanceof StoreError && err.code === 'KeyNotFound') throw notFound(this.gr, name);
        throw err;
      }
    }
  }

  private async writeUpdate(
    namespace: string, name: string, entry: StoredEntry, old: KObject, next: KObject, opts: WriteOptions,
  ): Promise<KObject> {
    const d = this.descriptor;
    const now = this.deps.clock();
    const sub = opts.subresource ?? '';
    next.metadata ??= {};
    const m = next.metadata;
    const o = old.metadata;

    if (m.resourceVersion && m.resourceVersion !== o.resourceVersion) throw conflict(this.gr, name, OBJECT_MODIFIED);
    if (m.uid && m.uid !== o.uid)
      throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${o.uid}`);
    if (m.name && m.name !== name) throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${name})`);
    m.name = name;
    if (d.namespaced) m.namespace = namespace;
    next.apiVersion = this.apiVersion;
    next.kind = d.kind;

    if (sub === 'status') {
      const status = next.status;
      const merged = copyOfEntry(entry, this.codec); // == old, which stays untouched
      if (status === undefined) delete merged.status;
      else merged.status = status;
      merged.metadata.managedFields = m.managedFields ?? o.managedFields;
      const incoming = next;
      next = merged;
      d.strategy?.prepareForStatusUpdate?.(next, old, incoming);
    } else {
      d.defaults?.(next);
      // Read-only metadata comes from the stored object, never from the client.
      const nm = next.metadata;
      nm.uid = o.uid;
      nm.creationTimestamp = o.creationTimestamp;
      if (o.deletionTimestamp) nm.deletionTimestamp = o.deletionTimestamp;
      else delete nm.deletionTimestamp;
      if (o.deletionGracePeriodSeconds !== undefined) nm.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
      else delete nm.deletionGracePeriodSeconds;
      if (d.subresources?.status) {
        if (old.status === undefined) delete next.status;
        else next.status = cloneJson(old.status);
      }
      // The strategy may bump generation itself (Deployment does on annotation changes); clients cannot.
      if (d.generation) next.metadata.generation = o.generation ?? 0;
      d.strategy?.prepareForUpdate?.(next, old);
      if (d.generation) {
        const changed = !jsonEqual(specPart(next), specPart(old));
        const computed = (o.generation ?? 0) + (changed ? 1 : 0);
        next.metadata.generation = Math.max(computed, next.metadata.generation ?? 0);
      } else delete next.metadata.generation;
    }
    next.metadata.resourceVersion = o.resourceVersion;

    await this.admit('UPDATE', namespace, next, old, opts);
    const metaErrors = validateObjectMetaUpdate(next, old, d.namespaced, d.nameRule ?? nameIsDNSSubdomain);
    const kindErrors = sub === 'status'
      ? d.strategy?.validateStatusUpdate?.(next, old) ?? []
      : d.strategy?.validateUpdate?.(next, old) ?? d.strategy?.validate?.(next) ?? [];
    this.check(next, [...metaErrors, ...kindErrors]);
    await this.admitValidate('UPDATE', namespace, next, old, opts);
    opts.warnings?.push(...(d.strategy?.warnings?.(next, old) ?? []));

    // A write that changes nothing is not a write (no new resourceVersion, no watch event).
    if (jsonEqual(withoutBookkeeping(next), withoutBookkeeping(old))) return old;
    this.trackFields(old, next, opts, now);

    const hooks = this.deps.hooks;
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && (hooks?.shouldDeleteDuringUpdate?.(next) ?? true)) {
      if (opts.dryRun) return next;
      const gone = await this.deps.store.delete(entry.key, entry.modRevision);
      hooks?.afterDelete?.(gone.value);
      return servedObject(gone, this.codec);
    }
    const undo = await hooks?.beforeUpdate?.(next, old, { dryRun: !!opts.dryRun, storage: this });
    if (opts.dryRun) {
      undo?.();
      return next;
    }
    try {
      const written = await this.deps.store.update(entry.key, this.codec.toStored(next), entry.modRevision);
      return servedObject(written, this.codec);
    } catch (err) {
      undo?.();
      throw err;
    }
  }

  /**
   * Read-modify-write that bypasses strategy, admission and validation: for subresources whose semantics are
   * their own (pods/binding sets spec.nodeName, which pod updates may not change). Retries on conflicts.
   */
  async rawUpdate(namespace: string, name: string, mutate: (current: KObject) => KObject): Promise<KObject> {
    return this.guaranteed(namespace, name, async (entry) => {
      const next = mutate(copyOfEntry(entry, this.codec));
      const written = await this.deps.store.update(entry.key, this.codec.toStored(next), entry.modRevision);
      return servedObject(written, this.codec);
    });
  }

  /** rawUpdate, removing the object instead when the result is marked deleted and has nothing left to wait for. */
  async rawUpdateOrDelete(namespace: string, name: string, mutate: (current: KObject) => KObject, opts: WriteOptions): Promise<KObject> {
    return this.guaranteed(namespace, name, async (entry) => {
      const next = mutate(copyOfEntry(entry, this.codec));
      const hooks = this.deps.hooks;
      const remove = !!next.metadata.deletionTimestamp && !(next.metadata.finalizers?.length) && (hooks?.shouldDeleteDuringUpdate?.(next) ?? true);
      if (opts.dryRun) return next;
      if (remove) {
        const gone = await this.deps.store.delete(entry.key, entry.modRevision);
        hooks?.afterDelete?.(gone.value);
        return servedObject(gone, this.codec);
      }
      const written = await this.deps.store.update(entry.key, this.codec.toStored(next), entry.modRevision);
      return servedObject(written, this.codec);
    });
  }

  // ---------------------------------------------------------------- delete

  async delete(namespace: string, name: string, options: DeleteOptions, opts: WriteOptions): Promise<DeleteResult> {
    const hooks = this.deps.hooks;
    // A delete without preconditions retries on fresh state, also when the object vanished mid-write.
    return this.guaranteed(namespace, name, async (entry) => {
      const current = this.codec.fromStored(entry.value);
      const pre = options.preconditions;
      if (pre?.uid && pre.uid !== current.metadata.uid)
        throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
      if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)
        throw conflict(this.gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
      await this.admitValidate('DELETE', namespace, undefined, current, opts);

      const next = copyOfEntry(entry, this.codec);
      const now = this.deps.clock();
      const finalizersChanged = applyPropagationFinalizers(next, options);
      const grace = hooks?.gracePeriod ? hooks.gracePeriod(next, options.gracePeriodSeconds) : 0;
      const pendingGraceful = !!current.metadata.deletionTimestamp;
      const marksInsteadOfDeleting = hooks?.markForDeletion?.(next, rfc3339(now)) ?? false;
      const hasFinalizers = (next.metadata.finalizers?.length ?? 0) > 0;

      let mark = false;
      if (marksInsteadOfDeleting) mark = true;
      else if (grace > 0) {
        const deadline = new Date(now.getTime() + grace * 1000);
        const existing = current.metadata.deletionTimestamp ? Date.parse(current.metadata.deletionTimestamp) : Infinity;
        if (!pendingGraceful || deadline.getTime() < existing) {
          next.metadata.deletionTimestamp = rfc3339(deadline);
          next.metadata.deletionGracePeriodSeconds = grace;
        }
        mark = true;
      } else if (hasFinalizers) {
        next.metadata.deletionTimestamp ??= rfc3339(now);
        next.metadata.deletionGracePeriodSeconds ??= 0;
        if (pendingGraceful) next.metadata.deletionGracePeriodSeconds = 0;
        mark = true;
      }

      if (mark) {
        if (pendingGraceful && !finalizersChanged && jsonEqual(next, current)) return { object: current, deleted: false };
        if (opts.dryRun) return { object: next, deleted: false };
        const written = await this.deps.store.update(entry.key, this.codec.toStored(next), entry.modRevision);
        return { object: servedObject(written, this.codec), deleted: false };
      }
      if (opts.dryRun) return { object: current, deleted: true };
      const gone = await this.deps.store.delete(entry.key, entry.modRevision);
      hooks?.afterDelete?.(gone.value);
      return { object: servedObject(gone, this.codec), deleted: true };
    }, true);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Optimistic concurrency as upstream's GuaranteedUpdate: `attempt` gets the current entry and writes expecting
   * its revision. A store Conflict runs it again on the entry the store reported (get() may lag writes still
   * awaiting their group commit); with `retryGone`, a KeyNotFound during the write re-reads too. A write storm
   * outlasting every retry answers 409 Conflict, a vanished object 404 — never a raw store error.
   */
  private async guaranteed<T>(namespace: string, name: string, attempt: (entry: StoredEntry) => Promise<T>, retryGone = false): Promise<T> {
    let conflicting: StoredEntry | undefined;
    for (let n = 0; ; n++) {
      const entry = conflicting ?? (await this.getEntry(namespace, name));
      conflicting = undefined;
      if (!entry) throw notFound(this.gr, name);
      try {
        return await attempt(entry);
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        if (err.code === 'Conflict' && n < MAX_RETRIES) {
          conflicting = err.current;
          continue;
        }
        if (err.code === 'KeyNotFound' && retryGone && n < MAX_RETRIES) continue;
        if (err.code === 'Conflict') throw conflict(this.gr, name, OBJECT_MODIFIED);
        if (err.code === 'KeyNotFound') throw notFound(this.gr, name);
        throw err;
      }
    }
  }

  private check(obj: KObject, errs: FieldError[]): void {
    if (errs.length > 0) throw invalid(this.descriptor.group, this.descriptor.kind, obj.metadata.name ?? '', errs);
  }

  private async admit(op: AdmissionOperation, namespace: string, obj: KObject | undefined, old: KObject | undefined, opts: WriteOptions) {
    await this.deps.admission.mutate({
      operation: op, descriptor: this.descriptor, namespace, name: obj?.metadata.name ?? old?.metadata.name ?? '',
      subresource: opts.subresource ?? '', object: obj, oldObject: old, user: opts.user, dryRun: !!opts.dryRun,
    });
  }

  private async admitValidate(op: AdmissionOperation, namespace: string, obj: KObject | undefined, old: KObject | undefined, opts: WriteOptions) {
    await this.deps.admission.validate({
      operation: op, descriptor: this.descriptor, namespace, name: obj?.metadata.name ?? old?.metadata.name ?? '',
      subresource: opts.subresource ?? '', object: obj, oldObject: old, user: opts.user, dryRun: !!opts.dryRun,
    });
  }

  /** Fields a write through `subresource` cannot set, so no manager may own them from that endpoint. */
  resetFields(subresource: string): string[][] | undefined {
    if (!subresource && this.descriptor.subresources?.status) return [['status']];
    return undefined;
  }

  private trackFields(previous: KObject | undefined, next: KObject, opts: WriteOptions, now: Date): void {
    if (opts.managedFieldsComputed) return;
    if (!opts.fieldManager) {
      if (previous) next.metadata.managedFields = previous.metadata.managedFields;
      if (!next.metadata.managedFields?.length) delete next.metadata.managedFields;
      return;
    }
    const entries = this.deps.managedFields({
      previous, next, manager: opts.fieldManager, subresource: opts.subresource || undefined,
      apiVersion: this.apiVersion, time: rfc3339(now), schema: this.descriptor.schema.schema,
      resetFields: this.resetFields(opts.subresource ?? ''),
    });
    if (entries.length) next.metadata.managedFields = entries;
    else delete next.metadata.managedFields;
  }
}

/** Drops what changes on every write without meaning a change: resourceVersion and managed-field times. */
function withoutBookkeeping(o: KObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
  return { ...o, metadata: meta };
}

/** Adds/removes the `orphan` and `foregroundDeletion` finalizers for the requested propagation policy. */
function applyPropagationFinalizers(obj: KObject, options: DeleteOptions): boolean {
  let policy = options.propagationPolicy;
  if (!policy && options.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Background';
  if (!policy) return false;
  const before = obj.metadata.finalizers ?? [];
  let after = before.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (policy === 'Orphan') after = [...after, 'orphan'];
  if (policy === 'Foreground') after = [...after, 'foregroundDeletion'];
  if (after.length === before.length && after.every((f) => before.includes(f))) return false;
  if (after.length) obj.metadata.finalizers = after;
  else delete obj.metadata.finalizers;
  return true;
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}
