/** discovery.k8s.io/v1 EndpointSlice: a chunk of the network endpoints that back a Service. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, duplicate, immutable, invalid, notSupported, required, tooMany, type FieldError } from '../../meta/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../../meta/name-validation.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, bool, def, enumStr, int32, ref, str, stringMap } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { isIPv4, isIPv6 } from '../../networking.k8s.io/v1/validation-helpers.js';
import { ObjectReference, type ObjectReference as ObjectReferenceT } from '../../core/v1/object-reference.js';

const G = 'io.k8s.api.discovery.v1';

export const EndpointConditions = def(`${G}.EndpointConditions`, 'Current state of an endpoint.', {
  ready: bool('Whether the endpoint is ready for traffic; unknown when unset.'),
  serving: bool('Whether the endpoint can serve, regardless of termination.'),
  terminating: bool('Whether the endpoint is terminating.'),
});

export const ForZone = def(`${G}.ForZone`, 'A zone an endpoint should serve.', {
  name: str('Zone name.', { default: '' }),
}, { required: ['name'] });

export const EndpointHints = def(`${G}.EndpointHints`, 'Routing hints for an endpoint.', {
  forZones: arr(ref(ForZone, undefined, { default: {} }), 'Zones this endpoint should serve (topology-aware routing).', { listType: 'atomic' }),
});

export const Endpoint = def(`${G}.Endpoint`, 'One logical backend of a Service.', {
  addresses: arr(str('', { default: '' }), 'Addresses of the endpoint, of the slice addressType.', { listType: 'set' }),
  conditions: ref(EndpointConditions, 'Current state of the endpoint.', { default: {} }),
  hostname: str('DNS hostname of the endpoint.'),
  targetRef: ref(ObjectReference, 'The object (usually a Pod) behind the endpoint.'),
  deprecatedTopology: stringMap('Deprecated topology labels; use nodeName and zone.'),
  nodeName: str('Node hosting the endpoint.'),
  zone: str('Zone of the endpoint.'),
  hints: ref(EndpointHints, 'Routing hints.'),
}, { required: ['addresses'] });

export const EndpointPort = def(`${G}.EndpointPort`, 'A port every endpoint of the slice exposes.', {
  name: str('Port name; must match the Service port name.'),
  protocol: enumStr('Protocol; defaults to TCP.', { SCTP: 'is SCTP.', TCP: 'is TCP.', UDP: 'is UDP.' }),
  port: int32('Port number; unset means all ports.'),
  appProtocol: str('Application protocol, e.g. "http" or "kubernetes.io/h2c".'),
}, { extra: { 'x-kubernetes-map-type': 'atomic' } });

export const EndpointSliceSchema = def(`${G}.EndpointSlice`, 'A subset of the endpoints that implement a Service.', {
  ...typeMeta(),
  metadata: objectMeta(),
  addressType: enumStr('Kind of addresses in the slice. Immutable.', {
    FQDN: 'are fully qualified domain names.',
    IPv4: 'are IPv4 addresses.',
    IPv6: 'are IPv6 addresses.',
  }, { default: '' }),
  endpoints: arr(ref(Endpoint, undefined, { default: {} }), 'The endpoints (at most 1000).', { listType: 'atomic' }),
  ports: arr(ref(EndpointPort, undefined, { default: {} }), 'Ports exposed by every endpoint (at most 100).', { listType: 'atomic' }),
}, { required: ['addressType', 'endpoints'], gvk: [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }] });

interface EndpointT {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: ObjectReferenceT;
  nodeName?: string;
  zone?: string;
  deprecatedTopology?: Record<string, string>;
  hints?: { forZones?: { name?: string }[] };
}
interface PortT { name?: string; protocol?: string; port?: number; appProtocol?: string }
export interface EndpointSlice extends KObject {
  addressType?: string;
  endpoints?: EndpointT[];
  ports?: PortT[];
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;
const MAX_ADDRESSES = 100;

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(s: EndpointSlice): void {
  for (const p of s.ports ?? []) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}

function validateAddress(addr: string, type: string, p: FieldPath): FieldError[] {
  if (type === 'IPv4') return isIPv4(addr) ? [] : [invalid(p, addr, 'must be a valid IPv4 address')];
  if (type === 'IPv6') return isIPv6(addr) ? [] : [invalid(p, addr, 'must be a valid IPv6 address')];
  if (type === 'FQDN') return isDNS1123Subdomain(addr).map((m) => invalid(p, addr, m));
  return [];
}

export function validateEndpointSlice(s: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const type = s.addressType ?? '';
  if (!type) errs.push(required(FieldPath.root('addressType'), ''));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported(FieldPath.root('addressType'), type, ADDRESS_TYPES));
  const eps = s.endpoints ?? [];
  if (eps.length > MAX_ENDPOINTS) errs.push(tooMany(FieldPath.root('endpoints'), eps.length, MAX_ENDPOINTS));
  eps.forEach((ep, i) => {
    const p = FieldPath.root('endpoints').index(i);
    const addrs = ep.addresses ?? [];
    if (addrs.length === 0) errs.push(required(p.child('addresses'), 'must contain at least 1 address'));
    else if (addrs.length > MAX_ADDRESSES) errs.push(tooMany(p.child('addresses'), addrs.length, MAX_ADDRESSES));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, type, p.child('addresses').index(j))));
    if (ep.nodeName) for (const m of isDNS1123Subdomain(ep.nodeName)) errs.push(invalid(p.child('nodeName'), ep.nodeName, m));
    if (ep.hostname) for (const m of isDNS1123Label(ep.hostname)) errs.push(invalid(p.child('hostname'), ep.hostname, m));
  });
  const ports = s.ports ?? [];
  if (ports.length > MAX_PORTS) errs.push(tooMany(FieldPath.root('ports'), ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = FieldPath.root('ports').index(i);
    const name = port.name ?? '';
    if (name) for (const m of isDNS1123Label(name)) errs.push(invalid(p.child('name'), name, m));
    if (names.has(name)) errs.push(duplicate(p.child('name'), name));
    names.add(name);
    if (port.protocol === undefined) errs.push(required(p.child('protocol'), ''));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(p.child('protocol'), port.protocol, PROTOCOLS));
    if (port.port !== undefined) for (const m of isValidPortNum(port.port)) errs.push(invalid(p.child('port'), port.port, m));
    if (port.appProtocol) for (const m of isQualifiedName(port.appProtocol)) errs.push(invalid(p.child('appProtocol'), port.appProtocol, m));
  });
  return errs;
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const s = list.join(',');
  if (more) return `${s} + ${count - max} more...`;
  return s === '' ? '<unset>' : s;
}

export function formatDiscoveryPorts(ports: PortT[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < 3) list.push(p.port !== undefined ? String(p.port) : p.name ? p.name : '*');
    else more = true;
    count++;
  }
  return listWithMore(list, more, count, 3);
}

export function formatDiscoveryEndpoints(eps: EndpointT[] | undefined): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of eps ?? []) {
    for (const a of ep.addresses ?? []) {
      if (list.length < 3) list.push(a);
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, 3);
}

export const endpointSlices = defineResource<EndpointSlice>({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  schema: EndpointSliceSchema,
  generation: true,
  defaults: defaultEndpointSlice,
  strategy: {
    validate: validateEndpointSlice,
    validateUpdate: (s, old) => {
      const errs = validateEndpointSlice(s);
      if (s.addressType !== old.addressType) errs.push(immutable(FieldPath.root('addressType'), s.addressType));
      return errs;
    },
  },
  columns: [
    nameColumn(),
    col<EndpointSlice>('AddressType', (o) => o.addressType ?? '', { description: 'Type of address in the endpoint slice' }),
    col<EndpointSlice>('Ports', (o) => formatDiscoveryPorts(o.ports), { description: 'Ports in the endpoint slice' }),
    col<EndpointSlice>('Endpoints', (o) => formatDiscoveryEndpoints(o.endpoints), { description: 'Endpoints in the endpoint slice' }),
    ageColumn(),
  ],
});
