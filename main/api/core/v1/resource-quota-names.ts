/**
 * Resource-name rules shared by LimitRange and ResourceQuota validation (upstream core/helper):
 * which names are standard, which are container resources, which must be whole numbers, and which
 * quota scopes apply to which resources.
 */
import { FieldPath, invalid, type FieldError } from '../../meta/field-errors.js';
import { isQualifiedName } from '../../meta/name-validation.js';

const STANDARD_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'requests.storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets',
  'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps',
  'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
]);
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** Resources that only the pod-compute scopes (Terminating, PriorityClass, ...) can limit. */
const POD_COMPUTE_QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory',
  'ephemeral-storage', 'limits.ephemeral-storage', 'requests.ephemeral-storage',
]);

export const STANDARD_QUOTA_SCOPES = [
  'Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass',
];

const isHugePages = (n: string) => n.startsWith('hugepages-');
const isQuotaHugePages = (n: string) => n.startsWith('requests.hugepages-') || n.startsWith('limits.hugepages-');
const isNativeResource = (n: string) => !n.includes('/') || n.includes('kubernetes.io/');

/** Extended resources: domain-prefixed, not native, not request-prefixed, valid as `requests.<name>`. */
export function isExtendedResourceName(n: string): boolean {
  if (isNativeResource(n) || n.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${n}`).length === 0;
}

export const isStandardResourceName = (n: string) => isHugePages(n) || STANDARD_RESOURCES.has(n) || isQuotaHugePages(n);
export const isStandardQuotaResourceName = (n: string) => STANDARD_QUOTA_RESOURCES.has(n) || isQuotaHugePages(n);
export const isIntegerResourceName = (n: string) => INTEGER_RESOURCES.has(n) || isExtendedResourceName(n);
/** Resources that cannot be overcommitted (default must equal defaultRequest): all but cpu/memory/storage. */
export const isOverCommitAllowed = (n: string) => isNativeResource(n) && !isHugePages(n);

/** validateResourceName: a qualified name that is either standard or domain-prefixed. */
export function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(path, name, m));
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name))
    return [invalid(path, name, 'must be a standard resource type or fully qualified')];
  return [];
}

/** validateContainerResourceName: also a container resource, or an extended resource. */
export function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!CONTAINER_RESOURCES.has(name) && !isHugePages(name))
      return [...errs, invalid(path, name, 'must be a standard resource for containers')];
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [...errs, invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

/** ValidateResourceQuotaResourceName. */
export function validateQuotaResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/') && !isStandardQuotaResourceName(name))
    return [...errs, invalid(path, name, 'must be a standard resource for quota')];
  return errs;
}

/** Whether a quota scope can restrict a standard quota resource (IsResourceQuotaScopeValidForResource). */
export function scopeAppliesToResource(scope: string, resource: string): boolean {
  const podCount = resource === 'pods';
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return podCount || POD_COMPUTE_QUOTA_RESOURCES.has(resource) || isQuotaHugePages(resource);
    case 'BestEffort':
      return podCount;
    case 'VolumeAttributesClass':
      return resource === 'persistentvolumeclaims' || resource === 'requests.storage';
  }
  return true; // unknown scopes are reported separately
}
