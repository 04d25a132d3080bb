/**
 * core/v1 Endpoints: the addresses and ports behind a service, grouped in subsets. Maintained by the
 * endpoints controller for services with a selector, or by hand for selector-less services.
 */
import { FieldPath, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, enumStr, int32, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { ObjectReference } from './object-reference.js';
import { IP_FORMAT_MSG, nonSpecialIPProblems, parseIP } from './service-ip.js';
import { PORT_PROTOCOLS } from './service-validation.js';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}
export interface EndpointPort {
  name?: string;
  port: number;
  protocol?: string;
  appProtocol?: string;
}
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}
export interface Endpoints extends KObject {
  subsets?: EndpointSubset[];
}

const CORE = 'io.k8s.api.core.v1';

export const EndpointAddress = def(
  `${CORE}.EndpointAddress`,
  'One IP address serving a service.',
  {
    ip: str('The IP of this endpoint; loopback, link-local and unspecified addresses are refused.', { default: '' }),
    hostname: str('Hostname of this endpoint.'),
    nodeName: str('Node hosting this endpoint, used to find endpoints local to a node.'),
    targetRef: ref(ObjectReference, 'The object (usually a pod) providing the endpoint.'),
  },
  { required: ['ip'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const EndpointPort = def(
  'io.k8s.api.core.v1.EndpointPort',
  'One port of an endpoint subset.',
  {
    name: str('Name of the port; must match the service port name. Optional when there is one port.'),
    port: int32('Port number.', { default: 0 }),
    protocol: enumStr('IP protocol; defaults to TCP.', { SCTP: 'SCTP.', TCP: 'TCP.', UDP: 'UDP.' }),
    appProtocol: str('Application protocol of the port.'),
  },
  { required: ['port'], extra: { 'x-kubernetes-map-type': 'atomic' } },
);

export const EndpointSubset = def(`${CORE}.EndpointSubset`, 'A group of addresses sharing the same set of ports.', {
  addresses: arr(ref(EndpointAddress, undefined, { default: {} }), 'Addresses ready to receive traffic.', { listType: 'atomic' }),
  notReadyAddresses: arr(ref(EndpointAddress, undefined, { default: {} }), 'Addresses not (yet) ready for traffic.', {
    listType: 'atomic',
  }),
  ports: arr(ref(EndpointPort, undefined, { default: {} }), 'Ports available on the addresses.', { listType: 'atomic' }),
});

export const EndpointsSchema = def(
  `${CORE}.Endpoints`,
  'The set of endpoints that implement a service.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    subsets: arr(ref(EndpointSubset, undefined, { default: {} }), 'Groups of addresses and the ports they serve.', {
      listType: 'atomic',
    }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'Endpoints' }] },
);

function validateAddress(a: EndpointAddress, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const ip = a.ip ?? '';
  if (!parseIP(ip)) errs.push(invalid(path.child('ip'), ip, IP_FORMAT_MSG));
  if (a.hostname) errs.push(...isDNS1123Label(a.hostname).map((m) => invalid(path.child('hostname'), a.hostname, m)));
  if (a.nodeName !== undefined && a.nodeName !== null)
    errs.push(...isDNS1123Subdomain(a.nodeName).map((m) => invalid(path.child('nodeName'), a.nodeName, m)));
  errs.push(...nonSpecialIPProblems(ip).map((m) => invalid(path.child('ip'), ip, m)));
  return errs;
}

function validatePort(p: EndpointPort, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(path.child('name'), ''));
  else if (p.name) errs.push(...isDNS1123Label(p.name).map((m) => invalid(path.child('name'), p.name, m)));
  errs.push(...isValidPortNum(p.port ?? 0).map((m) => invalid(path.child('port'), p.port ?? 0, m)));
  if (!p.protocol) errs.push(required(path.child('protocol'), ''));
  else if (!PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(path.child('protocol'), p.protocol, PORT_PROTOCOLS));
  if (p.appProtocol !== undefined && p.appProtocol !== null)
    errs.push(...isQualifiedName(p.appProtocol).map((m) => invalid(path.child('appProtocol'), p.appProtocol, m)));
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('subsets');
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = path.index(i);
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length)
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, p.child('addresses').index(j))));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, p.child('notReadyAddresses').index(j))));
    const ports = ss.ports ?? [];
    ports.forEach((pt, j) => errs.push(...validatePort(pt, ports.length > 1, p.child('ports').index(j))));
  });
  return errs;
}

const joinHostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** ENDPOINTS column: up to three `ip:port` entries (ready addresses only), then "+ N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports?.length) {
      // Headless services may have endpoints without ports.
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ss.ports) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const s = list.join(',');
  return more ? `${s} + ${count - max} more...` : s;
}

export const endpoints = defineResource<Endpoints>({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  schema: EndpointsSchema,
  defaults(ep) {
    for (const ss of ep.subsets ?? []) for (const p of ss.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
  },
  strategy: {
    validate: validateEndpoints,
    validateUpdate: (ep) => validateEndpoints(ep),
  },
  columns: [
    nameColumn<Endpoints>(),
    col<Endpoints>('Endpoints', formatEndpoints, { description: 'Addresses and ports of the endpoints.' }),
    ageColumn<Endpoints>(),
  ],
});
