/**
 * The node half of one simulated kubelet: registers the Node (or resumes an existing one after a restart),
 * renews its Lease in kube-node-lease every `leaseSeconds` (first renewal at a random offset, moved onto the
 * provider's heartbeat grid: see heartbeatGridMs), posts node status on change and at least every `statusSeconds` (the kubelet's
 * nodeStatusReportFrequency with leases: 5 minutes), and follows its SimulatedNode's spec: labels, taints,
 * capacity, images and state. NotReady keeps beating with Ready=False; Stopped stops every write.
 *
 * Pod CIDR: with `awaitPodCidrMs` 0 the agent picks one from the provider's pool at registration. Otherwise (the
 * cluster runs the node-ipam controller) it registers without one, as a kubelet does, and adopts the range the
 * controller writes into spec.podCIDR; only if none appears within awaitPodCidrMs does it fall back to its pool
 * (and writes that into the Node). Its pods start (get IPs) only once the node has a pod CIDR.
 */
import type { Node } from '../../../api/core/v1/node.js';
import type { Lease } from '../../../api/coordination.k8s.io/v1/lease.js';
import type { SimulatedNode, SimulatedNodeState } from '../../../api/pilothouse.dev/v1alpha1/simulated-node.js';
import { isAlreadyExists, isConflict, isNotFound, LEASES, NODES, type KubeClient } from '../../../client/kube-client.js';
import { stripManagedFields } from '../../../client/informer.js';
import type { NodeIpPool, PodCidrPool } from './address-pool.js';
import { PodIpPool } from './address-pool.js';
import { microTime, type Clock, type TimerHandle } from './clock.js';
import { labelPatch, mergeTaints, nodeStatus, registrationNode, SIMULATED_LABEL, type NodeCondition } from './node-object.js';
import type { RunnerNode } from './pod-runner.js';
import type { WriteQueue } from './write-queue.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
/**
 * The Lease as the agent keeps it between renewals: without managedFields, which an update may omit (the server
 * then keeps the stored ones), so each renewal sends — and the API server parses and checks — half the bytes.
 */
const leaseToKeep = (lease: Lease): Lease => stripManagedFields(lease) as Lease;

/** Most lease renewals the simulated nodes of one provider send at one grid instant (see heartbeatGridMs). */
export const RENEWALS_PER_INSTANT = 250;

/**
 * The grid simulated heartbeats fire on (aligned-ticker.ts explains why periodic work shares instants): the lease
 * period itself while `nodes` ≤ RENEWALS_PER_INSTANT — all nodes renew together, one wake-up per period — else
 * the period divided into just enough instants (2, 5, 10, ... per period) that none carries more than
 * RENEWALS_PER_INSTANT renewals. Each node still renews every `leaseMs`, from its own random offset.
 */
export function heartbeatGridMs(nodes: number, leaseMs: number): number {
  for (const slots of [1, 2, 5, 10, 20, 50, 100]) {
    if (leaseMs % slots === 0 && nodes <= slots * RENEWALS_PER_INSTANT) return leaseMs / slots;
  }
  return Math.max(1, Math.floor(leaseMs / 100));
}

/** The delay until the grid instant nearest to `now + delayMs` (never negative). */
export const onGrid = (now: number, delayMs: number, gridMs: number): number =>
  Math.max(0, Math.round((now + delayMs) / gridMs) * gridMs - now);

export interface NodeAgentDeps {
  client: KubeClient;
  clock: Clock;
  /** Bounded queue for registrations (Node creates). */
  registrations: WriteQueue;
  /** Bounded queue for lease renewals and node status writes. */
  heartbeats: WriteQueue;
  podCidrs: PodCidrPool;
  nodeIPs: NodeIpPool;
  bootID: string;
  leaseSeconds: number;
  /** The grid heartbeats fire on (heartbeatGridMs for the provider's current node count). */
  heartbeatGridMs(): number;
  statusSeconds: number;
  /** How long a new node waits for the node-ipam controller to assign its pod CIDR; 0 = self-assign at once. */
  awaitPodCidrMs: number;
  /** The Node as last seen by the provider's node watch. */
  observedNode(name: string): Node | undefined;
  /** Reports the phase of the simulated node for its SimulatedNode status. */
  report(agent: NodeAgent): void;
  log(message: string): void;
  random(): number;
}

export type AgentPhase = 'Pending' | 'Ready' | 'NotReady' | 'Stopped' | 'Failed';

export class NodeAgent implements RunnerNode {
  hostIP = '';
  podIPs = new PodIpPool('');
  podCIDR = '';
  phase: AgentPhase = 'Pending';
  message = '';
  registered = false;
  private registering = false;
  private lease?: Lease;
  private conditions: NodeCondition[] = [];
  private lastStatusAt = 0;
  private timer?: TimerHandle;
  private cidrTimer?: TimerHandle;
  private closed = false;

  constructor(public sn: SimulatedNode, private readonly deps: NodeAgentDeps) {}

  get name(): string {
    return this.sn.metadata.name ?? '';
  }
  get state(): SimulatedNodeState {
    return this.sn.spec?.state ?? 'Ready';
  }
  get running(): boolean {
    return this.state !== 'Stopped' && this.registered && !this.closed && this.podCIDR !== '';
  }
  get podStartSeconds(): number {
    return this.sn.spec?.podStartSeconds ?? 1;
  }

  /** Registers (or resumes) the Node; runs through the bounded registration queue. */
  ensureRegistered(): void {
    if (this.registered || this.registering || this.closed) return;
    this.registering = true;
    this.deps.registrations.enqueue(this.name, async () => {
      try {
        await this.register();
      } catch (err) {
        this.phase = 'Failed';
        this.message = `registration failed: ${err instanceof Error ? err.message : String(err)}`;
        this.deps.log(`simulated node ${this.name}: ${this.message}`);
        this.deps.report(this);
      } finally {
        this.registering = false;
      }
    });
  }

  private async register(): Promise<void> {
    const { client, clock } = this.deps;
    let node = this.deps.observedNode(this.name);
    if (!node) {
      this.allocateAddresses(undefined, this.deps.awaitPodCidrMs <= 0);
      try {
        node = await client.create<Node>(NODES, '', registrationNode(this.sn, this.identity(), clock.now()));
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        node = await client.get<Node>(NODES, '', this.name);
      }
    }
    if (node.metadata.labels?.[SIMULATED_LABEL] !== 'true') {
      this.phase = 'Failed';
      this.message = `a Node named ${this.name} already exists and is not a simulated node`;
      this.deps.report(this);
      return;
    }
    if (this.closed) return;
    this.allocateAddresses(node, this.deps.awaitPodCidrMs <= 0);
    if (!this.podCIDR) this.awaitPodCidr();
    this.conditions = (node.status?.conditions ?? []) as NodeCondition[];
    this.registered = true;
    // A Node we just created carries fresh status; a resumed one (restart, or re-adopted) gets a status post now.
    const fresh = node.status?.nodeInfo?.bootID === this.deps.bootID;
    this.lastStatusAt = fresh ? clock.now() : 0;
    this.afterStateChange();
  }

  /** Takes the Node's pod CIDR and InternalIP (reserving them) or allocates new ones (a CIDR only if `ownCidr`). */
  private allocateAddresses(node: Node | undefined, ownCidr: boolean): void {
    const cidr = node?.spec?.podCIDR ?? node?.spec?.podCIDRs?.[0];
    const ip = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (cidr && cidr !== this.podCIDR) {
      if (this.podCIDR) this.deps.podCidrs.release(this.podCIDR);
      this.deps.podCidrs.reserve(cidr);
      this.podCIDR = cidr;
      this.podIPs = new PodIpPool(cidr);
    } else if (!this.podCIDR && ownCidr) {
      this.podCIDR = this.deps.podCidrs.allocate() ?? '';
      if (!this.podCIDR) throw new Error('no free /24 pod CIDR left in 10.0.0.0/8');
      this.podIPs = new PodIpPool(this.podCIDR);
    }
    if (ip && ip !== this.hostIP) {
      if (this.hostIP) this.deps.nodeIPs.release(this.hostIP);
      this.deps.nodeIPs.reserve(ip);
      this.hostIP = ip;
    } else if (!this.hostIP) {
      this.hostIP = this.deps.nodeIPs.allocate() ?? '';
    }
  }

  /** Waits for the node-ipam controller; past the deadline assigns a range of our own. */
  private awaitPodCidr(): void {
    this.cidrTimer?.cancel();
    this.cidrTimer = this.deps.clock.after(this.deps.awaitPodCidrMs, () => {
      this.cidrTimer = undefined;
      void this.selfAssignPodCidr().catch((e) => this.deps.log(`simulated node ${this.name}: assigning a pod CIDR: ${String(e)}`));
    });
  }

  private async selfAssignPodCidr(): Promise<void> {
    if (this.closed || this.podCIDR || !this.registered) return;
    const observed = this.deps.observedNode(this.name);
    if (observed && this.podCidrObserved(observed)) return;
    const cidr = this.deps.podCidrs.allocate();
    if (!cidr) throw new Error('no free /24 pod CIDR left in 10.0.0.0/8');
    try {
      const node = await this.deps.client.patch<Node>(NODES, '', this.name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      this.deps.podCidrs.release(cidr);
      this.podCidrObserved(node);
    } catch (err) {
      // Most likely the controller assigned one meanwhile (podCIDR is immutable once set): adopt that.
      this.deps.podCidrs.release(cidr);
      const node = await this.deps.client.get<Node>(NODES, '', this.name);
      if (!this.podCidrObserved(node)) throw err;
    }
  }

  /** The Node (as watched) carries a pod CIDR we have not adopted yet: adopt it and let pods start. */
  podCidrObserved(node: Node): boolean {
    const cidr = node.spec?.podCIDR ?? node.spec?.podCIDRs?.[0];
    if (!cidr) return false;
    if (this.podCIDR || this.closed) return true;
    this.deps.podCidrs.reserve(cidr);
    this.podCIDR = cidr;
    this.podIPs = new PodIpPool(cidr);
    this.cidrTimer?.cancel();
    this.cidrTimer = undefined;
    this.deps.report(this);
    return true;
  }

  private identity() {
    return { internalIP: this.hostIP, podCIDR: this.podCIDR, bootID: this.deps.bootID };
  }

  /** The SimulatedNode changed: follow labels, taints, capacity, images and state. */
  update(sn: SimulatedNode): void {
    const before = this.sn;
    this.sn = sn;
    // Our own status writes echo back through the watch: only a spec change means anything to do.
    if (!this.registered || JSON.stringify(before.spec ?? {}) === JSON.stringify(sn.spec ?? {})) return;
    if (this.state !== 'Stopped') void this.applyMetadata(before).catch((e) => this.deps.log(`simulated node ${this.name}: ${String(e)}`));
    const statusChanged =
      JSON.stringify([before.spec?.capacity, before.spec?.images, before.spec?.state]) !==
      JSON.stringify([sn.spec?.capacity, sn.spec?.images, sn.spec?.state]);
    if (statusChanged) this.lastStatusAt = 0;
    this.afterStateChange();
  }

  private async applyMetadata(before: SimulatedNode): Promise<void> {
    const current = this.deps.observedNode(this.name);
    if (!current) return;
    const labels = labelPatch(current.metadata.labels, before, this.sn);
    const taintsChanged = JSON.stringify(before.spec?.taints ?? []) !== JSON.stringify(this.sn.spec?.taints ?? []);
    if (!Object.keys(labels).length && !taintsChanged) return;
    const patch: Record<string, unknown> = {};
    if (Object.keys(labels).length) patch['metadata'] = { labels };
    if (taintsChanged) patch['spec'] = { taints: mergeTaints(current.spec?.taints, before.spec?.taints, this.sn.spec?.taints) };
    await this.deps.client.patch(NODES, '', this.name, 'merge', patch);
  }

  /** Re-arms the heartbeat for the current state and reports the phase. */
  private afterStateChange(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.phase = this.state === 'Stopped' ? 'Stopped' : this.state === 'NotReady' ? 'NotReady' : 'Ready';
    this.message = '';
    this.deps.report(this); // the provider dedups SimulatedNode status writes and wakes the node's pods
    if (this.state === 'Stopped' || this.closed) return;
    // Beat now (lease + any due status), then every leaseSeconds from a random offset.
    this.beat();
    this.armTick(this.deps.random() * this.deps.leaseSeconds * 1000);
  }

  private tick(): void {
    if (this.closed || this.state === 'Stopped') return;
    this.beat();
    this.armTick(this.deps.leaseSeconds * 1000);
  }

  private armTick(delayMs: number): void {
    this.timer = this.deps.clock.after(onGrid(this.deps.clock.now(), delayMs, this.deps.heartbeatGridMs()), () => this.tick());
  }

  private beat(): void {
    this.deps.heartbeats.enqueue(`lease/${this.name}`, () => this.renewLease());
    const now = this.deps.clock.now();
    if (now - this.lastStatusAt >= this.deps.statusSeconds * 1000) {
      this.lastStatusAt = now;
      this.deps.heartbeats.enqueue(`status/${this.name}`, () => this.postStatus());
    }
  }

  private async renewLease(): Promise<void> {
    if (this.closed || this.state === 'Stopped') return;
    const { client, clock } = this.deps;
    const now = microTime(clock.now());
    try {
      if (this.lease) {
        this.lease = leaseToKeep(await client.update<Lease>(LEASES, NODE_LEASE_NAMESPACE, { ...this.lease, spec: { ...this.lease.spec, renewTime: now } }));
        return;
      }
      const existing = await client.get<Lease>(LEASES, NODE_LEASE_NAMESPACE, this.name).catch((e) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      const spec = { holderIdentity: this.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now };
      if (existing) this.lease = leaseToKeep(await client.update<Lease>(LEASES, NODE_LEASE_NAMESPACE, { ...leaseToKeep(existing), spec: { ...existing.spec, ...spec } }));
      else {
        const owner = this.deps.observedNode(this.name);
        const ownerReferences = owner?.metadata.uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.name, uid: owner.metadata.uid }] : undefined;
        this.lease = leaseToKeep(await client.create<Lease>(LEASES, NODE_LEASE_NAMESPACE, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.name, namespace: NODE_LEASE_NAMESPACE, ...(ownerReferences ? { ownerReferences } : {}) },
          spec,
        }));
      }
    } catch (err) {
      this.lease = undefined; // conflict or gone: re-read next time
      if (!isConflict(err) && !isNotFound(err) && !isAlreadyExists(err)) throw err;
    }
  }

  private async postStatus(): Promise<void> {
    if (this.closed || this.state === 'Stopped' || !this.registered) return;
    const observed = this.deps.observedNode(this.name);
    const previous = (observed?.status?.conditions as NodeCondition[] | undefined) ?? this.conditions;
    const status = nodeStatus(this.sn, this.identity(), this.deps.clock.now(), previous);
    this.conditions = status.conditions as NodeCondition[];
    try {
      await this.deps.client.patch(NODES, '', this.name, 'merge', { status }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.nodeVanished(); // deleted behind our back: register again, as a kubelet does
    }
  }

  /** The Node object disappeared while the SimulatedNode still exists. */
  nodeVanished(): void {
    if (this.closed || !this.registered) return;
    this.registered = false;
    this.lease = undefined;
    this.timer?.cancel();
    this.cidrTimer?.cancel();
    this.timer = undefined;
    this.ensureRegistered();
  }

  /** Stops all activity; with `release` also gives back the node's pod CIDR and InternalIP. */
  close(release: boolean): void {
    this.closed = true;
    this.timer?.cancel();
    this.cidrTimer?.cancel();
    this.deps.heartbeats.cancel(`lease/${this.name}`);
    this.deps.heartbeats.cancel(`status/${this.name}`);
    this.deps.registrations.cancel(this.name);
    if (release) {
      if (this.podCIDR) this.deps.podCidrs.release(this.podCIDR);
      if (this.hostIP) this.deps.nodeIPs.release(this.hostIP);
    }
  }
}
