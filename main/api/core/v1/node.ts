/**
 * core/v1 Node. Nodes register themselves with their status filled in (keepStatusOnCreate); the spec
 * carries pod CIDRs, taints and the cordon flag. Validation follows upstream ValidateNode/-Update.
 */
import { duplicate, FieldPath, forbidden, invalid, notSupported, required, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName, isValidLabelValue } from '../../meta/name-validation.js';
import type { KObject } from '../../meta/object.js';
import { defineResource } from '../../resource.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { NodeSchema } from './node-schema.js';
import { goStringSlice, goValued } from './service-go-values.js';
import { CIDR_FORMAT_MSG, parseCIDR } from './service-ip.js';

export { NodeSchema } from './node-schema.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Node extends KObject {
  spec?: {
    podCIDR?: string;
    podCIDRs?: string[];
    providerID?: string;
    unschedulable?: boolean;
    taints?: Taint[];
    configSource?: unknown;
    externalID?: string;
  };
  status?: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    addresses?: { type: string; address: string }[];
    nodeInfo?: {
      kubeletVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      containerRuntimeVersion?: string;
      [k: string]: unknown;
    };
    [k: string]: unknown;
  };
}

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** Go's %#v of a core.Taint, used in upstream's duplicate-taint message. */
function goTaint(t: Taint): string {
  const added = t.timeAdded ? '(*v1.Time)(0xc000000000)' : '(*v1.Time)(nil)'; // Go prints a pointer
  return `core.Taint{Key:${JSON.stringify(t.key ?? '')}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect ?? '')}, TimeAdded:${added}}`;
}

/** Taint effect: required and one of the three effects (validateTaintEffect with allowEmpty=false). */
export function validateTaintEffect(effect: string | undefined, path: FieldPath): FieldError[] {
  if (!effect) return [required(path, '')];
  if (!TAINT_EFFECTS.includes(effect)) return [notSupported(path, effect, TAINT_EFFECTS)];
  return [];
}

/** validateNodeTaints: key is a label name, value a label value, effect valid, (key, effect) unique. */
export function validateTaints(taints: Taint[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  (taints ?? []).forEach((t, i) => {
    const p = path.index(i);
    for (const m of isQualifiedName(t.key ?? '')) errs.push(invalid(p.child('key'), t.key ?? '', m));
    if (t.value) {
      const msgs = isValidLabelValue(t.value);
      if (msgs.length) errs.push(invalid(p.child('value'), t.value, msgs.join(';')));
    }
    errs.push(...validateTaintEffect(t.effect, p.child('effect')));
    const keys = seen.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) {
      errs.push(goValued('FieldValueDuplicate', p.toString(), goTaint(t), 'taints must be unique by key and effect pair'));
      return;
    }
    keys.add(t.key);
    seen.set(t.effect, keys);
  });
  return errs;
}

function validatePodCIDRs(node: Node): FieldError[] {
  const cidrs = node.spec?.podCIDRs ?? [];
  if (cidrs.length === 0) return [];
  const path = FieldPath.root('spec').child('podCIDRs');
  const errs: FieldError[] = [];
  const parsed = cidrs.map((c, i) => {
    const p = parseCIDR(c);
    if (!p) errs.push(invalid(path.index(i), c, CIDR_FORMAT_MSG));
    return p;
  });
  if (cidrs.length > 1 && errs.length === 0) {
    const dualStack = parsed.length === 2 && parsed[0]!.ip.family !== parsed[1]!.ip.family;
    if (!dualStack || cidrs.length > 2)
      errs.push(goValued('FieldValueInvalid', path.toString(), goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(duplicate(path.index(i), c));
      seen.add(c);
    });
  }
  return errs;
}

export function validateNode(node: Node): FieldError[] {
  return [...validateTaints(node.spec?.taints, FieldPath.root('spec').child('taints')), ...validatePodCIDRs(node)];
}

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateNode(node);
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  const newCIDRs = node.spec?.podCIDRs ?? [];
  const cidrPath = FieldPath.root('spec').child('podCIDRs');
  const msg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(forbidden(cidrPath, msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(forbidden(cidrPath, msg)));
  }
  const oldProvider = old.spec?.providerID ?? '';
  if (oldProvider && oldProvider !== (node.spec?.providerID ?? ''))
    errs.push(forbidden(FieldPath.root('spec').child('providerID'), 'node updates may not change providerID except from "" to valid'));
  return errs;
}

function validateNodeStatus(node: Node): FieldError[] {
  const errs = validateNode(node);
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const key = `${a.type}\u0000${a.address}`;
    if (seen.has(key)) errs.push(duplicate(FieldPath.root('status').child('addresses').index(i), a));
    seen.add(key);
  });
  return errs;
}

/** Status column: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusCell(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_LABEL_PREFIX)) {
      const role = k.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort();
}

const addressOf = (node: Node, type: string) =>
  (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
const orUnknown = (s: string | undefined) => (s ? s : '<unknown>');

export const nodes = defineResource<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  schema: NodeSchema,
  subresources: { status: true, proxy: true },
  keepStatusOnCreate: true,
  defaults(node) {
    const spec = node.spec;
    if (spec) {
      // v1 carries both podCIDR and podCIDRs; the first of the list and the single field agree.
      if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
      else if (!spec.podCIDR && spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
    }
    const st = node.status;
    if (st && st.allocatable === undefined && st.capacity !== undefined) st.allocatable = { ...st.capacity };
  },
  strategy: {
    validate: validateNode,
    validateUpdate: validateNodeUpdate,
    validateStatusUpdate: (node) => validateNodeStatus(node),
  },
  fieldSelectors: { 'spec.unschedulable': (node) => String(node.spec?.unschedulable ?? false) },
  columns: [
    nameColumn<Node>(),
    col<Node>('Status', nodeStatusCell, { description: 'The status of the node' }),
    col<Node>('Roles', (n) => nodeRoles(n).join(',') || '<none>', { description: 'The roles of the node' }),
    ageColumn<Node>(),
    col<Node>('Version', (n) => n.status?.nodeInfo?.kubeletVersion ?? '', { description: 'Kubelet version reported by the node.' }),
    col<Node>('Internal-IP', (n) => addressOf(n, 'InternalIP'), { priority: 1, description: 'Addresses reachable to the node.' }),
    col<Node>('External-IP', (n) => addressOf(n, 'ExternalIP'), { priority: 1, description: 'Addresses reachable to the node.' }),
    col<Node>('OS-Image', (n) => orUnknown(n.status?.nodeInfo?.osImage), { priority: 1, description: 'OS image reported by the node.' }),
    col<Node>('Kernel-Version', (n) => orUnknown(n.status?.nodeInfo?.kernelVersion), {
      priority: 1,
      description: 'Kernel version reported by the node.',
    }),
    col<Node>('Container-Runtime', (n) => orUnknown(n.status?.nodeInfo?.containerRuntimeVersion), {
      priority: 1,
      description: 'Container runtime version reported by the node.',
    }),
  ],
});
