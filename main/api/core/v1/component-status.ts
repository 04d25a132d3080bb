/**
 * core/v1 ComponentStatus (deprecated since 1.19): read-only health of control-plane components,
 * computed by the server on read. Kept for `kubectl get componentstatuses`.
 */
import type { KObject } from '../../meta/object.js';
import { objectMeta, typeMeta } from '../../meta/schemas.js';
import { defineResource } from '../../resource.js';
import { arr, def, ref, str } from '../../schema/builder.js';
import { col, nameColumn } from '../../table/columns.js';

export interface ComponentCondition {
  type: string;
  status: string;
  message?: string;
  error?: string;
}
export interface ComponentStatus extends KObject {
  conditions?: ComponentCondition[];
}

export const ComponentCondition = def(
  'io.k8s.api.core.v1.ComponentCondition',
  'Health of one aspect of a component.',
  {
    type: str('Condition type; only "Healthy" is used.', { default: '' }),
    status: str('"True", "False" or "Unknown".', { default: '' }),
    message: str('Details of the condition, e.g. the health check output.'),
    error: str('Error seen while checking the condition, if any.'),
  },
  { required: ['type', 'status'] },
);

export const ComponentStatusSchema = def(
  'io.k8s.api.core.v1.ComponentStatus',
  'Deprecated: health of a control-plane component.',
  {
    ...typeMeta(),
    metadata: objectMeta(),
    conditions: arr(ref(ComponentCondition, undefined, { default: {} }), 'Observed conditions of the component.', {
      mergeKey: 'type',
      strategy: 'merge',
      listType: 'map',
      mapKeys: ['type'],
    }),
  },
  { gvk: [{ group: '', version: 'v1', kind: 'ComponentStatus' }] },
);

/** STATUS / MESSAGE / ERROR cells from the Healthy condition. */
export function componentHealth(cs: ComponentStatus): { status: string; message: string; error: string } {
  const c = (cs.conditions ?? []).find((x) => x.type === 'Healthy');
  if (!c) return { status: 'Unknown', message: '', error: '' };
  return { status: c.status === 'True' ? 'Healthy' : 'Unhealthy', message: c.message ?? '', error: c.error ?? '' };
}

export const componentstatuses = defineResource<ComponentStatus>({
  group: '',
  version: 'v1',
  kind: 'ComponentStatus',
  plural: 'componentstatuses',
  singular: 'componentstatus',
  shortNames: ['cs'],
  namespaced: false,
  verbs: ['get', 'list'],
  readOnly: true,
  deprecationWarning: 'v1 ComponentStatus is deprecated in v1.19+',
  schema: ComponentStatusSchema,
  columns: [
    nameColumn<ComponentStatus>(),
    col<ComponentStatus>('Status', (cs) => componentHealth(cs).status, { description: 'Status of the component conditions' }),
    col<ComponentStatus>('Message', (cs) => componentHealth(cs).message, { description: 'Message of the component conditions' }),
    col<ComponentStatus>('Error', (cs) => componentHealth(cs).error, { description: 'Error of the component conditions' }),
  ],
});
