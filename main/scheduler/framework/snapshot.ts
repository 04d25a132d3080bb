/**
 * The read-only view of the cluster one scheduling attempt works on (internal/cache.Snapshot): taken from
 * the cache at the start of each cycle, updated incrementally by generation. Plugins list nodes from it,
 * never from informers, so every plugin in an attempt sees the same state.
 */
import { NodeInfo } from './node-info.js';

export class Snapshot {
  /** Nodes in a stable order (zone-interleaved in upstream; here: insertion order of the cache). */
  nodeInfoList: NodeInfo[] = [];
  nodeInfoMap = new Map<string, NodeInfo>();
  /** Nodes with at least one pod that has (anti-)affinity terms. */
  havePodsWithAffinityList: NodeInfo[] = [];
  /** Nodes with at least one pod that has required anti-affinity terms. */
  havePodsWithRequiredAntiAffinityList: NodeInfo[] = [];
  /** "namespace/claim" of every PVC used by some scheduled pod (for ReadWriteOncePod checks). */
  usedPVCSet = new Set<string>();
  /** The cache generation this snapshot reflects. */
  generation = 0;

  /** Builds a snapshot directly from node infos (tests and simulations). */
  static from(nodeInfos: NodeInfo[]): Snapshot {
    const s = new Snapshot();
    for (const n of nodeInfos) s.nodeInfoMap.set(n.name, n);
    s.rebuildLists(nodeInfos);
    return s;
  }

  rebuildLists(ordered: NodeInfo[]): void {
    this.nodeInfoList = ordered.filter((n) => n.node);
    this.havePodsWithAffinityList = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.havePodsWithRequiredAntiAffinityList = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    this.usedPVCSet = new Set();
    for (const n of this.nodeInfoList) for (const k of n.pvcRefCounts.keys()) this.usedPVCSet.add(k);
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }
  numNodes(): number {
    return this.nodeInfoList.length;
  }
  list(): NodeInfo[] {
    return this.nodeInfoList;
  }
}
