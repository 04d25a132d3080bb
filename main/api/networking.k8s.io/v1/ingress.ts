/** networking.k8s.io/v1 Ingress: HTTP(S) routing rules from hosts and paths to Service backends. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, enumStr, int32, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { hostErrors, isIP } from './validation-helpers.js';

const G = 'io.k8s.api.networking.v1';

/** core/v1 TypedLocalObjectReference, declared here with its upstream name (same shape as the core group's). */
export const TypedLocalObjectReference = def(
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'Points at an object of any kind in the same namespace.',
  {
    apiGroup: str('API group of the referenced object; empty for the core group.'),
    kind: str('Kind of the referenced object.', { default: '' }),
    name: str('Name of the referenced object.', { default: '' }),
  },
  { required: ['kind', 'name'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const ServiceBackendPort = def(`${G}.ServiceBackendPort`, 'The port of a Service, by name or number.', {
  name: str('Port name on the Service; exclusive with number.'),
  number: int32('Port number on the Service; exclusive with name.'),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });

export const IngressServiceBackend = def(`${G}.IngressServiceBackend`, 'A Service that receives the traffic.', {
  name: str('Name of the Service, in the Ingress namespace.', { default: '' }),
  port: ref(ServiceBackendPort, 'Port of the Service.', { default: {} }),
}, { required: ['name'] });

export const IngressBackend = def(`${G}.IngressBackend`, 'Where matching traffic goes: a Service or another resource.', {
  service: ref(IngressServiceBackend, 'Service backend; exclusive with resource.'),
  resource: ref(TypedLocalObjectReference, 'Another object in the namespace acting as backend; exclusive with service.'),
});

export const HTTPIngressPath = def(`${G}.HTTPIngressPath`, 'One path and the backend that serves it.', {
  path: str('Path matched against the request path; must start with "/" for Exact and Prefix.'),
  pathType: enumStr('How the path is matched.', {
    Exact: 'matches the URL path exactly and case-sensitively.',
    ImplementationSpecific: 'leaves matching to the IngressClass.',
    Prefix: 'matches by path element prefix, split on "/".',
  }),
  backend: ref(IngressBackend, 'Where matching requests go.', { default: {} }),
}, { required: ['pathType', 'backend'] });

export const HTTPIngressRuleValue = def(`${G}.HTTPIngressRuleValue`, 'Path-based HTTP routing.', {
  paths: arr(ref(HTTPIngressPath, undefined, { default: {} }), 'Paths and their backends.', { listType: 'atomic' }),
}, { required: ['paths'] });

export const IngressRule = def(`${G}.IngressRule`, 'Routing for one host (or all hosts).', {
  host: str('Fully qualified host name, optionally with a leading "*." wildcard; empty matches every host.'),
  http: ref(HTTPIngressRuleValue, 'HTTP routing for this host.'),
});

export const IngressTLS = def(`${G}.IngressTLS`, 'TLS settings for a set of hosts.', {
  hosts: arr(str('', { default: '' }), 'Hosts covered by the certificate.', { listType: 'atomic' }),
  secretName: str('Secret holding the certificate and key.'),
});

export const IngressPortStatus = def(`${G}.IngressPortStatus`, 'Status of one load-balancer port.', {
  port: int32('Port number.', { default: 0 }),
  protocol: enumStr('Protocol of the port.', { SCTP: 'is SCTP.', TCP: 'is TCP.', UDP: 'is UDP.' }, { default: '' }),
  error: str('Problem with the port, in CamelCase, if any.'),
}, { required: ['port', 'protocol'] });

export const IngressLoadBalancerIngress = def(`${G}.IngressLoadBalancerIngress`, 'One load-balancer entry point.', {
  ip: str('IP address of the entry point.'),
  hostname: str('DNS name of the entry point.'),
  ports: arr(ref(IngressPortStatus, undefined, { default: {} }), 'Port statuses.', { listType: 'atomic' }),
});

export const IngressLoadBalancerStatus = def(`${G}.IngressLoadBalancerStatus`, 'Load-balancer status of an Ingress.', {
  ingress: arr(ref(IngressLoadBalancerIngress, undefined, { default: {} }), 'Entry points of the load balancer.', { listType: 'atomic' }),
});

export const IngressSpec = def(`${G}.IngressSpec`, 'Desired routing of an Ingress.', {
  ingressClassName: str('Name of the IngressClass that implements this Ingress.'),
  defaultBackend: ref(IngressBackend, 'Backend for requests no rule matches.'),
  tls: arr(ref(IngressTLS, undefined, { default: {} }), 'TLS configuration.', { listType: 'atomic' }),
  rules: arr(ref(IngressRule, undefined, { default: {} }), 'Host rules; evaluated per host.', { listType: 'atomic' }),
});

export const IngressStatus = def(`${G}.IngressStatus`, 'Observed state of an Ingress.', {
  loadBalancer: ref(IngressLoadBalancerStatus, 'Load balancer entry points.', { default: {} }),
});

export const IngressSchema = def(`${G}.Ingress`, 'Routes external HTTP(S) traffic to Services by host and path.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(IngressSpec, 'Desired routing.', { default: {} }),
  status: ref(IngressStatus, 'Observed state.', { default: {} }),
}, { gvk: [{ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' }] });

// ---- TypeScript view ----

interface Backend {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}
interface Rule {
  host?: string;
  http?: { paths?: { path?: string; pathType?: string; backend?: Backend }[] };
}
export interface Ingress extends KObject {
  spec?: { ingressClassName?: string; defaultBackend?: Backend; tls?: { hosts?: string[]; secretName?: string }[]; rules?: Rule[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

// ---- validation (networking validation ValidateIngress*) ----

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function validateBackend(b: Backend, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (b.resource && b.service) return [invalid(p, '', 'cannot set both resource and service backends')];
  if (b.resource) {
    const r = b.resource;
    if (!r.kind) errs.push(required(p.child('resource').child('kind'), ''));
    if (!r.name) errs.push(required(p.child('resource').child('name'), ''));
    return errs;
  }
  if (b.service) {
    const s = b.service;
    const sp = p.child('service');
    if (!s.name) errs.push(required(sp.child('name'), ''));
    else for (const m of isDNS1035Label(s.name)) errs.push(invalid(sp.child('name'), s.name, m));
    const name = s.port?.name ?? '';
    const num = s.port?.number ?? 0;
    if (name && num) errs.push(invalid(p, '', 'cannot set both port name & port number'));
    else if (name) for (const m of isValidPortName(name)) errs.push(invalid(sp.child('port').child('name'), name, m));
    else if (num) for (const m of isValidPortNum(num)) errs.push(invalid(sp.child('port').child('number'), num, m));
    else errs.push(required(sp.child('port'), 'port name or number is required'));
    return errs;
  }
  return [invalid(p, '', 'resource or service backend is required')];
}

function validatePath(path: { path?: string; pathType?: string; backend?: Backend }, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const value = path.path ?? '';
  if (!path.pathType) errs.push(required(p.child('pathType'), 'pathType must be specified'));
  else if (!PATH_TYPES.includes(path.pathType)) errs.push(notSupported(p.child('pathType'), path.pathType, PATH_TYPES));
  if (path.pathType === 'Exact' || path.pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(invalid(p.child('path'), value, 'must be an absolute path'));
    for (const seq of INVALID_PATH_SEQUENCES)
      if (value.includes(seq)) errs.push(invalid(p.child('path'), value, `must not contain '${seq}'`));
    for (const suf of INVALID_PATH_SUFFIXES)
      if (value.endsWith(suf)) errs.push(invalid(p.child('path'), value, `cannot end with '${suf}'`));
  } else if (path.pathType === 'ImplementationSpecific' && value.length > 0 && !value.startsWith('/')) {
    errs.push(invalid(p.child('path'), value, 'must be an absolute path'));
  }
  errs.push(...validateBackend(path.backend ?? {}, p.child('backend')));
  return errs;
}

function validateHost(host: string, p: FieldPath): FieldError[] {
  if (isIP(host)) return [invalid(p, host, 'must be a DNS name, not an IP address')];
  return hostErrors(host).map((m) => invalid(p, host, m));
}

export function validateIngress(ing: Ingress): FieldError[] {
  const errs: FieldError[] = [];
  const spec = ing.spec ?? {};
  const sp = FieldPath.root('spec');
  if (!spec.defaultBackend && !(spec.rules && spec.rules.length))
    errs.push(invalid(sp, spec, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, sp.child('defaultBackend')));
  (spec.rules ?? []).forEach((rule, i) => {
    const rp = sp.child('rules').index(i);
    if (rule.host) errs.push(...validateHost(rule.host, rp.child('host')));
    if (rule.http) {
      const paths = rule.http.paths ?? [];
      if (paths.length === 0) errs.push(required(rp.child('http').child('paths'), ''));
      paths.forEach((p, j) => errs.push(...validatePath(p, rp.child('http').child('paths').index(j))));
    }
  });
  (spec.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((h, j) => {
      const hp = sp.child('tls').index(i).child('hosts').index(j);
      for (const m of hostErrors(h)) errs.push(invalid(hp, h, m));
    });
    if (t.secretName) for (const m of isDNS1123Subdomain(t.secretName))
      errs.push(invalid(sp.child('tls').index(i).child('secretName'), t.secretName, m));
  });
  if (spec.ingressClassName)
    for (const m of isDNS1123Subdomain(spec.ingressClassName))
      errs.push(invalid(sp.child('ingressClassName'), spec.ingressClassName, m));
  return errs;
}

function validateIngressStatus(ing: Ingress): FieldError[] {
  const errs: FieldError[] = [];
  (ing.status?.loadBalancer?.ingress ?? []).forEach((e, i) => {
    const p = FieldPath.root('status').child('loadBalancer').child('ingress').index(i);
    if (e.ip && !isIP(e.ip)) errs.push(invalid(p.child('ip'), e.ip, 'must be a valid IP address'));
    if (e.hostname) {
      for (const m of isDNS1123Subdomain(e.hostname)) errs.push(invalid(p.child('hostname'), e.hostname, m));
      if (isIP(e.hostname)) errs.push(invalid(p.child('hostname'), e.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errs;
}

// ---- printing (printers.go printIngress) ----

export function formatIngressHosts(rules: Rule[] | undefined): string {
  const hosts = (rules ?? []).map((r) => r.host ?? '').filter((h) => h);
  if (hosts.length === 0) return '*';
  if (hosts.length > 3) return `${hosts.slice(0, 3).join(',')} + ${hosts.length - 3} more...`;
  return hosts.join(',');
}

export function formatLoadBalancerIngress(entries: { ip?: string; hostname?: string }[] | undefined): string {
  const out: string[] = [];
  for (const e of entries ?? []) {
    if (e.ip) out.push(e.ip);
    else if (e.hostname) out.push(e.hostname);
  }
  return out.join(',');
}

export const ingresses = defineResource<Ingress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  shortNames: ['ing'],
  namespaced: true,
  subresources: { status: true },
  schema: IngressSchema,
  generation: true,
  strategy: {
    validate: validateIngress,
    validateUpdate: (obj) => validateIngress(obj),
    validateStatusUpdate: (obj) => validateIngressStatus(obj),
  },
  columns: [
    nameColumn(),
    col<Ingress>('Class', (o) => o.spec?.ingressClassName ?? '<none>', { description: 'The name of the IngressClass resource that should be used for ingress.' }),
    col<Ingress>('Hosts', (o) => formatIngressHosts(o.spec?.rules), { description: 'Hosts that incoming requests are matched against before the ingress rule' }),
    col<Ingress>('Address', (o) => formatLoadBalancerIngress(o.status?.loadBalancer?.ingress), { description: 'Address is a list containing ingress points for the load-balancer' }),
    col<Ingress>('Ports', (o) => ((o.spec?.tls ?? []).length > 0 ? '80, 443' : '80'), { description: 'Ports of TLS configurations that open' }),
    ageColumn(),
  ],
});
