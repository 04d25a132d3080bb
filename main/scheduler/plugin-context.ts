/**
 * Builds the PluginContext a profile's plugins receive: listers over shared informers, namespace labels,
 * the current snapshot, and late-bound access to the profile's own runtime (for preemption's simulations).
 */
import type { KObject } from '../api/meta/object.js';
import type { Informer } from '../client/informer.js';
import {
  NAMESPACES, PDBS, PRIORITYCLASSES, PVCS, PVS, REPLICASETS, REPLICATIONCONTROLLERS, SERVICES, STATEFULSETS, STORAGECLASSES,
  type ResourceRef,
} from '../client/kube-client.js';
import type { SharedInformerFactory } from '../client/shared-informer-factory.js';
import type { ObjectLister, PluginContext, PluginListers } from './framework/types.js';
import type { Snapshot } from './framework/snapshot.js';
import type { PodInfo } from './framework/pod-info.js';
import type { FrameworkRuntime } from './runtime/framework-runtime.js';

export const LISTER_RESOURCES: Record<keyof PluginListers, ResourceRef> = {
  persistentVolumeClaims: PVCS,
  persistentVolumes: PVS,
  storageClasses: STORAGECLASSES,
  namespaces: NAMESPACES,
  services: SERVICES,
  replicationControllers: REPLICATIONCONTROLLERS,
  replicaSets: REPLICASETS,
  statefulSets: STATEFULSETS,
  podDisruptionBudgets: PDBS,
  priorityClasses: PRIORITYCLASSES,
};

export function informerLister(inf: Informer<KObject>): ObjectLister {
  return {
    get: (namespace, name) => inf.store.getByName(namespace, name),
    list: (namespace) => (namespace ? inf.store.byIndex('namespace', namespace) : inf.store.list()),
  };
}

/** Listers over in-memory arrays (tests). */
export function staticLister(objects: KObject[] = []): ObjectLister {
  return {
    get: (ns, name) => objects.find((o) => (o.metadata.namespace ?? '') === ns && o.metadata.name === name),
    list: (ns) => (ns ? objects.filter((o) => o.metadata.namespace === ns) : objects.slice()),
  };
}

export function emptyListers(): PluginListers {
  const out = {} as PluginListers;
  for (const k of Object.keys(LISTER_RESOURCES) as (keyof PluginListers)[]) out[k] = staticLister();
  return out;
}

export function informerListers(factory: SharedInformerFactory): PluginListers {
  const out = {} as PluginListers;
  for (const [k, r] of Object.entries(LISTER_RESOURCES) as [keyof PluginListers, ResourceRef][]) out[k] = informerLister(factory.informerFor(r));
  return out;
}

export interface ContextDeps {
  schedulerName: string;
  listers: PluginListers;
  snapshot: () => Snapshot;
  nominatedPodsForNode: (nodeName: string) => PodInfo[];
  hasNominatedPods?: () => boolean;
  now?: () => number;
  log?: (m: string) => void;
}

/** A context whose runtime-backed methods work once `bind(runtime)` was called. */
export function createPluginContext(deps: ContextDeps): PluginContext & { bind(rt: FrameworkRuntime): void } {
  let rt: FrameworkRuntime | undefined;
  const runtime = () => {
    if (!rt) throw new Error('plugin context used before its framework was built');
    return rt;
  };
  return {
    bind(r) {
      rt = r;
    },
    schedulerName: deps.schedulerName,
    listers: deps.listers,
    snapshot: deps.snapshot,
    now: deps.now ?? Date.now,
    log: deps.log ?? ((m) => console.error(m)),
    namespaceLabels: (ns) => deps.listers.namespaces.get('', ns)?.metadata.labels,
    nominatedPodsForNode: deps.nominatedPodsForNode,
    hasNominatedPods: deps.hasNominatedPods,
    runFilterPluginsWithNominatedPods: (s, p, n) => runtime().runFilterWithNominatedPods(s, p, n),
    runPreFilterExtensionAddPod: (s, p, a, n) => runtime().runPreFilterAddPod(s, p, a, n),
    runPreFilterExtensionRemovePod: (s, p, r, n) => runtime().runPreFilterRemovePod(s, p, r, n),
  };
}
