/**
 * io.k8s.api.core.v1.PodSpec (placeholder while the full schema is written; the name is stable).
 */
import { anything } from '../../schema/builder.js';
import type { Definition } from '../../schema/schema.js';

export const PodSpec: Definition = {
  name: 'io.k8s.api.core.v1.PodSpec',
  schema: { ...anything('Desired behaviour of a pod.') },
};
