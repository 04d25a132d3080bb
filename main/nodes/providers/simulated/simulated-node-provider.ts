/**
 * The simulated (kwok-style) node provider: turns SimulatedNode objects into live nodes. It mirrors three
 * resources — SimulatedNodes (what should exist), Nodes (what is registered, incl. real nodes whose pod CIDRs
 * must not be reused) and Pods (one watch for all simulated nodes) — and drives one NodeAgent per simulated
 * node plus the shared PodRunner.
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
import { isNotFound, LEASES, NODES, objectKey, PODS, type KubeClient, type ResourceRef } from '../../../client/kube-client.js';
import type { NodeProvider } from '../../node-provider.js';
import { NodeIpPool, PodCidrPool } from './address-pool.js';
import { rfc3339, systemClock, type Clock } from './clock.js';
import { KubeletEvents, type KubeletEventOptions } from './kubelet-events.js';
import { NODE_LEASE_NAMESPACE, NodeAgent } from './node-agent.js';
import { SIMULATED_LABEL } from './node-object.js';
import { PodRunner } from './pod-runner.js';
import { Reflector } from './reflector.js';
import { WriteQueue } from './write-queue.js';

export const SIMULATED_NODES: ResourceRef = { group: 'pilothouse.dev', version: 'v1alpha1', plural: 'simulatednodes', namespaced: false };

export interface SimulatedNodeProviderOptions {
  client: KubeClient;
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
  private readonly nodes: Reflector<Node>;
  private readonly simNodes: Reflector<SimulatedNode>;
  private readonly pods: Reflector<Pod>;
  /** Pod keys by node name, for every pod bound to any node (terminal ones too: removal deletes them all). */
  private readonly podsByNode = new Map<string, Set<string>>();
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
    this.events = new KubeletEvents(this.client, this.clock, opts.events);
    this.runner = new PodRunner({
      client: this.client,
      clock: this.clock,
      events: this.events,
      writes: this.podWrites,
      node: (name) => this.agents.get(name),
      log: this.log,
    });
    this.nodes = new Reflector<Node>(this.client, NODES, {
      upsert: (n) => this.nodeSeen(n),
      remove: (n) => this.nodeGone(n),
    }, this.clock, { log: this.log });
    this.simNodes = new Reflector<SimulatedNode>(this.client, SIMULATED_NODES, {
      upsert: (sn) => this.simNodeSeen(sn),
      remove: (sn) => this.simNodeGone(sn),
    }, this.clock, { log: this.log });
    this.pods = new Reflector<Pod>(this.client, PODS, {
      upsert: (p, old) => this.podSeen(p, old),
      remove: (p) => this.podGone(p),
    }, this.clock, { log: this.log });
  }

  async start(): Promise<void> {
    this.started = true;
    await this.nodes.start(); // first: pod CIDRs and IPs of existing Nodes are reserved before any allocation
    await this.simNodes.start();
    await this.pods.start();
    for (const node of [...this.nodes.cache.values()]) {
      const name = node.metadata.name ?? '';
      if (node.metadata.labels?.[SIMULATED_LABEL] === 'true' && !this.agents.has(name)) this.removeNode(name);
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    this.simNodes.stop();
    this.nodes.stop();
    this.pods.stop();
    this.runner.stop();
    for (const a of this.agents.values()) a.close(false);
    for (const q of [this.registrations, this.heartbeats, this.podWrites, this.cleanups]) q.stop();
  }

  /** Resolves when no registration, heartbeat, pod status or cleanup write is queued or in flight. */
  async idle(): Promise<void> {
    for (let i = 0; i < 3; i++)
      await Promise.all([this.registrations.idle(), this.heartbeats.idle(), this.podWrites.idle(), this.cleanups.idle()]);
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
        statusSeconds: this.opts.statusSeconds ?? 300,
        observedNode: (n) => this.nodes.cache.get(n),
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
    this.removeNode(name);
  }

  /** Force-deletes the node's pods, then its Lease and Node. */
  private removeNode(name: string): void {
    const node = this.nodes.cache.get(name);
    if (node && node.metadata.labels?.[SIMULATED_LABEL] !== 'true') return; // a real node: not ours
    const ignoreMissing = (e: unknown) => {
      if (!isNotFound(e)) throw e;
    };
    for (const key of [...(this.podsByNode.get(name) ?? [])]) {
      const pod = this.pods.cache.get(key);
      if (!pod) continue;
      this.cleanups.enqueue(`pod/${key}`, () =>
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

  private podSeen(pod: Pod, old: Pod | undefined): void {
    const node = pod.spec?.nodeName;
    const before = old?.spec?.nodeName;
    const key = objectKey(pod);
    if (before && before !== node) this.podsByNode.get(before)?.delete(key);
    if (node) {
      let set = this.podsByNode.get(node);
      if (!set) this.podsByNode.set(node, (set = new Set()));
      set.add(key);
    }
    this.runner.upsert(pod);
  }

  private podGone(pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (node) {
      const set = this.podsByNode.get(node);
      set?.delete(objectKey(pod));
      if (set && set.size === 0) this.podsByNode.delete(node);
    }
    this.runner.remove(pod);
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
