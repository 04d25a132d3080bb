/**
 * NamespaceLifecycle: objects cannot be created in a namespace that does not exist or is terminating, and the
 * system namespaces cannot be deleted.
 */
import { forbidden, notFound } from '../../http/api-error.js';
import type { AdmissionPlugin } from '../admission.js';
import type { ObjectReader } from '../object-reader.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);
/** Kinds that may still be written in a terminating namespace (so controllers can report and clean up). */
const EXEMPT_IN_TERMINATING = new Set(['events', 'localsubjectaccessreviews']);

export function namespaceLifecycle(reader: ObjectReader): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(req) {
      const d = req.descriptor;
      if (req.operation === 'DELETE' && d.group === '' && d.plural === 'namespaces' && IMMORTAL.has(req.name))
        throw forbidden({ group: '', resource: 'namespaces' }, req.name, 'this namespace may not be deleted');
      if (req.operation !== 'CREATE' || !d.namespaced || req.subresource) return;
      const ns = await reader.get('', 'namespaces', '', req.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, req.namespace);
      const terminating = (ns as { status?: { phase?: string } }).status?.phase === 'Terminating' || !!ns.metadata.deletionTimestamp;
      if (terminating && !EXEMPT_IN_TERMINATING.has(d.plural))
        throw forbidden({ group: d.group, resource: d.plural }, req.name,
          `unable to create new content in namespace ${req.namespace} because it is being terminated`);
    },
  };
}
