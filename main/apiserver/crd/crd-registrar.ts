/**
 * Serves CustomResourceDefinitions: every stored CRD's served versions become dynamic descriptors in the
 * registry (discovery, OpenAPI and REST follow at once), its status gets NamesAccepted/Established, and a
 * deleted CRD first has all its custom resources removed (the `customresourcecleanup` finalizer).
 */
import { crdDescriptorFor } from '../../api/apiextensions.k8s.io/v1/custom-resource-descriptor.js';
import type { CRDCondition, CustomResourceDefinition } from '../../api/apiextensions.k8s.io/v1/custom-resource-definition.js';
import { jsonEqual } from '../../api/meta/json-equal.js';
import type { ResourceDescriptor } from '../../api/resource.js';
import type { StoreEvent, Unsubscribe } from '../../store/store.js';
import type { ApiServer } from '../api-server.js';
import { LOOPBACK_USER } from '../authn/user-info.js';
import { listPrefix } from '../registry/object-keys.js';
import { rfc3339 } from '../registry/time.js';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const CRD_PREFIX = '/apiextensions.k8s.io/customresourcedefinitions/';

export class CrdRegistrar {
  private unsubscribe?: Unsubscribe;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly server: ApiServer) {}

  async start(): Promise<void> {
    const store = this.server.store;
    const page = await store.list(CRD_PREFIX);
    for (const e of page.items) this.enqueue(e.value as CustomResourceDefinition);
    this.unsubscribe = store.watch(CRD_PREFIX, page.revision, {
      onEvent: (ev: StoreEvent) => {
        if (ev.type === 'delete') this.enqueueRemoval(ev.entry.value as CustomResourceDefinition);
        else this.enqueue(ev.entry.value as CustomResourceDefinition);
      },
    });
    await this.queue;
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Resolves once every CRD change seen so far has been applied. */
  settled(): Promise<void> {
    return this.queue;
  }

  private enqueue(crd: CustomResourceDefinition): void {
    this.queue = this.queue.then(() => this.sync(crd)).catch((err) => this.server.log(`crd ${crd.metadata.name}: ${String(err)}`));
  }

  private enqueueRemoval(crd: CustomResourceDefinition): void {
    this.queue = this.queue.then(() => this.server.registry.setDynamic(crd.metadata.name!, []));
  }

  private descriptorsFor(crd: CustomResourceDefinition): ResourceDescriptor[] {
    const versions = (crd.spec?.versions ?? []).filter((v) => v.served);
    // Preferred (first in discovery) = the storage version if served, else the first served one.
    versions.sort((a, b) => Number(!!b.storage) - Number(!!a.storage));
    return versions.map((v) => {
      const d = crdDescriptorFor(crd, v.name!);
      this.server.markCustomResource(d);
      return d;
    });
  }

  private async sync(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name!;
    if (crd.metadata.deletionTimestamp) {
      await this.cleanup(crd);
      return;
    }
    this.server.registry.setDynamic(name, this.descriptorsFor(crd));
    await this.establish(crd);
  }

  private async establish(crd: CustomResourceDefinition): Promise<void> {
    const storage = this.server.storageForResource('apiextensions.k8s.io', 'customresourcedefinitions');
    const now = rfc3339(this.server.clock());
    await storage.rawUpdate('', crd.metadata.name!, (current) => {
      const c = current as CustomResourceDefinition;
      const names = { ...(c.spec?.names ?? {}) };
      const conditions = setCondition(setCondition(c.status?.conditions ?? [], {
        type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found',
      }, now), { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
      const storedVersions = c.status?.storedVersions?.length ? c.status.storedVersions : (c.spec?.versions ?? []).filter((v) => v.storage).map((v) => v.name!);
      const finalizers = c.metadata.finalizers ?? [];
      const next = { ...c, status: { ...(c.status ?? {}), conditions, acceptedNames: names, storedVersions } } as CustomResourceDefinition;
      if (!finalizers.includes(CLEANUP_FINALIZER)) next.metadata = { ...c.metadata, finalizers: [...finalizers, CLEANUP_FINALIZER] };
      if (jsonEqual(next, current)) throw UNCHANGED;
      return next;
    }).catch((err) => {
      if (err !== UNCHANGED) throw err;
    });
  }

  private async cleanup(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata.name!;
    const descriptors = this.descriptorsFor(crd);
    const opts = { user: LOOPBACK_USER };
    for (const d of descriptors.slice(0, 1)) {
      const storage = this.server.storageFor(d);
      const page = await this.server.store.list(listPrefix(d, ''));
      for (const e of page.items) {
        const ns = e.value.metadata.namespace ?? '';
        await storage.delete(ns, e.value.metadata.name!, { propagationPolicy: 'Background' }, opts).catch(() => undefined);
      }
    }
    this.server.registry.setDynamic(name, []);
    const crds = this.server.storageForResource('apiextensions.k8s.io', 'customresourcedefinitions');
    await crds.rawUpdateOrDelete('', name, (current) => {
      const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      const next = { ...current, metadata: { ...current.metadata } };
      if (finalizers.length) next.metadata.finalizers = finalizers;
      else delete next.metadata.finalizers;
      return next;
    }, opts).catch(() => undefined);
  }
}

const UNCHANGED = new Error('unchanged');

function setCondition(conditions: CRDCondition[], c: Omit<CRDCondition, 'lastTransitionTime'>, now: string): CRDCondition[] {
  const existing = conditions.find((x) => x.type === c.type);
  const lastTransitionTime = existing && existing.status === c.status ? existing.lastTransitionTime : now;
  return [...conditions.filter((x) => x.type !== c.type), { ...c, lastTransitionTime }];
}
