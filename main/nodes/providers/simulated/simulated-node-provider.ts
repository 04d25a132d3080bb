/**
 * The simulated (kwok-style) node provider: turns SimulatedNode objects into live nodes. It follows three
 * resources through shared informers (main/client) — SimulatedNodes (what should exist), Nodes (what is
 * registered, incl. real nodes whose pod CIDRs must not be reused) and Pods (one informer for all simulated
 * nodes, indexed by spec.nodeName) — and drives one NodeAgent per simulated node plus the shared PodRunner.
 * Kubelet events go through one EventRecorder per node (source kubelet/<node>, as each kubelet has its own)
 * behind a process-wide token bucket.
 *
 * Informers: by default the provider has its own factory on its client, and its pod informer lists only bound
 * pods (fieldSelector spec.nodeName!=, as a kubelet watches only its own pods), so pending pods are not cached.
 * A caller may pass `informers` (e.g. the scheduler's factory) instead: the provider then shares that factory's
 * unfiltered pod, node and SimulatedNode caches — one copy of every pod per process — and never stops it.
 *
 * Removal: deleting a SimulatedNode force-deletes the pods bound to its Node (as the pod GC does for a vanished
 * node), then deletes its Lease and Node. Simulated Nodes whose SimulatedNode disappeared while the provider
 * was down are cleaned up the same way at start. Real Nodes (without the pilothouse.dev/simulated label) are
 * never touched.
 */
import { randomUUID } from 'node:crypto';
import type { Node } from '../../../api/core/v1/node.js';
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { SimulatedNode } from '../../../api/pilothouse.dev/v1alpha1/simulated-node.js';
import type { EventHandler, Informer } from '../../../client/informer.js';
import { isNotFound, LEASES, NODES, objectKey, PODS, type KubeClient, type ResourceRef } from '../../../client/kube-client.js';
import { SharedInformerFactory } from '../../../client/shared-informer-factory.js';
import { stripManagedFields } from '../../../client/informer.js';
import type { NodeProvider } from '../../node-provider.js';
import { NodeIpPool, PodCidrPool } from './address-pool.js';
import { rfc3339, systemClock, type Clock } from './clock.js';
import { KubeletEvents, type KubeletEventOptions } from './kubelet-events.js';
import { heartbeatGridMs, NODE_LEASE_NAMESPACE, NodeAgent } from './node-agent.js';
import { SIMULATED_LABEL } from './node-object.js';
import { PodRunner } from './pod-runner.js';
import { WriteQueue } from './write-queue.js';

export const SIMULATED_NODES: ResourceRef = { group: 'pilothouse.dev', version: 'v1alpha1', plural: 'simulatednodes', namespaced: false };

/** Name of the pod informer index by spec.nodeName (unbound pods are not indexed). */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';
/** Field selector of the provider's own pod informer: bound pods only. */
export const BOUND_PODS_SELECTOR = 'spec.nodeName!=';

export type { KubeletEventOptions };

export interface SimulatedNodeProviderOptions {
  client: KubeClient;
  /**
   * Informers to share (e.g. the scheduler's factory, so each pod is cached once per process). The factory's
   * own client only reads; the provider writes through `client`. Absent: a private factory on `client`.
   */
  informers?: SharedInformerFactory;
  clock?: Clock;
  log?: (message: string) => void;
  /** Lease renewal interval (kubelet default 10 s). */
  leaseSeconds?: number;
  /** Longest gap between node status posts (kubelet's nodeStatusReportFrequency, 5 minutes). */
  statusSeconds?: number;
  events?: KubeletEventOptions;
  /** Concurrent writes of the registration, heartbeat and cleanup queues (default 64). */
  concurrency?: number;
  /**
   * Concurrent pod status writes (default 8). Deliberately low: under load the queue backs up and coalesces
   * (a pod still queued as ContainerCreating is written once, as Running), and status writes do not crowd out
   * pod creates and binds.
   */
  podStatusConcurrency?: number;
  random?: () => number;
  /**
   * Wait this long for the node-ipam controller to assign a new node's pod CIDR before picking one from the
   * provider's own pool (default 0: pick at registration, for clusters without that controller).
   */
  awaitPodCidrSeconds?: number;
}

export class SimulatedNodeProvider implements NodeProvider {
  readonly name = 'simulated';
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly agents = new Map<string, NodeAgent>();
  private readonly podCidrs = new PodCidrPool();
  private readonly nodeIPs = new NodeIpPool();
  private readonly registrations: WriteQueue;
  private readonly heartbeats: WriteQueue;
  private readonly podWrites: WriteQueue;
  private readonly cleanups: WriteQueue;
  readonly events: KubeletEvents;
  readonly runner: PodRunner;
  /** Our own factory (stopped with the provider), or undefined when sharing the caller's. */
  private readonly ownInformers?: SharedInformerFactory;
  private readonly nodes: Informer<Node>;
  private readonly simNodes: Informer<SimulatedNode>;
  private readonly pods: Informer<Pod>;
  private readonly unsubscribe: (() => void)[] = [];
  /** Last SimulatedNode status written, per name, to skip identical writes. */
  private readonly reported = new Map<string, string>();
  private readonly wasRunning = new Map<string, boolean>();
  private started = false;

  constructor(private readonly opts: SimulatedNodeProviderOptions) {
    this.client = opts.client;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? (() => {});
    const concurrency = opts.concurrency ?? 64;
    const onError = (what: string) => (key: string, err: unknown) => this.log(`simulated nodes: ${what} ${key} failed: ${String(err)}`);
    this.registrations = new WriteQueue(concurrency, onError('registration of'));
    this.heartbeats = new WriteQueue(concurrency, onError('heartbeat'));
    this.podWrites = new WriteQueue(opts.podStatusConcurrency ?? 8, onError('pod status write of'));
    this.cleanups = new WriteQueue(concurrency, onError('cleanup'));
    this.events = new KubeletEvents(this.client, this.clock, { ...opts.events, log: this.log });
    this.runner = new PodRunner({
      client: this.client,
      clock: this.clock,
      events: this.events,
      writes: this.podWrites,
      node: (name) => this.agents.get(name),
      log: this.log,
    });
    const shared = opts.informers;
    const factory = shared ?? (this.ownInformers = new SharedInformerFactory(this.client, { log: this.log, transform: stripManagedFields }));
    this.nodes = factory.informerFor<Node>(NODES);
    this.simNodes = factory.informerFor<SimulatedNode>(SIMULATED_NODES);
    this.pods = factory.informerFor<Pod>(PODS, shared ? {} : { fieldSelector: BOUND_PODS_SELECTOR });
    this.pods.addIndexer(POD_NODE_NAME_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
  }

  async start(): Promise<void> {
    this.started = true;
    // In this order, each synced before the next: pod CIDRs and IPs of existing Nodes are reserved before any
    // agent allocates, and agents exist before their pods are seen. A handler added to an informer that has
    // already synced (a shared factory) is told about its cache at once.
    await this.follow(this.nodes, { onAdd: (n) => this.nodeSeen(n), onUpdate: (_, n) => this.nodeSeen(n), onDelete: (n) => this.nodeGone(n) });
    await this.follow(this.simNodes, {
      onAdd: (sn) => this.simNodeSeen(sn),
      onUpdate: (_, sn) => this.simNodeSeen(sn),
      onDelete: (sn) => this.simNodeGone(sn),
    });
    await this.follow(this.pods, { onAdd: (p) => this.runner.upsert(p), onUpdate: (_, p) => this.runner.upsert(p), onDelete: (p) => this.runner.remove(p) });
    for (const node of this.nodes.store.list()) {
      const name = node.metadata.name ?? '';
      if (node.metadata.labels?.[SIMULATED_LABEL] === 'true' && !this.agents.has(name)) this.removeNode(name);
    }
  }

  private async follow<T extends Node | SimulatedNode | Pod>(informer: Informer<T>, handler: EventHandler<T>): Promise<void> {
    this.unsubscribe.push(informer.addHandler(handler));
    await informer.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const off of this.unsubscribe.splice(0)) off();
    this.ownInformers?.stop();
    this.runner.stop();
    this.events.stop();
    for (const a of this.agents.values()) a.close(false);
    await Promise.all([this.registrations, this.heartbeats, this.podWrites, this.cleanups].map((q) => q.stop()));
  }

  /** Resolves when no registration, heartbeat, pod status, cleanup or kubelet event write is queued or in flight. */
  async idle(): Promise<void> {
    for (let i = 0; i < 3; i++)
      await Promise.all([this.registrations.idle(), this.heartbeats.idle(), this.podWrites.idle(), this.cleanups.idle(), this.events.flush()]);
  }

  agent(name: string): NodeAgent | undefined {
    return this.agents.get(name);
  }

  private simNodeSeen(sn: SimulatedNode): void {
    const name = sn.metadata.name ?? '';
    let agent = this.agents.get(name);
    if (agent && agent.sn.metadata.uid !== sn.metadata.uid) {
      this.simNodeGone(agent.sn); // deleted and recreated while we were not watching
      agent = undefined;
    }
    if (!agent) {
      agent = new NodeAgent(sn, {
        client: this.client,
        clock: this.clock,
        registrations: this.registrations,
        heartbeats: this.heartbeats,
        podCidrs: this.podCidrs,
        nodeIPs: this.nodeIPs,
        bootID: BOOT_ID,
        leaseSeconds: this.opts.leaseSeconds ?? 10,
        heartbeatGridMs: () => heartbeatGridMs(this.agents.size, (this.opts.leaseSeconds ?? 10) * 1000),
        statusSeconds: this.opts.statusSeconds ?? 300,
        awaitPodCidrMs: (this.opts.awaitPodCidrSeconds ?? 0) * 1000,
        observedNode: (n) => this.nodes.store.get(n),
        report: (a) => this.report(a),
        log: this.log,
        random: this.opts.random ?? Math.random,
      });
      this.agents.set(name, agent);
      agent.ensureRegistered();
      return;
    }
    agent.update(sn);
  }

  private simNodeGone(sn: SimulatedNode): void {
    const name = sn.metadata.name ?? '';
    const agent = this.agents.get(name);
    if (!agent || agent.sn.metadata.uid !== sn.metadata.uid) return;
    agent.close(true);
    this.agents.delete(name);
    this.reported.delete(name);
    this.wasRunning.delete(name);
    this.runner.nodeChanged(name);
    this.events.nodeGone(name);
    this.removeNode(name);
  }

  /** Force-deletes the node's pods, then its Lease and Node. */
  private removeNode(name: string): void {
    const node = this.nodes.store.get(name);
    if (node && node.metadata.labels?.[SIMULATED_LABEL] !== 'true') return; // a real node: not ours
    const ignoreMissing = (e: unknown) => {
      if (!isNotFound(e)) throw e;
    };
    for (const pod of this.pods.store.byIndex(POD_NODE_NAME_INDEX, name)) {
      this.cleanups.enqueue(`pod/${objectKey(pod)}`, () =>
        this.client.delete(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch(ignoreMissing));
    }
    this.cleanups.enqueue(`lease/${name}`, () => this.client.delete(LEASES, NODE_LEASE_NAMESPACE, name).catch(ignoreMissing));
    this.cleanups.enqueue(`node/${name}`, async () => {
      if (this.agents.has(name)) return; // recreated meanwhile
      await this.client.delete(NODES, '', name).catch(ignoreMissing);
    });
  }

  private nodeSeen(node: Node): void {
    const cidr = node.spec?.podCIDR ?? node.spec?.podCIDRs?.[0];
    if (cidr) this.podCidrs.reserve(cidr);
    if (node.metadata.labels?.[SIMULATED_LABEL] !== 'true') return;
    if (cidr) this.agents.get(node.metadata.name ?? '')?.podCidrObserved(node);
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (ip) this.nodeIPs.reserve(ip);
  }

  private nodeGone(node: Node): void {
    const name = node.metadata.name ?? '';
    const agent = this.agents.get(name);
    if (agent) {
      agent.nodeVanished();
      this.runner.nodeChanged(name);
      return;
    }
    if (node.metadata.labels?.[SIMULATED_LABEL] !== 'true') return;
    const cidr = node.spec?.podCIDR;
    if (cidr) this.podCidrs.release(cidr);
    const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (ip) this.nodeIPs.release(ip);
  }

  /** A node agent's phase or registration changed: wake or freeze its pods, and update its SimulatedNode status. */
  private report(agent: NodeAgent): void {
    if (!this.started) return;
    const name = agent.name;
    if (this.wasRunning.get(name) !== agent.running) {
      this.wasRunning.set(name, agent.running);
      this.runner.nodeChanged(name);
    }
    const generation = agent.sn.metadata.generation;
    const status = {
      phase: agent.phase,
      nodeName: agent.registered ? name : undefined,
      message: agent.message || undefined,
      observedGeneration: generation,
    };
    const fingerprint = JSON.stringify(status);
    if (this.reported.get(name) === fingerprint) return;
    this.reported.set(name, fingerprint);
    const registered = agent.registered;
    const conditions = [
      {
        type: 'Registered',
        status: registered ? 'True' : 'False',
        lastTransitionTime: rfc3339(this.clock.now()),
        reason: registered ? 'NodeRegistered' : agent.phase === 'Failed' ? 'RegistrationFailed' : 'Registering',
        message: registered ? `Node ${name} is registered` : agent.message || 'waiting for registration',
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      },
    ];
    const prev = agent.sn.status?.conditions?.find((c) => c.type === 'Registered');
    if (prev && prev.status === conditions[0]!.status && prev.lastTransitionTime) conditions[0]!.lastTransitionTime = prev.lastTransitionTime;
    this.heartbeats.enqueue(`simnode/${name}`, async () => {
      if (this.agents.get(name) !== agent) return;
      await this.client
        .patch(SIMULATED_NODES, '', name, 'merge', { status: { ...status, message: status.message ?? null, conditions } }, { subresource: 'status' })
        .catch((e) => {
          if (!isNotFound(e)) throw e;
        });
    });
  }
}

/** One boot per process: a restarted control plane reports its simulated machines as rebooted. */
const BOOT_ID = randomUUID();
