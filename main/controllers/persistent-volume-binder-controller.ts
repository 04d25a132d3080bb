/**
 * The "persistentvolume-binder" controller (upstream pkg/controller/volume/persistentvolume PersistentVolumeController,
 * events as "persistentvolume-controller"):
 * - an unbound claim binds to its pre-bound volume or the best matching one (see volume-matching.ts); without one,
 *   a claim of a class with our provisioner gets a provisioned hostPath volume, a class with another provisioner
 *   waits for it (ExternalProvisioning), a claim without class gets FailedBinding;
 * - binding sets the volume's claimRef (+ bound-by-controller when the controller chose it) and phase Bound, then
 *   the claim's volumeName, `pv.kubernetes.io/bind-completed` (+ bound-by-controller) and status Bound with the
 *   volume's access modes and capacity;
 * - a volume whose claim is gone becomes Released and is reclaimed by its policy: Retain keeps it, Delete deletes
 *   volumes provisioned here (others fail with VolumeFailedDelete: no deleter exists for them);
 * - bound claims whose volume vanished become Lost.
 * One worker (claims and volumes share one queue), so a binding never races another; writes carry resourceVersions,
 * so a stale cache only costs a conflict and a retry. Everything is resynced every 15 s, as upstream.
 */
import type { StorageClass } from '../api/storage.k8s.io/v1/storage-class.js';
import { isAlreadyExists, isConflict, isNotFound, PVCS, PVS, STORAGECLASSES } from '../client/kube-client.js';
import { runWorkers, WorkQueue } from '../client/work-queue.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import { errorMessage } from './controller-util.js';
import {
  BOUND_BY_CONTROLLER_ANNOTATION, HOSTPATH_PROVISIONER, hostPathVolumeFor, PROVISIONED_BY_ANNOTATION, provisionedVolumeName,
} from './persistent-volume/hostpath-provisioner.js';
import { claimClass, findMatchingVolume, isVolumeBoundToClaim, volumeMismatch, type Claim, type Volume } from './persistent-volume/volume-matching.js';
import { resyncWhileAny, type Resync } from './resync-while-any.js';

export const COMPONENT = 'persistentvolume-controller';
export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER_ANNOTATION = 'volume.beta.kubernetes.io/storage-provisioner';
const RESYNC_MS = 15_000;

const claimKey = (c: Claim) => `claim:${c.metadata.namespace}/${c.metadata.name}`;
const volumeKey = (v: Volume) => `volume:${v.metadata.name}`;

export const persistentVolumeBinderController: ControllerFactory = {
  name: 'persistentvolume-binder',
  create(ctx: ControllerContext): Controller {
    const claims = ctx.informers.informerFor<Claim>(PVCS);
    const volumes = ctx.informers.informerFor<Volume>(PVS);
    const classes = ctx.informers.informerFor<StorageClass>(STORAGECLASSES);
    const recorder = ctx.recorder(COMPONENT);
    const queue = new WorkQueue<string>();
    /** Events already emitted per object+reason+message, so a resync does not repeat them. */
    const reported = new Map<string, string>();

    const enqueueClaim = (c: Claim) => queue.add(claimKey(c));
    const enqueueVolume = (v: Volume) => {
      queue.add(volumeKey(v));
      const ref = v.spec.claimRef;
      if (ref?.namespace && ref.name) queue.add(`claim:${ref.namespace}/${ref.name}`);
    };
    claims.addHandler({
      onAdd: enqueueClaim,
      onUpdate: (_o, n) => enqueueClaim(n),
      onDelete: (c) => {
        reported.delete(claimKey(c));
        for (const v of volumes.store.list()) if (v.spec.claimRef?.namespace === c.metadata.namespace && v.spec.claimRef?.name === c.metadata.name) enqueueVolume(v);
      },
    });
    volumes.addHandler({
      onAdd: enqueueVolume,
      onUpdate: (_o, n) => enqueueVolume(n),
      onDelete: (v) => {
        reported.delete(volumeKey(v));
        const ref = v.spec.claimRef;
        if (ref?.namespace && ref.name) queue.add(`claim:${ref.namespace}/${ref.name}`);
      },
    });
    // A class appearing may unblock claims waiting for it.
    classes.addHandler({ onAdd: () => claims.store.list().forEach(enqueueClaim) });

    /** Emits an event once per object while the (reason, message) stays the same. */
    function report(obj: Claim | Volume, key: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
      const sig = `${reason}\n${message}`;
      if (reported.get(key) === sig) return;
      reported.set(key, sig);
      recorder.event(obj, type, reason, message);
    }

    // ---- claims ----

    async function syncClaim(key: string): Promise<void> {
      const claim = claims.store.get(key);
      if (!claim || claim.metadata.deletionTimestamp) return;
      if (claim.metadata.annotations?.[BIND_COMPLETED_ANNOTATION]) return syncBoundClaim(claim);
      return syncUnboundClaim(claim);
    }

    async function syncUnboundClaim(claim: Claim): Promise<void> {
      const key = claimKey(claim);
      const requested = claim.spec?.volumeName;
      if (!requested) {
        const className = claimClass(claim);
        const sc = className ? classes.store.get(className) : undefined;
        const delay = sc?.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata.annotations?.['volume.kubernetes.io/selected-node'];
        const volume = findMatchingVolume(claim, volumes.store.list(), delay);
        if (volume) return bind(volume, claim, true); // the controller chose the volume: bound-by-controller
        if (delay) {
          report(claim, key, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
        } else if (className) {
          await provision(claim, className, sc);
        } else {
          report(claim, key, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
        }
        return setClaimPhase(claim, 'Pending');
      }
      // The user asked for a volume by name.
      const volume = volumes.store.get(requested);
      if (!volume) return setClaimPhase(claim, 'Pending');
      if (!volume.spec.claimRef || isVolumeBoundToClaim(volume, claim)) {
        const mismatch = volumeMismatch(volume, claim);
        if (mismatch) {
          report(claim, key, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${requested}": ${mismatch}`);
          return setClaimPhase(claim, 'Pending');
        }
        return bind(volume, claim, false);
      }
      report(claim, key, 'Warning', 'FailedBinding', `volume "${requested}" already bound to a different claim.`);
      return setClaimPhase(claim, 'Pending');
    }

    async function syncBoundClaim(claim: Claim): Promise<void> {
      const key = claimKey(claim);
      const name = claim.spec?.volumeName;
      if (!name) {
        report(claim, key, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
        return setClaimPhase(claim, 'Lost');
      }
      const volume = volumes.store.get(name);
      if (!volume) {
        report(claim, key, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
        return setClaimPhase(claim, 'Lost');
      }
      if (!volume.spec.claimRef || isVolumeBoundToClaim(volume, claim)) return bind(volume, claim, claim.metadata.annotations?.[BOUND_BY_CONTROLLER_ANNOTATION] === 'yes');
      report(claim, key, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
      return setClaimPhase(claim, 'Lost');
    }

    /** Binds both sides, each write only when something changes. */
    async function bind(volume: Volume, claim: Claim, byController: boolean): Promise<void> {
      // 1. The volume points at the claim (with its uid) and is Bound.
      let v = volume;
      const ref = v.spec.claimRef;
      const refComplete = ref && ref.uid === claim.metadata.uid && ref.name === claim.metadata.name && ref.namespace === claim.metadata.namespace;
      if (!refComplete) {
        const next = structuredClone(v);
        next.spec.claimRef = {
          kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid,
          apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion,
        };
        if (!ref) next.metadata.annotations = { ...next.metadata.annotations, [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' };
        v = await ctx.client.update<Volume>(PVS, '', next);
      }
      if (v.status?.phase !== 'Bound') v = await setVolumePhase(v, 'Bound');
      // 2. The claim names the volume, is marked bound, and reports the volume's modes and capacity.
      let c = claim;
      const annotations = c.metadata.annotations ?? {};
      const wantBoundBy = byController || annotations[BOUND_BY_CONTROLLER_ANNOTATION] === 'yes';
      if (c.spec?.volumeName !== v.metadata.name || annotations[BIND_COMPLETED_ANNOTATION] !== 'yes' || (wantBoundBy && annotations[BOUND_BY_CONTROLLER_ANNOTATION] !== 'yes')) {
        const next = structuredClone(c);
        next.spec = { ...next.spec, volumeName: v.metadata.name };
        next.metadata.annotations = { ...next.metadata.annotations, [BIND_COMPLETED_ANNOTATION]: 'yes', ...(wantBoundBy ? { [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' } : {}) };
        c = await ctx.client.update<Claim>(PVCS, c.metadata.namespace!, next);
      }
      const status = c.status ?? {};
      const capacity = v.spec.capacity;
      if (status.phase !== 'Bound' || JSON.stringify(status.accessModes) !== JSON.stringify(v.spec.accessModes) || JSON.stringify(status.capacity) !== JSON.stringify(capacity)) {
        const next = structuredClone(c);
        next.status = { ...next.status, phase: 'Bound', accessModes: v.spec.accessModes ?? [], capacity: capacity ?? {} };
        await ctx.client.update(PVCS, c.metadata.namespace!, next, { subresource: 'status' });
      }
      reported.delete(claimKey(claim));
    }

    async function setClaimPhase(claim: Claim, phase: string): Promise<void> {
      if (claim.status?.phase === phase) return;
      const next = structuredClone(claim);
      next.status = { ...next.status, phase };
      await ctx.client.update(PVCS, claim.metadata.namespace!, next, { subresource: 'status' });
    }

    /** Creates a volume for the claim when its class's provisioner is ours; reports what it waits for otherwise. */
    async function provision(claim: Claim, className: string, sc: StorageClass | undefined): Promise<void> {
      const key = claimKey(claim);
      if (!sc) {
        report(claim, key, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
        return;
      }
      const provisioner = sc.provisioner ?? '';
      if (claim.metadata.annotations?.[STORAGE_PROVISIONER_ANNOTATION] !== provisioner) {
        const next = structuredClone(claim);
        next.metadata.annotations = { ...next.metadata.annotations, [STORAGE_PROVISIONER_ANNOTATION]: provisioner, [BETA_STORAGE_PROVISIONER_ANNOTATION]: provisioner };
        claim = await ctx.client.update<Claim>(PVCS, claim.metadata.namespace!, next);
      }
      if (provisioner !== HOSTPATH_PROVISIONER) {
        report(claim, key, 'Normal', 'ExternalProvisioning',
          `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
        return;
      }
      if (volumes.store.get(provisionedVolumeName(claim))) return; // made already; its events will bind it
      let volume: Volume;
      try {
        volume = hostPathVolumeFor(claim, sc);
      } catch (e) {
        report(claim, key, 'Warning', 'ProvisioningFailed', `Failed to provision volume with StorageClass "${className}": ${errorMessage(e)}`);
        return;
      }
      try {
        await ctx.client.create(PVS, '', volume);
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        return;
      }
      recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volume.metadata.name} using ${HOSTPATH_PROVISIONER}`);
    }

    // ---- volumes ----

    async function syncVolume(name: string): Promise<void> {
      const volume = volumes.store.get(name);
      if (!volume || volume.metadata.deletionTimestamp) return;
      const ref = volume.spec.claimRef;
      if (!ref) {
        if (volume.status?.phase !== 'Available') await setVolumePhase(volume, 'Available');
        return;
      }
      if (!ref.uid) {
        // Pre-bound by the user to a claim that has not bound yet.
        if (volume.status?.phase !== 'Available') await setVolumePhase(volume, 'Available');
        return;
      }
      const claim = claims.store.get(`${ref.namespace}/${ref.name}`);
      if (claim && claim.metadata.uid === ref.uid) {
        if (!claim.spec?.volumeName) return; // the claim's sync completes the binding
        if (claim.spec.volumeName === volume.metadata.name) {
          if (volume.status?.phase !== 'Bound') await setVolumePhase(volume, 'Bound');
          return;
        }
        // The claim is bound to another volume: undo our half-done binding, or wait when the user pre-bound it.
        if (volume.metadata.annotations?.[BOUND_BY_CONTROLLER_ANNOTATION] === 'yes') await unbind(volume);
        return;
      }
      // The claim is gone (or is a new claim of the same name): confirm with the API before releasing.
      if (claim || !(await claimGone(ref.namespace!, ref.name!, ref.uid))) return;
      let released = volume;
      if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed') released = await setVolumePhase(volume, 'Released');
      await reclaim(released);
    }

    async function claimGone(namespace: string, name: string, uid: string): Promise<boolean> {
      try {
        const live = await ctx.client.get<Claim>(PVCS, namespace, name);
        return live.metadata.uid !== uid;
      } catch (e) {
        if (isNotFound(e)) return true;
        throw e;
      }
    }

    async function reclaim(volume: Volume): Promise<void> {
      const policy = volume.spec.persistentVolumeReclaimPolicy ?? 'Retain';
      if (policy === 'Retain' || volume.status?.phase === 'Failed') return;
      if (policy === 'Delete' && volume.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] === HOSTPATH_PROVISIONER) {
        try {
          await ctx.client.delete(PVS, '', volume.metadata.name!, { preconditions: { uid: volume.metadata.uid } });
        } catch (e) {
          if (!isNotFound(e) && !isConflict(e)) throw e;
        }
        return;
      }
      const message = policy === 'Delete'
        ? `error getting deleter volume plugin for volume "${volume.metadata.name}": no deletable volume plugin matched`
        : `no volume plugin matched name: ${policy}`;
      const reason = policy === 'Delete' ? 'VolumeFailedDelete' : 'VolumeFailedRecycle';
      report(volume, volumeKey(volume), 'Warning', reason, message);
      await setVolumePhase(volume, 'Failed', message);
    }

    async function unbind(volume: Volume): Promise<void> {
      const next = structuredClone(volume);
      delete next.spec.claimRef;
      if (next.metadata.annotations) delete next.metadata.annotations[BOUND_BY_CONTROLLER_ANNOTATION];
      const v = await ctx.client.update<Volume>(PVS, '', next);
      await setVolumePhase(v, 'Available');
    }

    async function setVolumePhase(volume: Volume, phase: string, message?: string): Promise<Volume> {
      if (volume.status?.phase === phase && volume.status.message === message) return volume;
      const next = structuredClone(volume);
      next.status = { ...next.status, phase, lastPhaseTransitionTime: new Date(ctx.now()).toISOString().replace(/\.\d+Z$/, 'Z') };
      if (message) next.status.message = message;
      else delete next.status.message;
      return ctx.client.update<Volume>(PVS, '', next, { subresource: 'status' });
    }

    async function sync(key: string): Promise<void> {
      try {
        if (key.startsWith('claim:')) await syncClaim(key.slice('claim:'.length));
        else if (key.startsWith('volume:')) await syncVolume(key.slice('volume:'.length));
      } catch (e) {
        if (isNotFound(e)) return; // the object went away meanwhile; its delete event resyncs what depends on it
        throw e;
      }
    }

    let stopWorkers: (() => Promise<void>) | undefined;
    let resync: Resync | undefined;
    return {
      name: 'persistentvolume-binder',
      run() {
        stopWorkers = runWorkers(queue, 1, sync, { onError: (key, err) => ctx.log(`persistentvolume-binder: ${key}: ${errorMessage(err)}`) });
        resync = resyncWhileAny([volumes, claims], RESYNC_MS, () => {
          volumes.store.list().forEach((v) => queue.add(volumeKey(v)));
          claims.store.list().forEach(enqueueClaim);
        });
      },
      async stop() {
        resync?.stop();
        queue.shutdown();
        await stopWorkers?.();
      },
    };
  },
};
