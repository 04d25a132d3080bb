/**
 * policy/v1 Eviction: the body POSTed to `pods/<name>/eviction` (kubectl drain). Only the schema lives
 * here; the pods/eviction handler belongs to the Pod resource.
 */
import { DeleteOptions } from '../../meta/delete-options.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { def, ref } from '../../schema/builder.js';

export const Eviction = def(
  'io.k8s.api.policy.v1.Eviction',
  'Asks for a pod to be removed while honouring its disruption budgets.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    deleteOptions: ref(DeleteOptions, 'How the pod is deleted once the eviction is allowed.'),
  },
  { gvk: [{ group: 'policy', version: 'v1', kind: 'Eviction' }] },
);
