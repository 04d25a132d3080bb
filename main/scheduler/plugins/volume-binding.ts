/**
 * VolumeBinding (PreFilter, Filter) for PersistentVolumeClaims. PreFilter resolves the pod's claims (also
 * generic ephemeral ones, "<pod>-<volume>"): a missing, lost or terminating claim and an unbound claim
 * with Immediate binding stop the pod unresolvably, with upstream's messages. Filter, per node: a bound
 * claim's PV must exist and its nodeAffinity must admit the node (local/hostPath PVs); an unbound
 * WaitForFirstConsumer claim needs an Available PV that fits (class, size, access modes, volume mode,
 * selector, node affinity) or a class that can provision on that node (not kubernetes.io/no-provisioner,
 * allowedTopologies matching). Binding the chosen PVs (Reserve/PreBind) is not done here: the contract gives
 * plugins no API client yet.
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { KObject } from '../../api/meta/object.js';
import { matchesLabels, selectorFromObject, type LabelSelectorObject } from '../../api/meta/label-selector.js';
import { quantityOf } from '../framework/resource.js';
import {
  ActionType,
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type PluginContext,
  type PluginFactory,
  type PluginStatus,
  type PodInfo,
  type PreFilterOutcome,
  type PreFilterPlugin,
} from '../framework/types.js';
import { Names } from './names.js';
import { CompiledNodeSelector, matchTopologySelectorTerms, type NodeSelectorSpec } from './util/node-selector.js';
import { readShared, writeShared } from './util/state.js';

export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface PVC extends KObject {
  spec?: {
    volumeName?: string;
    storageClassName?: string;
    accessModes?: string[];
    volumeMode?: string;
    selector?: LabelSelectorObject;
    resources?: { requests?: Record<string, string | number> };
  };
  status?: { phase?: string };
}
export interface PV extends KObject {
  spec?: {
    storageClassName?: string;
    capacity?: Record<string, string | number>;
    accessModes?: string[];
    volumeMode?: string;
    claimRef?: { namespace?: string; name?: string; uid?: string };
    nodeAffinity?: { required?: NodeSelectorSpec };
  };
  status?: { phase?: string };
}
interface StorageClass extends KObject {
  provisioner?: string;
  volumeBindingMode?: string;
  allowedTopologies?: { matchLabelExpressions?: { key: string; values?: string[] }[] }[];
}

interface VolumeState {
  boundClaims: PVC[];
  claimsToBind: PVC[];
}

const STATE_KEY = 'VolumeBinding';

function claimClass(pvc: PVC): string {
  return pvc.spec?.storageClassName ?? pvc.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}

/** volume.util.CheckNodeAffinity: a PV without required node affinity fits every node. */
export function pvFitsNode(pv: PV, node: Node): boolean {
  const req = pv.spec?.nodeAffinity?.required;
  return !req || new CompiledNodeSelector(req).match(node);
}

function pvBoundToClaim(pv: PV, pvc: PVC): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata.name || (ref.namespace ?? '') !== (pvc.metadata.namespace ?? '')) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** FindMatchingVolume: the smallest fitting PV (a PV pre-bound to the claim wins), or undefined. */
export function findMatchingVolume(pvc: PVC, pvs: readonly PV[], node: Node, excluded: ReadonlySet<string>): PV | undefined {
  const want = quantityOf('storage', pvc.spec?.resources?.requests?.storage ?? 0);
  const cls = claimClass(pvc);
  const modes = pvc.spec?.accessModes ?? [];
  const mode = pvc.spec?.volumeMode ?? 'Filesystem';
  let selector: ReturnType<typeof selectorFromObject> | undefined;
  try {
    selector = pvc.spec?.selector ? selectorFromObject(pvc.spec.selector) : undefined;
  } catch {
    return undefined;
  }
  let best: PV | undefined;
  let bestSize = Infinity;
  for (const pv of pvs) {
    const name = pv.metadata.name ?? '';
    if (excluded.has(name) || pv.metadata.deletionTimestamp) continue;
    const size = quantityOf('storage', pv.spec?.capacity?.storage ?? 0);
    if (size < want || (pv.spec?.storageClassName ?? '') !== cls) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== mode) continue;
    if (pvBoundToClaim(pv, pvc)) return pvFitsNode(pv, node) ? pv : undefined;
    if (!pvFitsNode(pv, node)) continue;
    if (pv.status?.phase !== 'Available' || pv.spec?.claimRef) continue;
    if (selector && !matchesLabels(selector, pv.metadata.labels)) continue;
    if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) continue;
    if (size < bestSize) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Names.VolumeBinding;
  constructor(private readonly ctx: PluginContext | undefined) {}

  preFilter(state: CycleState, pi: PodInfo): PreFilterOutcome {
    const pod = pi.pod;
    const ns = pod.metadata.namespace ?? '';
    const vs: VolumeState = { boundClaims: [], claimsToBind: [] };
    let immediate = 0;
    let any = false;
    for (const v of pod.spec?.volumes ?? []) {
      const ephemeral = !v.persistentVolumeClaim && !!v.ephemeral;
      const claimName = v.persistentVolumeClaim?.claimName ?? (ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
      if (!claimName) continue;
      any = true;
      const pvc = this.ctx?.listers.persistentVolumeClaims.get(ns, claimName) as PVC | undefined;
      if (!pvc) {
        return {
          status: Status.unresolvable(
            ephemeral
              ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${claimName}"`
              : `persistentvolumeclaim "${claimName}" not found`,
          ),
        };
      }
      if (pvc.status?.phase === 'Lost') {
        return { status: Status.unresolvable(`persistentvolumeclaim "${claimName}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`) };
      }
      if (pvc.metadata.deletionTimestamp) return { status: Status.unresolvable(`persistentvolumeclaim "${claimName}" is being deleted`) };
      if (ephemeral && !pvc.metadata.ownerReferences?.some((o) => o.controller && o.uid === pod.metadata.uid)) {
        return { status: Status.unresolvable(`PVC ${ns}/${claimName} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`) };
      }
      if (pvc.spec?.volumeName) {
        vs.boundClaims.push(pvc);
      } else if (this.delayBinding(pvc)) {
        vs.claimsToBind.push(pvc);
      } else {
        immediate++;
      }
    }
    if (!any) return { status: Status.skip() };
    if (immediate > 0) return { status: Status.unresolvable(ERR_UNBOUND_IMMEDIATE) };
    writeShared(state, STATE_KEY, vs);
    return { status: null };
  }

  /** IsDelayBindingMode: only a known class with WaitForFirstConsumer delays binding. */
  private delayBinding(pvc: PVC): boolean {
    const cls = claimClass(pvc);
    if (!cls) return false;
    const sc = this.ctx?.listers.storageClasses.get('', cls) as StorageClass | undefined;
    return sc?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  filter(state: CycleState, _pi: PodInfo, nodeInfo: NodeInfo): PluginStatus {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const vs = readShared<VolumeState>(state, STATE_KEY);
    if (!vs) return null;
    let boundSatisfied = true;
    let boundFound = true;
    let unboundSatisfied = true;
    for (const pvc of vs.boundClaims) {
      const pv = this.ctx?.listers.persistentVolumes.get('', pvc.spec!.volumeName!) as PV | undefined;
      if (!pv) boundFound = false;
      else if (!pvFitsNode(pv, node)) boundSatisfied = false;
    }
    if (boundSatisfied && boundFound && vs.claimsToBind.length) {
      const pvs = (this.ctx?.listers.persistentVolumes.list() ?? []) as PV[];
      const chosen = new Set<string>();
      for (const pvc of vs.claimsToBind) {
        const pv = findMatchingVolume(pvc, pvs, node, chosen);
        if (pv) {
          chosen.add(pv.metadata.name ?? '');
          continue;
        }
        const sc = this.ctx?.listers.storageClasses.get('', claimClass(pvc)) as StorageClass | undefined;
        if (!sc) return Status.error(`storageclass.storage.k8s.io "${claimClass(pvc)}" not found`);
        if (sc.provisioner === NO_PROVISIONER || !matchTopologySelectorTerms(sc.allowedTopologies, node.metadata.labels ?? {})) {
          unboundSatisfied = false;
          break;
        }
      }
    }
    const reasons: string[] = [];
    if (!boundSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
    if (!unboundSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
    if (!boundFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
    return reasons.length ? Status.unresolvable(...reasons) : null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    const addOrUpdate = ActionType.Add | ActionType.Update;
    return [
      { event: { resource: 'StorageClass', actionType: addOrUpdate, label: 'StorageClassChange' } },
      {
        event: { resource: 'PersistentVolumeClaim', actionType: addOrUpdate, label: 'PvcChange' },
        queueingHintFn: (pod, _old, newObj) => {
          const pvc = newObj as PVC | undefined;
          if (!pvc || (pvc.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return 'QueueSkip';
          return podClaimNames(pod).includes(pvc.metadata.name ?? '') ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'PersistentVolume', actionType: addOrUpdate, label: 'PvChange' } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint, label: 'NodeChange' } },
    ];
  }
}

/** Names of the PVCs a pod uses (generic ephemeral volumes: "<pod>-<volume>"). */
export function podClaimNames(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : v.ephemeral ? [`${pod.metadata.name}-${v.name}`] : []));
}

export const newVolumeBinding: PluginFactory = (_args, ctx) => new VolumeBinding(ctx);
