/**
 * Container validation (upstream validateContainerCommon and friends): names, images, ports, environment,
 * resources, mounts, probes and lifecycle hooks, with upstream's field paths and wording.
 */
import {
  FieldPath, duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError,
} from '../../meta/field-errors.js';
import { isConfigMapKey, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from '../../meta/name-validation.js';
import type { Container, EnvVar, Handler, Probe, ResourceRequirements, VolumeMount } from './pod-types.js';
import { cmpQuantity, dnsLabel, nonNegative, portNumOrName, quantityErrors, quantityString } from './validation-util.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

export function validatePorts(ports: Container['ports'], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const ip = p.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) errs.push(...msgs.map((m) => invalid(ip.child('name'), port.name, m)));
      else if (names.has(port.name)) errs.push(duplicate(ip.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(ip.child('containerPort')));
    else errs.push(...isValidPortNum(port.containerPort).map((m) => invalid(ip.child('containerPort'), port.containerPort, m)));
    if (port.hostPort) errs.push(...isValidPortNum(port.hostPort).map((m) => invalid(ip.child('hostPort'), port.hostPort, m)));
    if (!port.protocol) errs.push(required(ip.child('protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(ip.child('protocol'), port.protocol, PROTOCOLS));
  });
  return errs;
}

/** Relaxed environment variable names (RelaxedEnvironmentVariableValidation, on by default in 1.32). */
function envVarNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length === 0) errs.push('environment variable name must be non-empty');
  if ([...name].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) > 126 || ch === '='))
    errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  return errs;
}

const ENV_FIELD_PATHS = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

export function validateFieldRef(ref: { apiVersion?: string; fieldPath?: string }, p: FieldPath, allowed = ENV_FIELD_PATHS): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.fieldPath) errs.push(required(p.child('fieldPath')));
  else if (!ref.apiVersion) errs.push(required(p.child('apiVersion')));
  else {
    const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(ref.fieldPath);
    if (m) errs.push(...isQualifiedName(m[2]!.toLowerCase()).map((msg) => invalid(p.child('fieldPath'), ref.fieldPath, msg)));
    else if (!allowed.includes(ref.fieldPath)) errs.push(notSupported(p.child('fieldPath'), ref.fieldPath, allowed));
  }
  return errs;
}

function validateKeySelector(s: { name?: string; key?: string }, p: FieldPath): FieldError[] {
  const errs = isDNS1123Subdomain(s.name ?? '').map((m) => invalid(p.child('name'), s.name ?? '', m));
  if (!s.key) errs.push(required(p.child('key')));
  else errs.push(...isConfigMapKey(s.key).map((m) => invalid(p.child('key'), s.key, m)));
  return errs;
}

function validateEnvVar(ev: EnvVar, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ev.name) errs.push(required(p.child('name')));
  errs.push(...envVarNameErrors(ev.name ?? '').map((m) => invalid(p.child('name'), ev.name ?? '', m)));
  const from = ev.valueFrom;
  if (!from) return errs;
  const fp = p.child('valueFrom');
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateFieldRef(from.fieldRef, fp.child('fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    if (!from.resourceFieldRef.resource) errs.push(required(fp.child('resourceFieldRef').child('resource')));
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, fp.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, fp.child('secretKeyRef')));
  }
  if (sources === 0)
    errs.push(invalid(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(invalid(fp, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(invalid(fp, '', 'may not have more than one field specified at a time'));
  return errs;
}

export function validateEnv(env: EnvVar[] | undefined, p: FieldPath): FieldError[] {
  return (env ?? []).flatMap((ev, i) => validateEnvVar(ev, p.index(i)));
}

function validateEnvFrom(envFrom: Container['envFrom'], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((ef, i) => {
    const ip = p.index(i);
    if (ef.prefix) errs.push(...envVarNameErrors(ef.prefix).map((m) => invalid(ip.child('prefix'), ef.prefix, m)));
    let n = 0;
    for (const k of ['configMapRef', 'secretRef'] as const) {
      const r = ef[k];
      if (!r) continue;
      n++;
      errs.push(...isDNS1123Subdomain(r.name ?? '').map((m) => invalid(ip.child(k).child('name'), r.name ?? '', m)));
    }
    if (n === 0) errs.push(invalid(ip, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(ip, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

const STANDARD_CONTAINER_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
const OVERCOMMIT_FORBIDDEN = (name: string) => name.startsWith('hugepages-') || (name.includes('/') && !name.includes('kubernetes.io/'));

function validateResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(p, name, m));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.includes(name) && !name.startsWith('hugepages-'))
      return [invalid(p, name, 'must be a standard resource for containers')];
  } else if (!name.includes('kubernetes.io/') && name.startsWith('requests.')) {
    return [invalid(p, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

/** ValidateResourceRequirements for containers: names, quantities and requests <= limits. */
export function validateResources(r: ResourceRequirements | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = p.child('limits');
  const reqPath = p.child('requests');
  for (const [name, q] of Object.entries(r?.limits ?? {})) {
    errs.push(...validateResourceName(name, limPath.key(name)), ...quantityErrors(q, limPath.key(name)));
  }
  for (const [name, q] of Object.entries(r?.requests ?? {})) {
    const before = errs.length;
    errs.push(...validateResourceName(name, reqPath.key(name)), ...quantityErrors(q, reqPath.key(name)));
    if (errs.length > before) continue;
    const limit = r?.limits?.[name];
    if (limit !== undefined) {
      const c = cmpQuantity(q, limit);
      if (c === undefined) continue;
      if (c !== 0 && OVERCOMMIT_FORBIDDEN(name))
        errs.push(invalid(reqPath, quantityString(q), `must be equal to ${name} limit of ${quantityString(limit)}`));
      else if (c > 0)
        errs.push(invalid(reqPath, quantityString(q), `must be less than or equal to ${name} limit of ${quantityString(limit)}`));
    } else if (OVERCOMMIT_FORBIDDEN(name)) {
      errs.push(required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

export function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const ip = p.index(i);
    if (!m.name) errs.push(required(ip.child('name')));
    if (!volumes.has(m.name ?? '')) errs.push(notFound(ip.child('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(required(ip.child('mountPath')));
    if (paths.has(m.mountPath)) errs.push(invalid(ip.child('mountPath'), m.mountPath, 'must be unique'));
    paths.add(m.mountPath);
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, ip.child('subPath')));
    if (m.subPath && m.subPathExpr) errs.push(invalid(ip.child('subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    if (m.mountPropagation !== undefined && !['Bidirectional', 'HostToContainer', 'None'].includes(m.mountPropagation))
      errs.push(notSupported(ip.child('mountPropagation'), m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None']));
  });
  return errs;
}

/** A relative path that stays inside its parent (no absolute paths, no ".." element). */
export function validateLocalDescendingPath(path: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (path.startsWith('/')) errs.push(invalid(p, path, 'must be a relative path'));
  if (path.split(/[\\/]/).includes('..')) errs.push(invalid(p, path, "must not contain '..'"));
  return errs;
}

export function validateHandler(h: Handler, p: FieldPath, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const set = kinds.filter((k) => h[k] !== undefined && h[k] !== null);
  if (set.length === 0) return [required(p, 'must specify a handler type')];
  for (const k of set.slice(1)) errs.push(forbidden(p.child(k), 'may not specify more than 1 handler type'));
  if (h.exec && !(h.exec.command ?? []).length) errs.push(required(p.child('exec').child('command')));
  if (h.httpGet) {
    const hp = p.child('httpGet');
    errs.push(...portNumOrName(h.httpGet.port, hp.child('port')));
    const scheme = h.httpGet.scheme;
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(hp.child('scheme'), scheme, ['HTTP', 'HTTPS']));
  }
  if (h.tcpSocket) errs.push(...portNumOrName(h.tcpSocket.port, p.child('tcpSocket').child('port')));
  if (h.grpc) errs.push(...isValidPortNum(h.grpc.port).map((m) => invalid(p.child('grpc').child('port'), h.grpc!.port, m)));
  if (h.sleep && h.sleep.seconds < 0) errs.push(invalid(p.child('sleep').child('seconds'), h.sleep.seconds, 'must be non-negative'));
  return errs;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

export function validateProbe(pr: Probe | undefined, p: FieldPath, mustSucceedOnce: boolean): FieldError[] {
  if (!pr) return [];
  const errs = validateHandler(pr, p, PROBE_HANDLERS);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const)
    errs.push(...nonNegative(pr[k], p.child(k)));
  if (mustSucceedOnce && pr.successThreshold !== undefined && pr.successThreshold !== 1)
    errs.push(invalid(p.child('successThreshold'), pr.successThreshold, 'must be 1'));
  if (pr.terminationGracePeriodSeconds !== undefined && pr.terminationGracePeriodSeconds <= 0)
    errs.push(invalid(p.child('terminationGracePeriodSeconds'), pr.terminationGracePeriodSeconds, 'must be greater than 0'));
  return errs;
}

export type ContainerKind = 'container' | 'init' | 'ephemeral';

/** One container of any kind; name uniqueness is checked by the caller across all lists. */
export function validateContainer(c: Container, p: FieldPath, kind: ContainerKind, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(p.child('name')));
  else errs.push(...dnsLabel(c.name, p.child('name')));
  if (!c.image) errs.push(required(p.child('image')));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(required(p.child('terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    errs.push(notSupported(p.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validatePorts(c.ports, p.child('ports')));
  errs.push(...validateEnv(c.env, p.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, p.child('envFrom')));
  if (!c.imagePullPolicy) errs.push(required(p.child('imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(p.child('imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResources(c.resources, p.child('resources')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, p.child('volumeMounts')));

  const sidecar = kind === 'init' && c.restartPolicy === 'Always';
  if (kind === 'init') {
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always')
      errs.push(notSupported(p.child('restartPolicy'), c.restartPolicy, ['Always']));
    if (!sidecar) {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const)
        if (c[k]) errs.push(forbidden(p.child(k), 'may not be set for init containers without restartPolicy=Always'));
    }
  } else if (c.restartPolicy !== undefined) {
    errs.push(forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
  }
  if (kind === 'ephemeral') {
    for (const k of ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resizePolicy'] as const) {
      const v = c[k];
      const empty = v === undefined || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && v !== null && Object.keys(v).length === 0);
      if (!empty) errs.push(forbidden(p.child(k), 'cannot be set for an Ephemeral Container'));
    }
    return errs;
  }
  if (kind === 'container' || sidecar) {
    errs.push(...validateProbe(c.livenessProbe, p.child('livenessProbe'), true));
    errs.push(...validateProbe(c.readinessProbe, p.child('readinessProbe'), false));
    errs.push(...validateProbe(c.startupProbe, p.child('startupProbe'), true));
    if (c.lifecycle?.postStart) errs.push(...validateHandler(c.lifecycle.postStart, p.child('lifecycle').child('postStart'), HOOK_HANDLERS));
    if (c.lifecycle?.preStop) errs.push(...validateHandler(c.lifecycle.preStop, p.child('lifecycle').child('preStop'), HOOK_HANDLERS));
  }
  return errs;
}
