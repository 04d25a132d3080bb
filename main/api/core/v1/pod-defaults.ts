/**
 * Upstream SetDefaults_* for pods, pod templates and their nested types (pkg/apis/core/v1/defaults.go).
 * Only defaulting lives here; the values admission adds (tolerations, priority, service account) are the
 * API server's business.
 */
import { isObject } from '../../meta/object.js';
import type { Container, Handler, PodSpec, Probe, Volume } from './pod-types.js';
import { VOLUME_SOURCE_FIELDS } from './volume-source-fields.js';

type Rec = Record<string, unknown>;
const MODE_0644 = 0o644;

/** Always for `:latest` or untagged images, IfNotPresent otherwise (a digest counts as a tag). */
export function defaultPullPolicy(image: string | undefined): string {
  const img = image ?? '';
  if (img === '') return 'IfNotPresent';
  if (img.includes('@')) return 'IfNotPresent';
  const slash = img.lastIndexOf('/');
  const colon = img.lastIndexOf(':');
  const tag = colon > slash ? img.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: Handler | undefined): void {
  if (!h?.httpGet) return;
  h.httpGet.path ??= '/';
  h.httpGet.scheme ??= 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
}

function defaultEnv(c: Container): void {
  for (const e of c.env ?? []) {
    const fieldRef = e.valueFrom?.fieldRef;
    if (fieldRef) fieldRef.apiVersion ??= 'v1';
  }
}

export function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  defaultEnv(c);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

function defaultDownwardItems(items: unknown): void {
  if (!Array.isArray(items)) return;
  for (const it of items) {
    if (isObject(it) && isObject(it['fieldRef'])) (it['fieldRef'] as Rec)['apiVersion'] ??= 'v1';
  }
}

function defaultProjection(src: Rec): void {
  if (isObject(src['downwardAPI'])) defaultDownwardItems(src['downwardAPI']['items']);
  if (isObject(src['serviceAccountToken'])) src['serviceAccountToken']['expirationSeconds'] ??= 3600;
}

/** Defaults of the storage back-ends shared with PersistentVolumes. */
export function defaultVolumeSource(v: Rec): void {
  const get = (k: string): Rec | undefined => (isObject(v[k]) ? (v[k] as Rec) : undefined);
  const hostPath = get('hostPath');
  if (hostPath) hostPath['type'] ??= '';
  const iscsi = get('iscsi');
  if (iscsi) iscsi['iscsiInterface'] ??= 'default';
  const rbd = get('rbd');
  if (rbd) {
    rbd['pool'] ??= 'rbd';
    rbd['user'] ??= 'admin';
    rbd['keyring'] ??= '/etc/ceph/keyring';
  }
  const azureDisk = get('azureDisk');
  if (azureDisk) {
    azureDisk['cachingMode'] ??= 'ReadWrite';
    azureDisk['kind'] ??= 'Shared';
    azureDisk['fsType'] ??= 'ext4';
    azureDisk['readOnly'] ??= false;
  }
  const scaleIO = get('scaleIO');
  if (scaleIO) {
    scaleIO['storageMode'] ??= 'ThinProvisioned';
    scaleIO['fsType'] ??= 'xfs';
  }
}

export function defaultVolume(v: Volume): void {
  if (!VOLUME_SOURCE_FIELDS.some((k) => v[k] !== undefined && v[k] !== null)) v.emptyDir = {};
  defaultVolumeSource(v);
  if (v.secret) v.secret.defaultMode ??= MODE_0644;
  if (v.configMap) v.configMap.defaultMode ??= MODE_0644;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= MODE_0644;
    defaultDownwardItems(v.downwardAPI.items);
  }
  const claimSpec = v.ephemeral?.volumeClaimTemplate?.['spec'];
  if (isObject(claimSpec)) claimSpec['volumeMode'] ??= 'Filesystem';
  if (v.projected) {
    v.projected.defaultMode ??= MODE_0644;
    for (const s of v.projected.sources ?? []) if (isObject(s)) defaultProjection(s);
  }
}

/**
 * SetDefaults_PodSpec plus the nested defaults; `template: true` skips what upstream only defaults on Pods
 * (SetDefaults_Pod): enableServiceLinks, requests copied from limits and host ports under hostNetwork.
 */
export function defaultPodSpec(spec: PodSpec, opts: { template?: boolean } = {}): void {
  spec.containers ??= [];
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  for (const v of spec.volumes ?? []) defaultVolume(v);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  if (opts.template) return;

  spec.enableServiceLinks ??= true;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits || !c.resources) continue;
    const requests = (c.resources.requests ??= {});
    for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  }
  if (spec.hostNetwork) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])])
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
  }
}
