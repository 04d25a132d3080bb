/**
 * Service validation, worded and ordered as upstream's ValidateService / ValidateServiceUpdate
 * (pkg/apis/core/validation). Runs after defaults and after the API server has allocated cluster IPs
 * and node ports (upstream allocates in BeginCreate, before validation).
 */
import { duplicate, FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { validateLabels } from '../../meta/meta-validation.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from '../../meta/name-validation.js';
import { goStringSlice, goValued } from './service-go-values.js';
import { CIDR_FORMAT_MSG, IP_FORMAT_MSG, nonSpecialIPProblems, parseCIDR, parseIP } from './service-ip.js';
import type { Service, ServicePort } from './service-types.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const MAX_AFFINITY_SECONDS = 86400;
const KUBELET_PORT = 10250;

const spec = FieldPath.root('spec');

export const isHeadless = (svc: Service) => svc.spec?.clusterIP === 'None';

/** LoadBalancer, NodePort, or ClusterIP with external IPs (upstream service.ExternallyAccessible). */
export function externallyAccessible(svc: Service): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec?.externalIPs?.length ?? 0) > 0);
}

/** LoadBalancer with externalTrafficPolicy Local needs a health-check node port. */
export function needsHealthCheck(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
}

/** Go's %#v of the (protocol, port) key upstream reports duplicate ports with. */
function goPortKey(p: ServicePort): string {
  return (
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port ?? 0}, ` +
    'TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'
  );
}

function validatePortNumOrName(v: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof v === 'number') return isValidPortNum(v).map((m) => invalid(path, v, m));
  if (typeof v === 'string') return isValidPortName(v).map((m) => invalid(path, v, m));
  return [];
}

function validateServicePort(p: ServicePort, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = p.name ?? '';
  if (requireName && !name) errs.push(required(path.child('name'), ''));
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => invalid(path.child('name'), name, m)));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    else names.add(name);
  }
  errs.push(...isValidPortNum(p.port ?? 0).map((m) => invalid(path.child('port'), p.port ?? 0, m)));
  if (!p.protocol) errs.push(required(path.child('protocol'), ''));
  else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(path.child('protocol'), p.protocol, PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(p.targetPort, path.child('targetPort')));
  if (p.appProtocol !== undefined)
    errs.push(...isQualifiedName(p.appProtocol).map((m) => invalid(path.child('appProtocol'), p.appProtocol, m)));
  return errs;
}

function validateClientIPAffinity(svc: Service): FieldError[] {
  const path = spec.child('sessionAffinityConfig');
  const why = 'when session affinity type is ClientIP';
  const cfg = svc.spec?.sessionAffinityConfig;
  if (!cfg) return [required(path, why)];
  if (!cfg.clientIP) return [required(path.child('clientIP'), why)];
  const t = cfg.clientIP.timeoutSeconds;
  const tp = path.child('clientIP').child('timeoutSeconds');
  if (t === undefined || t === null) return [required(tp, why)];
  if (t <= 0 || t > MAX_AFFINITY_SECONDS) return [invalid(tp, t, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`)];
  return [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP/clusterIPs agreement, families, policy. */
function validateClusterIPs(svc: Service): FieldError[] {
  const s = svc.spec ?? {};
  if (s.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ipsPath = spec.child('clusterIPs');
  const ips = s.clusterIPs ?? [];
  if (s.clusterIP) {
    if (ips.length === 0) errs.push(required(ipsPath, ''));
    else if (ips[0] !== s.clusterIP) errs.push(goValued('FieldValueInvalid', ipsPath.toString(), goStringSlice(ips), 'first value must match `clusterIP`'));
  } else if (ips.length) {
    errs.push(goValued('FieldValueInvalid', ipsPath.toString(), goStringSlice(ips), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (s.ipFamilies ?? []).forEach((f, i) => {
    const p = spec.child('ipFamilies').index(i);
    if (!IP_FAMILIES.includes(f)) errs.push(notSupported(p, f, IP_FAMILIES));
    if (seen.has(f)) errs.push(duplicate(p, f));
    seen.add(f);
  });
  if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null && !IP_FAMILY_POLICIES.includes(s.ipFamilyPolicy))
    errs.push(notSupported(spec.child('ipFamilyPolicy'), s.ipFamilyPolicy, IP_FAMILY_POLICIES));
  let badIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        badIPs = true;
        errs.push(goValued('FieldValueInvalid', ipsPath.toString(), goStringSlice(ips), "'None' must be the first and only value"));
      }
      return;
    }
    if (!parseIP(ip)) {
      badIPs = true;
      errs.push(invalid(ipsPath.index(i), ip, IP_FORMAT_MSG));
    }
  });
  if (ips.length > 2) errs.push(goValued('FieldValueInvalid', ipsPath.toString(), goStringSlice(ips), 'may only hold up to 2 values'));
  if (badIPs) return errs;
  if (ips.length > 1) {
    const fams = ips.map((ip) => parseIP(ip)?.family);
    const dual = ips.length === 2 && fams[0] !== fams[1];
    if (!dual) errs.push(goValued('FieldValueInvalid', ipsPath.toString(), goStringSlice(ips), 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadless(svc) && ips.length && (s.ipFamilies ?? []).length) {
    ips.forEach((ip, i) => {
      const fam = s.ipFamilies?.[i];
      if (fam === undefined) return;
      const isV6 = parseIP(ip)?.family === 'IPv6';
      if (fam === 'IPv4' && isV6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (fam === 'IPv6' && !isV6) errs.push(invalid(ipsPath.index(i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errs;
}

function validateLoadBalancerClass(svc: Service, old?: Service): FieldError[] {
  const errs: FieldError[] = [];
  const path = spec.child('loadBalancerClass');
  const cls = svc.spec?.loadBalancerClass;
  if (old) {
    // The class may only change together with a change of type to or from LoadBalancer.
    const oldCls = old.spec?.loadBalancerClass;
    const wasLB = old.spec?.type === 'LoadBalancer';
    const isLB = svc.spec?.type === 'LoadBalancer';
    if (wasLB && isLB && (oldCls ?? null) !== (cls ?? null)) errs.push(invalid(path, cls ?? null, 'may not change once set'));
    return errs;
  }
  if (cls !== undefined && cls !== null) {
    if (svc.spec?.type !== 'LoadBalancer') errs.push(forbidden(path, "may only be used when service type is 'LoadBalancer'"));
    errs.push(...isQualifiedName(cls).map((m) => invalid(path, cls, m)));
  }
  return errs;
}

function validateTrafficPolicies(svc: Service): FieldError[] {
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  const etp = s.externalTrafficPolicy ?? '';
  if (!externallyAccessible(svc)) {
    if (etp) errs.push(invalid(spec.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  } else if (!etp) errs.push(required(spec.child('externalTrafficPolicy'), ''));
  else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(notSupported(spec.child('externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  const hc = s.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(svc)) {
    if (hc !== 0)
      errs.push(invalid(spec.child('healthCheckNodePort'), hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc !== 0) {
    errs.push(...isValidPortNum(hc).map((m) => invalid(spec.child('healthCheckNodePort'), hc, m)));
  }
  const itp = s.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    if (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP')
      errs.push(required(spec.child('internalTrafficPolicy'), ''));
  } else if (!TRAFFIC_POLICIES.includes(itp)) errs.push(notSupported(spec.child('internalTrafficPolicy'), itp, TRAFFIC_POLICIES));
  const td = s.trafficDistribution;
  if (td !== undefined && td !== null && td !== 'PreferClose')
    errs.push(notSupported(spec.child('trafficDistribution'), td, ['PreferClose']));
  return errs;
}

export function validateService(svc: Service): FieldError[] {
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ports = s.ports ?? [];
  const portsPath = spec.child('ports');
  if (ports.length === 0 && !isHeadless(svc) && s.type !== 'ExternalName') errs.push(required(portsPath, ''));
  const headlessFirst = () => invalid(spec.child('clusterIPs').index(0), s.clusterIPs?.[0] ?? s.clusterIP, '');
  switch (s.type) {
    case 'LoadBalancer':
      if (isHeadless(svc)) errs.push({ ...headlessFirst(), detail: "may not be set to 'None' for LoadBalancer services" });
      ports.forEach((p, i) => {
        if (p.port === KUBELET_PORT)
          errs.push(invalid(portsPath.index(i), p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      break;
    case 'NodePort':
      if (isHeadless(svc)) errs.push({ ...headlessFirst(), detail: "may not be set to 'None' for NodePort services" });
      break;
    case 'ExternalName': {
      if ((s.clusterIPs ?? []).length > 0) errs.push(forbidden(spec.child('clusterIPs'), 'may not be set for ExternalName services'));
      if ((s.ipFamilies ?? []).length > 0) errs.push(forbidden(spec.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null)
        errs.push(forbidden(spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      const cname = (s.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid(spec.child('externalName'), cname, m)));
      else errs.push(required(spec.child('externalName'), ''));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, portsPath.index(i))));
  if (s.selector) errs.push(...validateLabels(s.selector, spec.child('selector')));
  if (!s.sessionAffinity) errs.push(required(spec.child('sessionAffinity'), ''));
  else if (!SESSION_AFFINITIES.includes(s.sessionAffinity))
    errs.push(notSupported(spec.child('sessionAffinity'), s.sessionAffinity, SESSION_AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') errs.push(...validateClientIPAffinity(svc));
  else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig)
    errs.push(forbidden(spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  errs.push(...validateClusterIPs(svc));
  (s.externalIPs ?? []).forEach((ip, i) => {
    const p = spec.child('externalIPs').index(i);
    if (!parseIP(ip)) errs.push(invalid(p, ip, IP_FORMAT_MSG));
    else errs.push(...nonSpecialIPProblems(ip).map((m) => invalid(p, ip, m)));
  });
  if (!s.type) errs.push(required(spec.child('type'), ''));
  else if (!SERVICE_TYPES.includes(s.type)) errs.push(notSupported(spec.child('type'), s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP')
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(duplicate(portsPath.index(i).child('nodePort'), p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) errs.push(goValued('FieldValueDuplicate', portsPath.index(i).toString(), goPortKey(p), ''));
    portKeys.add(key);
  });
  const ranges = s.loadBalancerSourceRanges ?? [];
  if (ranges.length) {
    const rp = spec.child('LoadBalancerSourceRanges');
    if (s.type !== 'LoadBalancer') errs.push(forbidden(rp, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      const v = r.trim();
      if (!parseCIDR(v)) errs.push(invalid(rp.index(i), v, CIDR_FORMAT_MSG));
    });
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null && s.type !== 'LoadBalancer')
    errs.push(forbidden(spec.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  if (s.type === 'LoadBalancer' && (s.allocateLoadBalancerNodePorts === undefined || s.allocateLoadBalancerNodePorts === null))
    errs.push(required('allocateLoadBalancerNodePorts', ''));
  errs.push(...validateLoadBalancerClass(svc));
  errs.push(...validateTrafficPolicies(svc));
  return errs;
}

/** Primary/secondary cluster IPs cannot change (except to/from ExternalName). */
function validateClusterIPsUpdate(svc: Service, old: Service): FieldError[] {
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = svc.spec?.clusterIPs ?? [];
  (old.spec?.clusterIPs ?? []).forEach((ip, i) => {
    if (i < ips.length && ip !== ips[i])
      errs.push(goValued('FieldValueInvalid', spec.child('clusterIPs').index(i).toString(), goStringSlice(ips), 'may not change once set'));
  });
  const oldFams = old.spec?.ipFamilies ?? [];
  const fams = svc.spec?.ipFamilies ?? [];
  oldFams.forEach((f, i) => {
    if (i < fams.length && f !== fams[i])
      errs.push(goValued('FieldValueInvalid', spec.child('ipFamilies').index(i).toString(), goStringSlice(fams, 'core.IPFamily'), 'may not change once set'));
  });
  return errs;
}

export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  return [...validateClusterIPsUpdate(svc, old), ...validateLoadBalancerClass(svc, old), ...validateService(svc)];
}

/** Status writes: load balancer ingress entries need a valid IP (when given) and a known ipMode. */
export function validateServiceStatus(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('status').child('loadBalancer').child('ingress');
  (svc.status?.loadBalancer?.ingress ?? []).forEach((ing, i) => {
    const p = path.index(i);
    if (ing.ip) {
      if (!parseIP(ing.ip)) errs.push(invalid(p.child('ip'), ing.ip, IP_FORMAT_MSG));
    }
    if (ing.ipMode !== undefined && ing.ipMode !== null) {
      if (!ing.ip) errs.push(forbidden(p.child('ipMode'), 'may not be specified when `ip` is not set'));
      else if (!['VIP', 'Proxy'].includes(ing.ipMode)) errs.push(notSupported(p.child('ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    } else if (ing.ip) {
      errs.push(required(p.child('ipMode'), 'must be specified when `ip` is set'));
    }
    if (ing.hostname) {
      errs.push(...isDNS1123Subdomain(ing.hostname).map((m) => invalid(p.child('hostname'), ing.hostname, m)));
      if (parseIP(ing.hostname)) errs.push(invalid(p.child('hostname'), ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}
