/**
 * Maps a TypeMeta (apiVersion + kind) to the proto message that carries it. Every group/version the layouts
 * cover is listed; option kinds from meta/v1 (DeleteOptions, ...) are accepted under any group version because
 * the API server registers them in every version.
 */
import './layouts/index.js';
import { getLayout, PACKAGE_ALIASES } from './layout.js';

const GROUP_VERSION_PACKAGES: Readonly<Record<string, string>> = {
  v1: PACKAGE_ALIASES.core!,
  'apps/v1': PACKAGE_ALIASES.apps!,
  'batch/v1': PACKAGE_ALIASES.batch!,
  'rbac.authorization.k8s.io/v1': PACKAGE_ALIASES.rbac!,
  'networking.k8s.io/v1': PACKAGE_ALIASES.networking!,
  'policy/v1': PACKAGE_ALIASES.policy!,
  'scheduling.k8s.io/v1': PACKAGE_ALIASES.scheduling!,
  'autoscaling/v1': PACKAGE_ALIASES.autoscalingv1!,
  'autoscaling/v2': PACKAGE_ALIASES.autoscalingv2!,
  'authorization.k8s.io/v1': PACKAGE_ALIASES.authorization!,
  'authentication.k8s.io/v1': PACKAGE_ALIASES.authentication!,
  'certificates.k8s.io/v1': PACKAGE_ALIASES.certificates!,
};

const META_OPTION_KINDS: ReadonlySet<string> = new Set([
  'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'Status',
]);

/**
 * Full proto message name for a top-level object, or undefined when the kind is not known. Only messages with
 * ObjectMeta at field 1 (real API objects) and the meta option kinds qualify, so `PodSpec` is not a "kind".
 */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  if (META_OPTION_KINDS.has(kind) && (apiVersion in GROUP_VERSION_PACKAGES || apiVersion === 'meta.k8s.io/v1')) {
    return `${PACKAGE_ALIASES.meta}.${kind}`;
  }
  const pkg = GROUP_VERSION_PACKAGES[apiVersion];
  if (!pkg) return undefined;
  const name = `${pkg}.${kind}`;
  const layout = getLayout(name);
  const meta = layout?.fields.get(1);
  if (!meta || meta.json !== 'metadata' || !('message' in meta.type)) return undefined;
  return meta.type.message === `${PACKAGE_ALIASES.meta}.ObjectMeta` ? name : undefined;
}

export function supportedGroupVersions(): string[] {
  return Object.keys(GROUP_VERSION_PACKAGES);
}
