/**
 * Message-layout tables for the Kubernetes protobuf wire format, and the tiny DSL they are written in.
 *
 * A layout maps proto field numbers to the JSON field name and to the *Go* shape of the field, because the Go
 * shape (not the proto2 `optional`) decides how a decoded value must be normalised:
 *
 *   'name string'                 non-pointer scalar: gogo always emits it, so "" / 0 / false are dropped
 *   'replicas *int32'             pointer scalar: present only when set, so an explicit 0 is kept
 *   'template PodTemplateSpec'    non-pointer struct: an empty message is dropped
 *   'securityContext *SecurityContext'  pointer struct: kept even when empty (`emptyDir: {}` matters)
 *   'ports []ContainerPort'       repeated (message or scalar; an empty list is dropped)
 *   'data []byte'                 bytes (base64 in JSON) - note: NOT a repeated field
 *   'labels map[string]string'    proto map (entry key = 1, value = 2); also map[string][]byte,
 *                                 map[string]resource.Quantity, map[string]ExtraValue
 *   'volumeSource inline VolumeSource'  embedded Go struct: its fields are flattened into the parent object
 *
 * Type names without a dot refer to the package of the table being defined; `alias.Name` uses the aliases
 * below (meta, core, resource, intstr, runtime, ...). References are resolved lazily by full proto name, so
 * files may reference each other freely; `checkLayouts()` verifies that every reference resolves.
 */

export type ScalarKind = 'string' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'bool' | 'bytes' | 'double' | 'float';

const SCALARS: ReadonlySet<string> = new Set(['string', 'int32', 'int64', 'uint32', 'uint64', 'bool', 'bytes', 'double', 'float']);

/** The type of one value: a scalar or a message given by its full proto name. */
export type ValueType = { scalar: ScalarKind } | { message: string };

export interface FieldLayout {
  readonly number: number;
  readonly json: string;
  readonly type: ValueType;
  /** Go pointer (`*T`): present on the wire only when set; zero values are meaningful. */
  readonly pointer: boolean;
  readonly repeated: boolean;
  /** Proto map; `type` is then the value type. Keys are always strings in Kubernetes APIs. */
  readonly map: boolean;
  /** Embedded Go struct whose JSON fields live in the parent object. */
  readonly inline: boolean;
}

export interface MessageLayout {
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldLayout>;
}

/** Short package aliases usable in field specs. */
export const PACKAGE_ALIASES: Readonly<Record<string, string>> = {
  meta: 'k8s.io.apimachinery.pkg.apis.meta.v1',
  runtime: 'k8s.io.apimachinery.pkg.runtime',
  resource: 'k8s.io.apimachinery.pkg.api.resource',
  intstr: 'k8s.io.apimachinery.pkg.util.intstr',
  core: 'k8s.io.api.core.v1',
  apps: 'k8s.io.api.apps.v1',
  batch: 'k8s.io.api.batch.v1',
  rbac: 'k8s.io.api.rbac.v1',
  networking: 'k8s.io.api.networking.v1',
  policy: 'k8s.io.api.policy.v1',
  scheduling: 'k8s.io.api.scheduling.v1',
  autoscalingv1: 'k8s.io.api.autoscaling.v1',
  autoscalingv2: 'k8s.io.api.autoscaling.v2',
  authorization: 'k8s.io.api.authorization.v1',
  authentication: 'k8s.io.api.authentication.v1',
  certificates: 'k8s.io.api.certificates.v1',
};

const registry = new Map<string, MessageLayout>();

/** Field specs of one message: proto field number → `'<jsonName> <go type>'`. */
export type MessageSpec = Record<number, string>;

/**
 * Registers the messages of one proto package. `pkg` is the full proto package
 * (e.g. `k8s.io.api.core.v1`) or one of the aliases.
 */
export function defineMessages(pkg: string, messages: Record<string, MessageSpec>): void {
  const fullPkg = PACKAGE_ALIASES[pkg] ?? pkg;
  for (const [name, spec] of Object.entries(messages)) {
    const fullName = `${fullPkg}.${name}`;
    if (registry.has(fullName)) throw new Error(`protobuf layout ${fullName} defined twice`);
    const fields = new Map<number, FieldLayout>();
    for (const [num, text] of Object.entries(spec)) {
      const number = Number(num);
      fields.set(number, parseFieldSpec(number, text, fullPkg, fullName));
    }
    registry.set(fullName, { name: fullName, fields });
  }
}

function parseFieldSpec(number: number, text: string, pkg: string, owner: string): FieldLayout {
  const m = /^\s*(\S+)\s+(inline\s+)?(.+?)\s*$/.exec(text);
  if (!m) throw new Error(`bad field spec ${owner}#${number}: '${text}'`);
  const json = m[1]!;
  const inline = m[2] !== undefined;
  let t = m[3]!;
  let pointer = false;
  let repeated = false;
  let map = false;
  if (t.startsWith('map[string]')) {
    map = true;
    t = t.slice('map[string]'.length);
  } else if (t.startsWith('[]') && t !== '[]byte') {
    repeated = true;
    t = t.slice(2);
  } else if (t.startsWith('*')) {
    pointer = true;
    t = t.slice(1);
  }
  return { number, json, type: parseValueType(t, pkg, owner), pointer, repeated, map, inline };
}

function parseValueType(t: string, pkg: string, owner: string): ValueType {
  if (t === '[]byte') return { scalar: 'bytes' };
  if (SCALARS.has(t)) return { scalar: t as ScalarKind };
  if (!/^[A-Za-z0-9_.]+$/.test(t)) throw new Error(`bad type '${t}' in ${owner}`);
  const dot = t.lastIndexOf('.');
  if (dot < 0) return { message: `${pkg}.${t}` };
  const alias = t.slice(0, dot);
  const full = PACKAGE_ALIASES[alias];
  if (!full) throw new Error(`unknown package alias '${alias}' in ${owner}`);
  return { message: `${full}.${t.slice(dot + 1)}` };
}

export function getLayout(fullName: string): MessageLayout | undefined {
  return registry.get(fullName);
}

export function allLayouts(): readonly MessageLayout[] {
  return [...registry.values()];
}
