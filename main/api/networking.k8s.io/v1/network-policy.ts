/** networking.k8s.io/v1 NetworkPolicy: which traffic may reach (ingress) or leave (egress) selected pods. */
import { defineResource } from '../../resource.js';
import type { KObject } from '../../meta/object.js';
import { FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isValidPortName, isValidPortNum } from '../../meta/name-validation.js';
import { formatLabelSelector, validateLabelSelector, type LabelSelectorObject } from '../../meta/label-selector.js';
import { IntOrString, LabelSelector, objectMeta, typeMeta } from '../../meta/schemas.js';
import { arr, def, enumStr, int32, ref, str } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { CIDR_DETAIL, isCIDR } from './validation-helpers.js';

const G = 'io.k8s.api.networking.v1';

export const IPBlock = def(`${G}.IPBlock`, 'A CIDR range, minus optional exceptions.', {
  cidr: str('The allowed range, e.g. "192.168.1.0/24" or "2001:db8::/64".', { default: '' }),
  except: arr(str('', { default: '' }), 'Sub-ranges excluded from cidr.', { listType: 'atomic' }),
}, { required: ['cidr'] });

export const NetworkPolicyPeer = def(`${G}.NetworkPolicyPeer`, 'A set of pods, namespaces or IP ranges traffic may come from or go to.', {
  podSelector: ref(LabelSelector, 'Pods selected by label (in the policy namespace unless namespaceSelector is set).'),
  namespaceSelector: ref(LabelSelector, 'Namespaces selected by label.'),
  ipBlock: ref(IPBlock, 'An IP range; exclusive with the selectors.'),
});

export const NetworkPolicyPort = def(`${G}.NetworkPolicyPort`, 'A port (or port range) and protocol.', {
  protocol: enumStr('Protocol; defaults to TCP.', { SCTP: 'is SCTP.', TCP: 'is TCP.', UDP: 'is UDP.' }),
  port: ref(IntOrString, 'Port number or named port; all ports when unset.'),
  endPort: int32('Last port of a range starting at port; port must be numeric.'),
});

export const NetworkPolicyIngressRule = def(`${G}.NetworkPolicyIngressRule`, 'Traffic allowed into the selected pods.', {
  ports: arr(ref(NetworkPolicyPort, undefined, { default: {} }), 'Ports allowed; all when empty.', { listType: 'atomic' }),
  from: arr(ref(NetworkPolicyPeer, undefined, { default: {} }), 'Sources allowed; all when empty.', { listType: 'atomic' }),
});

export const NetworkPolicyEgressRule = def(`${G}.NetworkPolicyEgressRule`, 'Traffic allowed out of the selected pods.', {
  ports: arr(ref(NetworkPolicyPort, undefined, { default: {} }), 'Ports allowed; all when empty.', { listType: 'atomic' }),
  to: arr(ref(NetworkPolicyPeer, undefined, { default: {} }), 'Destinations allowed; all when empty.', { listType: 'atomic' }),
});

export const NetworkPolicySpec = def(`${G}.NetworkPolicySpec`, 'Which pods a policy applies to and what it allows.', {
  podSelector: ref(LabelSelector, 'Pods the policy applies to; empty selects every pod in the namespace.', { default: {} }),
  ingress: arr(ref(NetworkPolicyIngressRule, undefined, { default: {} }), 'Allowed ingress traffic.', { listType: 'atomic' }),
  egress: arr(ref(NetworkPolicyEgressRule, undefined, { default: {} }), 'Allowed egress traffic.', { listType: 'atomic' }),
  policyTypes: arr(
    enumStr('', { Egress: 'the policy restricts egress.', Ingress: 'the policy restricts ingress.' }, { default: '' }),
    'Directions the policy restricts: "Ingress", "Egress" or both.',
    { listType: 'atomic' },
  ),
});

export const NetworkPolicySchema = def(`${G}.NetworkPolicy`, 'Allowed network traffic for a set of pods.', {
  ...typeMeta(),
  metadata: objectMeta(),
  spec: ref(NetworkPolicySpec, 'Desired behaviour.', { default: {} }),
}, { gvk: [{ group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' }] });

interface Port { protocol?: string; port?: number | string; endPort?: number }
interface Peer { podSelector?: LabelSelectorObject; namespaceSelector?: LabelSelectorObject; ipBlock?: { cidr?: string; except?: string[] } }
export interface NetworkPolicy extends KObject {
  spec?: {
    podSelector?: LabelSelectorObject;
    ingress?: { ports?: Port[]; from?: Peer[] }[];
    egress?: { ports?: Port[]; to?: Peer[] }[];
    policyTypes?: string[];
  };
}

/** SetDefaults_NetworkPolicyPort and SetDefaults_NetworkPolicy (policyTypes from the rules present). */
export function defaultNetworkPolicy(np: NetworkPolicy): void {
  np.spec ??= {};
  const spec = np.spec;
  spec.podSelector ??= {};
  for (const r of spec.ingress ?? []) for (const p of r.ports ?? []) p.protocol ??= 'TCP';
  for (const r of spec.egress ?? []) for (const p of r.ports ?? []) p.protocol ??= 'TCP';
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = ['Ingress'];
    if ((spec.egress ?? []).length > 0) spec.policyTypes.push('Egress');
  }
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validatePort(port: Port, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol))
    errs.push(notSupported(p.child('protocol'), port.protocol, PROTOCOLS));
  if (port.port === undefined) {
    if (port.endPort !== undefined) errs.push(required(p.child('port'), 'may not be omitted when `endPort` is specified'));
    return errs;
  }
  if (typeof port.port === 'number') {
    for (const m of isValidPortNum(port.port)) errs.push(invalid(p.child('port'), port.port, m));
    if (port.endPort !== undefined) {
      if (port.endPort < port.port) errs.push(invalid(p.child('endPort'), port.endPort, 'must be greater than or equal to `port`'));
      for (const m of isValidPortNum(port.endPort)) errs.push(invalid(p.child('endPort'), port.endPort, m));
    }
  } else {
    if (port.endPort !== undefined) errs.push(invalid(p.child('endPort'), port.endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of isValidPortName(port.port)) errs.push(invalid(p.child('port'), port.port, m));
  }
  return errs;
}

function validateIPBlock(b: { cidr?: string; except?: string[] }, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!b.cidr) return [required(p.child('cidr'), '')];
  if (!isCIDR(b.cidr)) return [invalid(p.child('cidr'), b.cidr, CIDR_DETAIL)];
  (b.except ?? []).forEach((e, i) => {
    if (!isCIDR(e)) errs.push(invalid(p.child('except').index(i), e, CIDR_DETAIL));
  });
  return errs;
}

function validatePeer(peer: Peer, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) { n++; errs.push(...validateLabelSelector(peer.podSelector, p.child('podSelector'))); }
  if (peer.namespaceSelector) { n++; errs.push(...validateLabelSelector(peer.namespaceSelector, p.child('namespaceSelector'))); }
  if (peer.ipBlock) { n++; errs.push(...validateIPBlock(peer.ipBlock, p.child('ipBlock'))); }
  if (n === 0) errs.push(required(p, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(forbidden(p, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const errs: FieldError[] = [];
  const spec = np.spec ?? {};
  const sp = FieldPath.root('spec');
  errs.push(...validateLabelSelector(spec.podSelector ?? {}, sp.child('podSelector')));
  (spec.ingress ?? []).forEach((r, i) => {
    const rp = sp.child('ingress').index(i);
    (r.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, rp.child('ports').index(j))));
    (r.from ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child('from').index(j))));
  });
  (spec.egress ?? []).forEach((r, i) => {
    const rp = sp.child('egress').index(i);
    (r.ports ?? []).forEach((port, j) => errs.push(...validatePort(port, rp.child('ports').index(j))));
    (r.to ?? []).forEach((peer, j) => errs.push(...validatePeer(peer, rp.child('to').index(j))));
  });
  const types = spec.policyTypes ?? [];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(sp.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(forbidden(sp.child('policyTypes'), 'may not specify more than two policyTypes'));
  return errs;
}

export const networkPolicies = defineResource<NetworkPolicy>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  shortNames: ['netpol'],
  namespaced: true,
  schema: NetworkPolicySchema,
  generation: true,
  defaults: defaultNetworkPolicy,
  strategy: { validate: validateNetworkPolicy, validateUpdate: (obj) => validateNetworkPolicy(obj) },
  columns: [
    nameColumn(),
    col<NetworkPolicy>('Pod-Selector', (o) => formatLabelSelector(o.spec?.podSelector ?? {}), {
      description: 'Selects the pods to which this NetworkPolicy object applies.',
    }),
    ageColumn(),
  ],
});
