/**
 * The Node IPAM controller ("node-ipam", RangeAllocator; events as "cidrAllocator"): gives every Node without
 * spec.podCIDR a /nodeCIDRMaskSize (24) range of clusterCIDR (10.244.0.0/16), writing spec.podCIDR and
 * spec.podCIDRs, and frees the range when the Node is deleted. Ranges Nodes already carry (set by a kubelet, an
 * earlier run, or the simulated node provider) are marked used before any allocation, so a restart never hands
 * out a range twice; ranges outside the cluster CIDR are left alone. When the cluster CIDR is exhausted the node
 * gets a CIDRNotAvailable event and is retried with backoff. IPv4 single-stack only.
 * Upstream: pkg/controller/nodeipam (range_allocator.go).
 */
import type { Node } from '../api/core/v1/node.js';
import { isNotFound, NODES } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { CidrSet } from './node-ipam/cidr-set.js';

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;

const nodeCidrs = (n: Node): string[] => n.spec?.podCIDRs?.length ? n.spec.podCIDRs : n.spec?.podCIDR ? [n.spec.podCIDR] : [];

class NodeIpamController implements Controller {
  readonly name = 'node-ipam';
  private readonly nodes;
  private readonly cidrs: CidrSet;
  private readonly queue = new WorkQueue<string>();
  private readonly recorder;
  /** Ranges this controller assigned whose write is not in the cache yet (node name → CIDR). */
  private readonly pending = new Map<string, string>();
  private stopWorkers?: () => Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    this.cidrs = new CidrSet(ctx.options.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, ctx.options.nodeCIDRMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE);
    this.recorder = ctx.recorder('cidrAllocator');
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.nodes.addHandler({
      onAdd: (n) => this.observe(n),
      onUpdate: (_o, n) => this.observe(n),
      onDelete: (n) => {
        for (const c of nodeCidrs(n)) this.tryRelease(c);
        const p = this.pending.get(n.metadata.name ?? '');
        if (p) this.tryRelease(p), this.pending.delete(n.metadata.name ?? '');
      },
    });
  }

  /** Occupies what a node carries (handlers run before run(): all existing ranges are known first). */
  private observe(n: Node): void {
    const name = n.metadata.name ?? '';
    const have = nodeCidrs(n);
    for (const c of have) {
      try {
        this.cidrs.occupy(c);
      } catch {
        // Not from our cluster CIDR (e.g. set by hand): respected, not tracked.
      }
    }
    if (have.length) {
      const mine = this.pending.get(name);
      if (mine && !have.includes(mine)) this.tryRelease(mine); // someone else assigned first
      this.pending.delete(name);
    } else this.queue.add(name);
  }

  private tryRelease(cidr: string): void {
    try {
      this.cidrs.release(cidr);
    } catch {
      // outside our range
    }
  }

  run(): void {
    this.stopWorkers = runWorkers(this.queue, 1, (name) => this.sync(name), {
      onError: (key, err) => this.ctx.log(`node-ipam: node ${key}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.stopWorkers?.();
  }

  private async sync(name: string): Promise<void> {
    const node = this.nodes.store.get(name);
    if (!node || nodeCidrs(node).length || this.pending.has(name)) return;
    const cidr = this.cidrs.allocateNext();
    if (!cidr) {
      this.recorder.event({ kind: 'Node', name, uid: name, apiVersion: 'v1' }, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      throw new Error('failed to allocate cidr from cluster cidr: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range');
    }
    this.pending.set(name, cidr);
    try {
      await this.ctx.client.patch(NODES, '', name, 'strategic', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (e) {
      this.pending.delete(name);
      this.tryRelease(cidr);
      if (isNotFound(e)) return;
      throw e;
    }
  }
}

export const nodeIpamControllerFactory: ControllerFactory = {
  name: 'node-ipam',
  create: (ctx) => new NodeIpamController(ctx),
};
