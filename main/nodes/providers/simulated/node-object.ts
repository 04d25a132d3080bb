/**
 * The Node a simulated kubelet registers and the status it reports, shaped like a real kubelet's (v1.32):
 * well-known labels and annotations, capacity = allocatable, the four kubelet conditions with upstream reasons
 * and messages, InternalIP + Hostname addresses, daemon endpoints, nodeInfo and images. Pure functions.
 */
import { createHash } from 'node:crypto';
import type { Node, Taint } from '../../../api/core/v1/node.js';
import type { SimulatedNode, SimulatedNodeState } from '../../../api/pilothouse.dev/v1alpha1/simulated-node.js';
import { DEFAULT_SIMULATED_CAPACITY } from '../../../api/pilothouse.dev/v1alpha1/simulated-node.js';
import { rfc3339 } from './clock.js';

export const KUBELET_VERSION = 'v1.32.0';
export const CONTAINER_RUNTIME_VERSION = 'pilothouse-sim://0.1';
export const SIMULATED_LABEL = 'pilothouse.dev/simulated';
export const KUBELET_PORT = 10250;

export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** Labels every simulated node carries; spec labels are added on top but cannot replace these. */
export function baseLabels(name: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'simulated',
    [SIMULATED_LABEL]: 'true',
  };
}

export function nodeLabels(sn: SimulatedNode): Record<string, string> {
  const name = sn.metadata.name ?? '';
  return { ...(sn.spec?.labels ?? {}), ...baseLabels(name) };
}

export function capacityOf(sn: SimulatedNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...DEFAULT_SIMULATED_CAPACITY, ...(sn.spec?.capacity ?? {}) })) out[k] = String(v);
  return out;
}

/** The kubelet's four standard conditions; Ready follows the simulated state (Stopped nodes report nothing). */
export function nodeConditions(state: SimulatedNodeState, now: number, previous: NodeCondition[] = []): NodeCondition[] {
  const ready = state === 'NotReady'
    ? { status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' }
    : { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };
  const wanted: NodeCondition[] = [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    { type: 'Ready', ...ready },
  ];
  const stamp = rfc3339(now);
  return wanted.map((c) => {
    const prev = previous.find((p) => p.type === c.type);
    const transition = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp;
    return { type: c.type, status: c.status, lastHeartbeatTime: stamp, lastTransitionTime: transition, reason: c.reason, message: c.message };
  });
}

/** Stable pseudo-hardware identifiers derived from the SimulatedNode's uid (machine ID, system UUID). */
function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}
const asUuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;

export interface NodeIdentity {
  internalIP: string;
  podCIDR: string;
  /** Changes on every provider start: a restart of the control plane is a reboot of its simulated machines. */
  bootID: string;
}

export function nodeStatus(sn: SimulatedNode, id: NodeIdentity, now: number, previous: NodeCondition[] = []): NonNullable<Node['status']> {
  const name = sn.metadata.name ?? '';
  const capacity = capacityOf(sn);
  const machine = hexId(`machine:${sn.metadata.uid ?? name}`);
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: nodeConditions(sn.spec?.state ?? 'Ready', now, previous),
    addresses: [
      { type: 'InternalIP', address: id.internalIP },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: KUBELET_PORT } },
    nodeInfo: {
      machineID: machine,
      systemUUID: asUuid(hexId(`system:${sn.metadata.uid ?? name}`)),
      bootID: id.bootID,
      kernelVersion: '6.8.0-pilothouse-sim',
      osImage: 'Pilothouse Simulated Linux',
      containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: (sn.spec?.images ?? []).map((i) => ({ names: [...(i.names ?? [])], sizeBytes: i.sizeBytes ?? 0 })),
  };
}

/** The Node as registered (POST /api/v1/nodes), status included as the kubelet sends it. */
export function registrationNode(sn: SimulatedNode, id: NodeIdentity, now: number): Node {
  const name = sn.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: nodeLabels(sn),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      ...(id.podCIDR ? { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] } : {}),
      ...(sn.spec?.taints?.length ? { taints: cloneTaints(sn.spec.taints) } : {}),
    },
    status: nodeStatus(sn, id, now),
  };
}

const cloneTaints = (ts: Taint[]): Taint[] => ts.map((t) => ({ ...t }));
const taintId = (t: Taint) => `${t.key}\u0000${t.effect}`;

/**
 * The Node's taints after the SimulatedNode's taints changed from `before` to `after`: taints others added
 * (cordon, the node lifecycle controller) stay; the provider's own are replaced.
 */
export function mergeTaints(current: Taint[] | undefined, before: Taint[] | undefined, after: Taint[] | undefined): Taint[] {
  const owned = new Set((before ?? []).map(taintId));
  const wanted = after ?? [];
  const wantedIds = new Set(wanted.map(taintId));
  const kept = (current ?? []).filter((t) => !owned.has(taintId(t)) && !wantedIds.has(taintId(t)));
  return [...kept, ...cloneTaints(wanted)];
}

/** Label patch (merge-patch form: null removes) taking the Node from `before`'s spec labels to `after`'s. */
export function labelPatch(current: Record<string, string> | undefined, before: SimulatedNode | undefined, after: SimulatedNode): Record<string, string | null> {
  const want = nodeLabels(after);
  const patch: Record<string, string | null> = {};
  for (const k of Object.keys(before?.spec?.labels ?? {})) if (!(k in want) && current && k in current) patch[k] = null;
  for (const [k, v] of Object.entries(want)) if (current?.[k] !== v) patch[k] = v;
  return patch;
}
