/**
 * The scheduler's cache (internal/cache): NodeInfos built from node and assigned-pod informer events, plus
 * pods the scheduler has assumed onto a node before the API server confirms the binding. It is the only
 * owner of live NodeInfos; scheduling attempts read a Snapshot refreshed by updateSnapshot(), which copies
 * only NodeInfos whose generation is newer than the snapshot's, so a 5,000-node cluster costs one clone per
 * changed node per attempt, not a rebuild.
 *
 * Assumed pods: assumePod() adds the pod to its node at once (so the next attempt sees the capacity used);
 * the informer's Add for the bound pod confirms it; forgetPod() undoes it when binding fails.
 */
import type { Node } from '../../api/core/v1/node.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { NodeInfo, nextGeneration, type ImageStateSummary } from '../framework/node-info.js';
import { PodInfo, podKey } from '../framework/pod-info.js';
import { Snapshot } from '../framework/snapshot.js';

interface PodState {
  pod: Pod;
  assumed: boolean;
  bindingFinished: boolean;
}

interface ImageEntry {
  summary: ImageStateSummary;
  nodes: Set<string>;
}

const uidKey = (pod: Pod) => pod.metadata.uid || podKey(pod);

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly images = new Map<string, ImageEntry>();
  /** Bumped on structural changes (nodes added/removed): the snapshot then rebuilds its lists. */
  private structureVersion = 0;
  /**
   * Names of NodeInfos changed since `dirtySince` (a generation). A snapshot at least that recent is brought
   * up to date from this set alone — O(changed nodes) per attempt instead of a scan of every node; an older
   * snapshot (a fresh one, tests) falls back to the full scan. Every NodeInfo mutation goes through the
   * cache's methods, which call touched().
   */
  private dirty = new Set<string>();
  private dirtySince = 0;

  private touched(name: string): void {
    this.dirty.add(name);
  }

  // ---- nodes ------------------------------------------------------------------------------------------

  addOrUpdateNode(node: Node): NodeInfo {
    const name = node.metadata.name ?? '';
    let ni = this.nodes.get(name);
    if (!ni) {
      ni = new NodeInfo();
      this.nodes.set(name, ni);
      this.structureVersion++;
    } else if (!ni.node) {
      this.structureVersion++;
    } else {
      this.removeNodeImages(ni);
    }
    ni.setNode(node);
    this.addNodeImages(ni);
    this.touched(name);
    return ni;
  }

  /** Removes the node; a NodeInfo with pods stays (node undefined) until its pods are deleted, as upstream. */
  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    this.removeNodeImages(ni);
    if (ni.pods.length === 0) this.nodes.delete(name);
    else ni.removeNode();
    this.touched(name);
    this.structureVersion++;
  }

  private addNodeImages(ni: NodeInfo): void {
    const map = new Map<string, ImageStateSummary>();
    const images = (ni.node?.status?.images ?? []) as { names?: string[]; sizeBytes?: number }[];
    for (const img of images) {
      for (const n of img.names ?? []) {
        let e = this.images.get(n);
        if (!e) this.images.set(n, (e = { summary: { size: img.sizeBytes ?? 0, numNodes: 0 }, nodes: new Set() }));
        e.nodes.add(ni.name);
        e.summary.numNodes = e.nodes.size;
        map.set(n, e.summary);
      }
    }
    ni.imageStates = map;
  }

  private removeNodeImages(ni: NodeInfo): void {
    for (const n of ni.imageStates.keys()) {
      const e = this.images.get(n);
      if (!e) continue;
      e.nodes.delete(ni.name);
      e.summary.numNodes = e.nodes.size;
      if (e.nodes.size === 0) this.images.delete(n);
    }
    ni.imageStates = new Map();
  }

  nodeCount(): number {
    let n = 0;
    for (const ni of this.nodes.values()) if (ni.node) n++;
    return n;
  }

  getNodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  // ---- pods -------------------------------------------------------------------------------------------

  /** The NodeInfo a pod is about to be added to (marked changed). */
  private nodeInfoFor(nodeName: string): NodeInfo {
    let ni = this.nodes.get(nodeName);
    if (!ni) {
      ni = new NodeInfo(); // a pod on a node we have not seen yet: keep its usage until the node arrives
      this.nodes.set(nodeName, ni);
    }
    this.touched(nodeName);
    return ni;
  }

  /** Adds `pod` (spec.nodeName set by the caller's copy) to its node as assumed; `pi` is its PodInfo if built. */
  assumePod(pod: Pod, pi?: PodInfo): void {
    const key = uidKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${podKey(pod)} is already in the cache`);
    this.nodeInfoFor(pod.spec.nodeName!).addPod(pi && pi.pod === pod ? pi : new PodInfo(pod));
    this.podStates.set(key, { pod, assumed: true, bindingFinished: false });
  }

  finishBinding(pod: Pod): void {
    const st = this.podStates.get(uidKey(pod));
    if (st?.assumed) st.bindingFinished = true;
  }

  /** Undoes assumePod (binding failed). */
  forgetPod(pod: Pod): void {
    const key = uidKey(pod);
    const st = this.podStates.get(key);
    if (!st || !st.assumed) return;
    this.removeFromNode(st.pod);
    this.podStates.delete(key);
  }

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(uidKey(pod))?.assumed ?? false;
  }

  /** Informer Add of an assigned pod: confirms an assumed pod or adds a new one. */
  addPod(pod: Pod): void {
    const key = uidKey(pod);
    const st = this.podStates.get(key);
    if (st) {
      // Confirmation (or a replayed add): replace the cached object, moving nodes if the binding differs.
      this.removeFromNode(st.pod);
      this.nodeInfoFor(pod.spec.nodeName!).addPod(new PodInfo(pod));
      this.podStates.set(key, { pod, assumed: false, bindingFinished: true });
      return;
    }
    this.nodeInfoFor(pod.spec.nodeName!).addPod(new PodInfo(pod));
    this.podStates.set(key, { pod, assumed: false, bindingFinished: true });
  }

  updatePod(oldPod: Pod, newPod: Pod): void {
    const key = uidKey(oldPod);
    const st = this.podStates.get(key);
    if (!st) {
      this.addPod(newPod);
      return;
    }
    this.removeFromNode(st.pod);
    this.nodeInfoFor(newPod.spec.nodeName!).addPod(new PodInfo(newPod));
    this.podStates.set(key, { pod: newPod, assumed: false, bindingFinished: true });
  }

  removePod(pod: Pod): void {
    const key = uidKey(pod);
    const st = this.podStates.get(key);
    if (!st) return;
    this.removeFromNode(st.pod);
    this.podStates.delete(key);
  }

  private removeFromNode(pod: Pod): void {
    const name = pod.spec.nodeName ?? '';
    const ni = this.nodes.get(name);
    if (!ni) return;
    ni.removePod(pod);
    this.touched(name);
    if (!ni.node && ni.pods.length === 0) {
      this.nodes.delete(name);
      this.structureVersion++;
    }
  }

  podCount(): number {
    return this.podStates.size;
  }

  // ---- snapshot -----------------------------------------------------------------------------------------

  /**
   * Brings `snap` up to date: clones NodeInfos changed since snap.generation; rebuilds the node lists only
   * when nodes were added/removed or a changed node's affinity/PVC membership changed.
   */
  updateSnapshot(snap: Snapshot & { structureVersion?: number; positions?: Map<string, number> }): void {
    const snapGen = snap.generation;
    let maxGen = snapGen;
    let rebuild = snap.structureVersion !== this.structureVersion || !snap.positions;
    let rebuildAffinity = false;
    let rebuildPvc = false;
    const changed: NodeInfo[] = [];
    const visit = (ni: NodeInfo) => {
      if (ni.generation <= snapGen) return;
      if (ni.generation > maxGen) maxGen = ni.generation;
      if (!ni.node) {
        if (snap.nodeInfoMap.delete(ni.name)) rebuild = true;
        return;
      }
      const old = snap.nodeInfoMap.get(ni.name);
      const copy = ni.clone();
      snap.nodeInfoMap.set(ni.name, copy);
      changed.push(copy);
      if (!old) rebuild = true;
      else {
        if (old.podsWithAffinity.length > 0 || copy.podsWithAffinity.length > 0) rebuildAffinity = true;
        if (old.pvcRefCounts.size > 0 || copy.pvcRefCounts.size > 0) rebuildPvc = true;
      }
    };
    if (snapGen >= this.dirtySince && snap.positions) {
      for (const name of this.dirty) {
        const ni = this.nodes.get(name);
        if (ni) visit(ni);
        else if (snap.nodeInfoMap.has(name)) rebuild = true; // deleted: the rebuild below drops it
      }
    } else {
      for (const ni of this.nodes.values()) visit(ni);
    }
    if (rebuild) {
      for (const name of [...snap.nodeInfoMap.keys()]) if (!this.nodes.get(name)?.node) snap.nodeInfoMap.delete(name);
      const ordered: NodeInfo[] = [];
      for (const name of this.nodes.keys()) {
        const n = snap.nodeInfoMap.get(name);
        if (n) ordered.push(n);
      }
      snap.rebuildLists(ordered);
      snap.positions = new Map(snap.nodeInfoList.map((n, i) => [n.name, i]));
      snap.structureVersion = this.structureVersion;
    } else {
      for (const c of changed) {
        const i = snap.positions!.get(c.name);
        if (i !== undefined) snap.nodeInfoList[i] = c;
      }
      if (rebuildAffinity) {
        snap.havePodsWithAffinityList = snap.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
        snap.havePodsWithRequiredAntiAffinityList = snap.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
      }
      if (rebuildPvc) {
        snap.usedPVCSet = new Set();
        for (const n of snap.nodeInfoList) for (const k of n.pvcRefCounts.keys()) snap.usedPVCSet.add(k);
      }
    }
    snap.generation = maxGen;
    // Nothing changed since maxGen is missing from `snap` now; later changes get generations > maxGen.
    if (maxGen >= this.dirtySince) {
      this.dirty.clear();
      this.dirtySince = maxGen;
    }
  }

  /** A fresh snapshot of the whole cache. */
  snapshot(): Snapshot {
    const s = new Snapshot();
    this.updateSnapshot(s);
    return s;
  }

  /** Marks every NodeInfo changed (tests; after bulk edits). */
  touchAll(): void {
    for (const [name, ni] of this.nodes) {
      ni.generation = nextGeneration();
      this.touched(name);
    }
  }
}
