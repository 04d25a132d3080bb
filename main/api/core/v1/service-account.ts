/**
 * core/v1 ServiceAccount: an identity for processes in pods. Tokens are minted through the
 * serviceaccounts/token subresource (TokenRequest); `secrets` is a legacy list of usable secrets.
 */
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, bool, def, ref } from '../../schema/builder.js';
import { ageColumn, col, nameColumn } from '../../table/columns.js';
import { LocalObjectReference, ObjectReference } from './object-reference.js';

export interface ServiceAccount extends KObject {
  secrets?: ObjectReference[];
  imagePullSecrets?: LocalObjectReference[];
  automountServiceAccountToken?: boolean;
}

export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';

export const ServiceAccountSchema = def(
  'io.k8s.api.core.v1.ServiceAccount',
  'An identity for processes running in pods, with the secrets and pull credentials they may use.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    secrets: arr(
      ref(ObjectReference, undefined, { default: {} }),
      'Secrets in the same namespace that pods using this account may use (enforced only with the deprecated enforce-mountable-secrets annotation).',
      { mergeKey: 'name', strategy: 'merge', listType: 'map', mapKeys: ['name'] },
    ),
    imagePullSecrets: arr(
      ref(LocalObjectReference, undefined, { default: {} }),
      'Secrets in the same namespace used to pull images for pods using this account.',
      { listType: 'atomic' },
    ),
    automountServiceAccountToken: bool('Whether pods using this account get an API token mounted; a pod can override it.'),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ServiceAccount' }] },
);

function warnings(sa: ServiceAccount): string[] {
  if (sa.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION] === undefined) return [];
  return [
    `metadata.annotations[${ENFORCE_MOUNTABLE_SECRETS_ANNOTATION}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`,
  ];
}

export const serviceaccounts = defineResource<ServiceAccount>({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  schema: ServiceAccountSchema,
  subresources: { token: true },
  strategy: {
    validate: () => [],
    validateUpdate: () => [],
    warnings,
  },
  columns: [
    nameColumn<ServiceAccount>(),
    col<ServiceAccount>('Secrets', (sa) => (sa.secrets ?? []).length, { description: 'Number of secrets listed on the account.' }),
    ageColumn<ServiceAccount>(),
  ],
});
