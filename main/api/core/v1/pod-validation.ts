/**
 * Pod spec validation (upstream ValidatePodSpec and the pod-only checks of ValidatePodCreate), shared by
 * Pods and every pod template. Paths are relative to `path`, the location of the spec (`spec`,
 * `spec.template.spec`, `template.spec`).
 */
import { FieldPath, duplicate, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabels } from '../../meta/meta-validation.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../meta/name-validation.js';
import { validateAffinity, validateTolerations, validateTopologySpread } from './scheduling-validation.js';
import { validateContainer, validateResources, type ContainerKind } from './container-validation.js';
import type { Container, PodSpec } from './pod-types.js';
import { INT32_MAX, dnsLabel, dnsSubdomain, inclusiveRange } from './validation-util.js';
import { validateVolumes } from './volume-validation.js';

export const RESTART_POLICY_VALUES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICY_VALUES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIP = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));

function validateRestartPolicy(v: string | undefined, p: FieldPath): FieldError[] {
  if (!v) return [required(p)];
  return RESTART_POLICY_VALUES.includes(v) ? [] : [notSupported(p, v, RESTART_POLICY_VALUES)];
}

function validateDNS(spec: PodSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const policy = spec.dnsPolicy;
  if (!policy) errs.push(required(p.child('dnsPolicy')));
  else if (!DNS_POLICY_VALUES.includes(policy)) errs.push(notSupported(p.child('dnsPolicy'), policy, DNS_POLICY_VALUES));
  const cfg = spec.dnsConfig;
  if (policy === 'None' && !cfg) errs.push(required(p.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  if (cfg) {
    const cp = p.child('dnsConfig');
    const ns = cfg.nameservers ?? [];
    if (policy === 'None' && ns.length === 0)
      errs.push(required(cp.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    if (ns.length > 3) errs.push(invalid(cp.child('nameservers'), ns, 'must not have more than 3 nameservers'));
    ns.forEach((n, i) => {
      if (!isIP(n)) errs.push(invalid(cp.child('nameservers').index(i), n, 'must be valid IP address'));
    });
    const searches = cfg.searches ?? [];
    if (searches.length > 32) errs.push(invalid(cp.child('searches'), searches, 'must not have more than 32 search paths'));
    searches.forEach((s, i) => {
      const d = s.endsWith('.') ? s.slice(0, -1) : s;
      errs.push(...isDNS1123Subdomain(d).map((m) => invalid(cp.child('searches').index(i), s, m)));
    });
    (cfg.options ?? []).forEach((o, i) => {
      if (!o.name) errs.push(required(cp.child('options').index(i), 'Option.Name must not be empty'));
    });
  }
  return errs;
}

function validateContainerLists(spec: PodSpec, p: FieldPath, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const each = (list: Container[] | undefined, field: string, kind: ContainerKind) =>
    (list ?? []).forEach((c, i) => {
      const cp = p.child(field).index(i);
      errs.push(...validateContainer(c, cp, kind, volumes));
      if (c.name && names.has(c.name)) errs.push(duplicate(cp.child('name'), c.name));
      names.add(c.name);
    });
  if ((spec.containers ?? []).length === 0) errs.push(required(p.child('containers')));
  each(spec.initContainers, 'initContainers', 'init');
  each(spec.containers, 'containers', 'container');
  each(spec.ephemeralContainers, 'ephemeralContainers', 'ephemeral');
  return errs;
}

function validateSecurityContext(spec: PodSpec, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const sc = spec.securityContext;
  const idRange = (v: number | undefined, fp: FieldPath) =>
    v !== undefined && (v < 0 || v > INT32_MAX) ? [invalid(fp, v, inclusiveRange(0, INT32_MAX))] : [];
  if (sc) {
    const sp = p.child('securityContext');
    errs.push(...idRange(sc.runAsUser, sp.child('runAsUser')), ...idRange(sc.runAsGroup, sp.child('runAsGroup')), ...idRange(sc.fsGroup, sp.child('fsGroup')));
    (sc.supplementalGroups ?? []).forEach((g, i) => errs.push(...idRange(g, sp.child('supplementalGroups').index(i))));
  }
  const containers = [
    ['initContainers', spec.initContainers],
    ['containers', spec.containers],
  ] as const;
  for (const [field, list] of containers) {
    (list ?? []).forEach((c, i) => {
      const s = c.securityContext;
      if (!s) return;
      const sp = p.child(field).index(i).child('securityContext');
      errs.push(...idRange(s.runAsUser, sp.child('runAsUser')), ...idRange(s.runAsGroup, sp.child('runAsGroup')));
      if (s.privileged === true && s.allowPrivilegeEscalation === false)
        errs.push(invalid(sp, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true', 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    });
  }
  return errs;
}

/** ValidatePodSpec. */
export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath): FieldError[] {
  if (!spec) return [required(path.child('containers'))];
  const errs: FieldError[] = [];
  const vols = validateVolumes(spec.volumes, path.child('volumes'));
  errs.push(...vols.errs);
  errs.push(...validateContainerLists(spec, path, vols.names));
  errs.push(...validateRestartPolicy(spec.restartPolicy, path.child('restartPolicy')));
  errs.push(...validateDNS(spec, path));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  errs.push(...validateSecurityContext(spec, path));
  if (spec.serviceAccountName) errs.push(...dnsSubdomain(spec.serviceAccountName, path.child('serviceAccountName')));
  if (spec.nodeName) errs.push(...dnsSubdomain(spec.nodeName, path.child('nodeName')));
  if (spec.activeDeadlineSeconds !== undefined) {
    const v = spec.activeDeadlineSeconds;
    if (v < 1 || v > INT32_MAX) errs.push(invalid(path.child('activeDeadlineSeconds'), v, inclusiveRange(1, INT32_MAX)));
  }
  if (spec.hostname) errs.push(...dnsLabel(spec.hostname, path.child('hostname')));
  if (spec.subdomain) errs.push(...dnsLabel(spec.subdomain, path.child('subdomain')));
  if (spec.priorityClassName) errs.push(...dnsSubdomain(spec.priorityClassName, path.child('priorityClassName')));
  if (spec.runtimeClassName) errs.push(...dnsSubdomain(spec.runtimeClassName, path.child('runtimeClassName')));
  if (spec.preemptionPolicy !== undefined && !['Never', 'PreemptLowerPriority'].includes(spec.preemptionPolicy))
    errs.push(notSupported(path.child('preemptionPolicy'), spec.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  if (spec.os && !['linux', 'windows'].includes(spec.os.name))
    errs.push(notSupported(path.child('os').child('name'), spec.os.name, ['linux', 'windows']));
  (spec.hostAliases ?? []).forEach((h, i) => {
    const hp = path.child('hostAliases').index(i);
    if (!isIP(h.ip ?? '')) errs.push(invalid(hp.child('ip'), h.ip ?? '', 'must be valid IP address'));
    (h.hostnames ?? []).forEach((n, j) => errs.push(...dnsSubdomain(n, hp.child('hostnames').index(j))));
  });
  (spec.readinessGates ?? []).forEach((g, i) => {
    const gp = path.child('readinessGates').index(i).child('conditionType');
    errs.push(...isQualifiedName(g.conditionType ?? '').map((m) => invalid(gp, g.conditionType ?? '', m)));
  });
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    const gp = path.child('schedulingGates').index(i).child('name');
    errs.push(...isQualifiedName(g.name ?? '').map((m) => invalid(gp, g.name ?? '', m)));
    if (gates.has(g.name)) errs.push(duplicate(gp, g.name));
    gates.add(g.name);
  });
  const claims = new Set<string>();
  (spec.resourceClaims ?? []).forEach((c, i) => {
    const cp = path.child('resourceClaims').index(i);
    errs.push(...dnsLabel(c.name ?? '', cp.child('name')));
    if (claims.has(c.name)) errs.push(duplicate(cp.child('name'), c.name));
    claims.add(c.name);
    const n = (c.resourceClaimName ? 1 : 0) + (c.resourceClaimTemplateName ? 1 : 0);
    if (n !== 1) errs.push(invalid(cp, c, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
  });
  if (spec.overhead) errs.push(...validateResources({ requests: spec.overhead }, path.child('overhead')).map(fixOverheadPath(path)));
  errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  errs.push(...validateAffinity(spec.affinity, path.child('affinity')));
  errs.push(...validateTopologySpread(spec.topologySpreadConstraints, path.child('topologySpreadConstraints')));
  if (spec.hostNetwork) {
    const listed = [['initContainers', spec.initContainers ?? []], ['containers', spec.containers]] as const;
    for (const [field, list] of listed)
      list.forEach((c, i) =>
        (c.ports ?? []).forEach((port, j) => {
          if (port.hostPort !== undefined && port.hostPort !== port.containerPort)
            errs.push(invalid(path.child(field).index(i).child('ports').index(j).child('hostPort'), port.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
        }),
      );
  }
  return errs;
}

/** Overhead is validated as a request list but reported under `overhead[<name>]`. */
function fixOverheadPath(path: FieldPath) {
  const prefix = `${path.child('overhead').toString()}.requests`;
  return (e: FieldError): FieldError => ({ ...e, field: e.field.replace(prefix, path.child('overhead').toString()) });
}

/** Checks upstream only applies to Pods, never to templates (validateContainersOnlyForPod). */
export function validatePodOnly(spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const lists = [['initContainers', spec.initContainers], ['containers', spec.containers], ['ephemeralContainers', spec.ephemeralContainers]] as const;
  for (const [field, list] of lists)
    (list ?? []).forEach((c, i) => {
      if (c.image && c.image !== c.image.trim())
        errs.push(invalid(path.child(field).index(i).child('image'), c.image, 'must not have leading or trailing whitespace'));
    });
  return errs;
}
