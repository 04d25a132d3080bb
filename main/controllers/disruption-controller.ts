/**
 * The "disruption" controller (upstream pkg/controller/disruption): keeps each PodDisruptionBudget's status —
 * currentHealthy (selected pods that are Ready, not being deleted and not recently evicted), desiredHealthy,
 * expectedPods, disruptionsAllowed = max(currentHealthy - desiredHealthy, 0), disruptedPods (evictions granted by
 * the API server's pods/eviction and not yet seen deleted; dropped after 2 min), observedGeneration and the
 * DisruptionAllowed condition (True/SufficientPods, False/InsufficientPods, False/SyncFailed).
 *
 * desiredHealthy and expectedPods: minAvailable as an integer counts the selected pods; minAvailable as a
 * percentage and maxUnavailable scale with the replicas of the pods' controllers (a ReplicaSet owned by a
 * Deployment counts the Deployment's replicas; also StatefulSets and ReplicationControllers), rounding up.
 * Pods without such a controller are then left out, with an UnmanagedPods warning. pods/eviction reads exactly
 * these fields (disruptionsAllowed, observedGeneration vs generation, desiredHealthy/currentHealthy in its
 * message) and records disruptedPods, so both stay consistent.
 */
import type { PodDisruptionBudgetObject } from '../api/policy/v1/pod-disruption-budget.js';
import { formatLabelSelector, matchesLabels, selectorFromObject } from '../api/meta/label-selector.js';
import type { KObject } from '../api/meta/object.js';
import { byNamespace, NAMESPACE_INDEX } from '../client/indexers.js';
import { DEPLOYMENTS, isConflict, isNotFound, PDBS, PODS, REPLICASETS, REPLICATIONCONTROLLERS, STATEFULSETS } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { workersFor } from './controller-manager-options.js';
import { errorMessage } from './controller-util.js';
import { isPercent, scaledValue } from './disruption/int-or-percent.js';

export const COMPONENT = 'controllermanager';
/** Upstream DeletionTimeout: an eviction not followed by the pod's deletion within this stops counting. */
const DELETION_TIMEOUT_MS = 2 * 60_000;

interface Pdb extends PodDisruptionBudgetObject {
  status?: {
    disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number; observedGeneration?: number;
    disruptedPods?: Record<string, string>; conditions?: Condition[];
  };
}
interface Condition { type: string; status: string; reason: string; message: string; observedGeneration?: number; lastTransitionTime?: string }
interface PodLike extends KObject {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
interface Scaled extends KObject {
  spec?: { replicas?: number };
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const isReady = (p: PodLike) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export const disruptionController: ControllerFactory = {
  name: 'disruption',
  create(ctx: ControllerContext): Controller {
    const pdbs = ctx.informers.informerFor<Pdb>(PDBS);
    const pods = ctx.informers.informerFor<PodLike>(PODS);
    const replicaSets = ctx.informers.informerFor<Scaled>(REPLICASETS);
    const deployments = ctx.informers.informerFor<Scaled>(DEPLOYMENTS);
    const statefulSets = ctx.informers.informerFor<Scaled>(STATEFULSETS);
    const rcs = ctx.informers.informerFor<Scaled>(REPLICATIONCONTROLLERS);
    pdbs.addIndexer(NAMESPACE_INDEX, byNamespace);
    pods.addIndexer(NAMESPACE_INDEX, byNamespace);
    const recorder = ctx.recorder(COMPONENT);
    const queue = new WorkQueue<string>();
    const lastEvent = new Map<string, string>();

    const enqueuePdb = (p: Pdb) => queue.add(`${p.metadata.namespace}/${p.metadata.name}`);
    const enqueueNamespace = (o: KObject) => {
      for (const p of pdbs.store.byIndex(NAMESPACE_INDEX, o.metadata.namespace ?? '')) enqueuePdb(p);
    };
    const enqueueForPod = (pod: PodLike) => {
      for (const p of pdbs.store.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) if (selects(p, pod)) enqueuePdb(p);
    };
    pdbs.addHandler({ onAdd: enqueuePdb, onUpdate: (_o, n) => enqueuePdb(n), onDelete: (p) => lastEvent.delete(`${p.metadata.namespace}/${p.metadata.name}`) });
    pods.addHandler({
      onAdd: enqueueForPod,
      onUpdate: (o, n) => {
        enqueueForPod(n);
        if (JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels)) enqueueForPod(o);
      },
      onDelete: enqueueForPod,
    });
    for (const inf of [replicaSets, deployments, statefulSets, rcs]) inf.addHandler({ onAdd: enqueueNamespace, onUpdate: (_o, n) => enqueueNamespace(n), onDelete: enqueueNamespace });

    /** policy/v1: a nil selector selects nothing, an empty one every pod of the namespace. */
    function selects(pdb: Pdb, pod: PodLike): boolean {
      if (!pdb.spec?.selector) return false;
      try {
        return matchesLabels(selectorFromObject(pdb.spec.selector), pod.metadata.labels);
      } catch {
        return false;
      }
    }

    function eventOnce(pdb: Pdb, type: 'Normal' | 'Warning', reason: string, message: string): void {
      const key = `${pdb.metadata.namespace}/${pdb.metadata.name}`;
      const sig = `${reason}\n${message}`;
      if (lastEvent.get(key) === sig) return;
      lastEvent.set(key, sig);
      recorder.event(pdb, type, reason, message);
    }

    /** Replicas of the pod's controller, by controller uid (so each controller counts once); undefined = unmanaged. */
    function controllerScale(pod: PodLike): { uid: string; replicas: number } | undefined {
      const ns = pod.metadata.namespace!;
      const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
      if (!ref) return undefined;
      const byUid = (o: Scaled | undefined) => (o && o.metadata.uid === ref.uid ? o : undefined);
      if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
        const rs = byUid(replicaSets.store.getByName(ns, ref.name));
        if (!rs) return undefined;
        const dref = rs.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Deployment');
        if (dref) {
          const d = deployments.store.getByName(ns, dref.name);
          if (d && d.metadata.uid === dref.uid) return { uid: d.metadata.uid!, replicas: d.spec?.replicas ?? 1 };
        }
        return { uid: rs.metadata.uid!, replicas: rs.spec?.replicas ?? 1 };
      }
      if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
        const s = byUid(statefulSets.store.getByName(ns, ref.name));
        return s ? { uid: s.metadata.uid!, replicas: s.spec?.replicas ?? 1 } : undefined;
      }
      if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
        const rc = byUid(rcs.store.getByName(ns, ref.name));
        return rc ? { uid: rc.metadata.uid!, replicas: rc.spec?.replicas ?? 1 } : undefined;
      }
      return undefined;
    }

    /** expectedPods and desiredHealthy (upstream getExpectedPodCount). */
    function expectedCounts(pdb: Pdb, selected: PodLike[]): { expected: number; desired: number } {
      const spec = pdb.spec ?? {};
      const scaleOfControllers = () => {
        const seen = new Map<string, number>();
        let unmanaged = 0;
        for (const p of selected) {
          const s = controllerScale(p);
          if (s) seen.set(s.uid, s.replicas);
          else unmanaged++;
        }
        if (unmanaged > 0)
          eventOnce(pdb, 'Warning', 'UnmanagedPods',
            `Pods selected by this PodDisruptionBudget (selector: ${formatLabelSelector(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`);
        return [...seen.values()].reduce((a, b) => a + b, 0);
      };
      if (spec.maxUnavailable !== undefined) {
        const expected = scaleOfControllers();
        const maxUnavailable = scaledValue(spec.maxUnavailable, expected, true);
        return { expected, desired: Math.max(0, expected - maxUnavailable) };
      }
      if (spec.minAvailable !== undefined) {
        if (!isPercent(spec.minAvailable)) return { expected: selected.length, desired: scaledValue(spec.minAvailable, 0, true) };
        const expected = scaleOfControllers();
        return { expected, desired: scaledValue(spec.minAvailable, expected, true) };
      }
      return { expected: selected.length, desired: 0 };
    }

    async function sync(key: string): Promise<void> {
      const pdb = pdbs.store.get(key);
      if (!pdb || pdb.metadata.deletionTimestamp) return;
      const now = ctx.now();
      const selected = pods.store.byIndex(NAMESPACE_INDEX, pdb.metadata.namespace!).filter((p) => selects(pdb, p));
      if (selected.length === 0) eventOnce(pdb, 'Normal', 'NoPods', 'No matching pods found');
      let counts: { expected: number; desired: number };
      try {
        counts = expectedCounts(pdb, selected);
      } catch (e) {
        eventOnce(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(e)}`);
        return writeStatus(pdb, { disruptionsAllowed: 0, currentHealthy: pdb.status?.currentHealthy ?? 0, desiredHealthy: pdb.status?.desiredHealthy ?? 0, expectedPods: pdb.status?.expectedPods ?? 0, disruptedPods: pdb.status?.disruptedPods }, { status: 'False', reason: 'SyncFailed', message: errorMessage(e) });
      }
      // Evictions granted by the API server and not yet followed by the pod's deletion, still recent.
      const disrupted: Record<string, string> = {};
      let recheckAt: number | undefined;
      const byName = new Map(selected.map((p) => [p.metadata.name!, p]));
      for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
        const pod = byName.get(name);
        if (!pod || pod.metadata.deletionTimestamp) continue;
        const expires = Date.parse(at) + DELETION_TIMEOUT_MS;
        if (expires < now) continue;
        disrupted[name] = at;
        recheckAt = Math.min(recheckAt ?? expires, expires);
      }
      const currentHealthy = selected.filter((p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name!] && isReady(p)).length;
      const allowed = counts.expected <= 0 ? 0 : Math.max(0, currentHealthy - counts.desired);
      await writeStatus(pdb, {
        disruptionsAllowed: allowed, currentHealthy, desiredHealthy: counts.desired, expectedPods: counts.expected,
        disruptedPods: Object.keys(disrupted).length ? disrupted : undefined,
      }, allowed > 0 ? { status: 'True', reason: 'SufficientPods', message: '' } : { status: 'False', reason: 'InsufficientPods', message: '' });
      if (recheckAt !== undefined) queue.addAfter(key, Math.max(0, recheckAt - now) + 1);
    }

    async function writeStatus(
      pdb: Pdb,
      fields: { disruptionsAllowed: number; currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptedPods?: Record<string, string> },
      cond: { status: string; reason: string; message: string },
    ): Promise<void> {
      const generation = pdb.metadata.generation ?? 0;
      const old = pdb.status ?? {};
      const oldCond = old.conditions?.find((c) => c.type === 'DisruptionAllowed');
      const condition: Condition = {
        type: 'DisruptionAllowed', status: cond.status, reason: cond.reason, message: cond.message, observedGeneration: generation,
        lastTransitionTime: oldCond && oldCond.status === cond.status ? oldCond.lastTransitionTime! : rfc3339(ctx.now()),
      };
      const status: NonNullable<Pdb['status']> = {
        ...(fields.disruptedPods ? { disruptedPods: fields.disruptedPods } : {}),
        disruptionsAllowed: fields.disruptionsAllowed, currentHealthy: fields.currentHealthy, desiredHealthy: fields.desiredHealthy,
        expectedPods: fields.expectedPods, observedGeneration: generation,
        conditions: [...(old.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed'), condition],
      };
      const same = old.disruptionsAllowed === status.disruptionsAllowed && old.currentHealthy === status.currentHealthy && old.desiredHealthy === status.desiredHealthy &&
        old.expectedPods === status.expectedPods && old.observedGeneration === status.observedGeneration &&
        JSON.stringify(old.disruptedPods ?? {}) === JSON.stringify(status.disruptedPods ?? {}) &&
        oldCond?.status === condition.status && oldCond.reason === condition.reason && oldCond.observedGeneration === condition.observedGeneration;
      if (same) return;
      const next = structuredClone(pdb);
      next.status = status;
      try {
        await ctx.client.update(PDBS, pdb.metadata.namespace!, next, { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) return;
        if (isConflict(e)) queue.add(`${pdb.metadata.namespace}/${pdb.metadata.name}`);
        else throw e;
      }
    }

    let stopWorkers: (() => Promise<void>) | undefined;
    return {
      name: 'disruption',
      run() {
        stopWorkers = runWorkers(queue, workersFor(ctx.options, 'disruption', 1), sync, { onError: (key, err) => ctx.log(`disruption: ${key}: ${errorMessage(err)}`) });
      },
      async stop() {
        queue.shutdown();
        await stopWorkers?.();
      },
    };
  },
};
