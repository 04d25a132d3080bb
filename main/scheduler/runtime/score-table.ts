/**
 * The scores of one attempt in flat arrays (no per-node or per-plugin objects on the hot path): for the
 * plugins that ran (in profile order) and the feasible nodes (in filter order), raw and normalized scores
 * at [plugin × nodeCount + node], and each node's weighted total. The per-node object shape
 * (NodePluginScores) is built only when someone asks: decision records copy just their top nodes.
 */
import type { NodeInfo } from '../framework/node-info.js';

export interface PluginScore {
  plugin: string;
  /** What Score returned. */
  raw: number;
  /** After NormalizeScore (equal to raw without normalization). */
  normalized: number;
  /** normalized × weight: the contribution to the total. */
  weighted: number;
}

export interface NodePluginScores {
  name: string;
  scores: PluginScore[];
  totalScore: number;
}

export class ScoreTable {
  readonly plugins: string[] = [];
  readonly weights: number[] = [];
  /**
   * raw[p * nodeCount + i]; normalized likewise; sized for `maxPlugins`. Plain arrays: young-generation
   * allocations are far cheaper than typed arrays' off-heap backing stores at these sizes.
   */
  readonly raw: number[];
  readonly normalized: number[];
  readonly totals: number[];

  constructor(readonly nodes: readonly NodeInfo[], maxPlugins: number) {
    const n = nodes.length;
    this.raw = new Array<number>(maxPlugins * n).fill(0);
    this.normalized = new Array<number>(maxPlugins * n).fill(0);
    this.totals = new Array<number>(n).fill(0);
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  nodeName(i: number): string {
    return this.nodes[i]!.name;
  }

  /** One node's scores in the API shape. */
  nodeScores(i: number): NodePluginScores {
    const n = this.nodes.length;
    const scores: PluginScore[] = [];
    for (let p = 0; p < this.plugins.length; p++) {
      const v = this.normalized[p * n + i]!;
      scores.push({ plugin: this.plugins[p]!, raw: this.raw[p * n + i]!, normalized: v, weighted: v * this.weights[p]! });
    }
    return { name: this.nodeName(i), scores, totalScore: this.totals[i]! };
  }

  /** Every node's scores in the API shape (tests, debugging). */
  toList(): NodePluginScores[] {
    const out: NodePluginScores[] = [];
    for (let i = 0; i < this.nodes.length; i++) out.push(this.nodeScores(i));
    return out;
  }

  /**
   * Indexes of the `k` highest totals, highest first, ties in node order — exactly the first k of a stable
   * sort by total descending — without sorting all nodes.
   */
  topIndexes(k: number): number[] {
    const top: number[] = [];
    const t = this.totals;
    for (let i = 0; i < t.length; i++) {
      const v = t[i]!;
      if (top.length === k && (k === 0 || t[top[k - 1]!]! >= v)) continue;
      let j = top.length < k ? top.length : k - 1;
      while (j > 0 && t[top[j - 1]!]! < v) j--;
      top.splice(j, 0, i);
      if (top.length > k) top.pop();
    }
    return top;
  }

  indexOf(nodeName: string): number {
    for (let i = 0; i < this.nodes.length; i++) if (this.nodes[i]!.name === nodeName) return i;
    return -1;
  }
}
