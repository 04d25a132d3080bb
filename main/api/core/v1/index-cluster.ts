/** The core/v1 cluster-level resources (everything in core/v1 that is not pod-related), in a stable order. */
import type { ResourceDescriptor } from '../../resource.js';
import { bindings } from './binding.js';
import { componentstatuses } from './component-status.js';
import { configmaps } from './config-map.js';
import { endpoints } from './endpoints.js';
import { events } from './event.js';
import { limitranges } from './limit-range.js';
import { namespaces } from './namespace.js';
import { nodes } from './node.js';
import { resourcequotas } from './resource-quota.js';
import { secrets } from './secret.js';
import { serviceaccounts } from './service-account.js';
import { services } from './service.js';

export const coreClusterResources: ResourceDescriptor[] = [
  namespaces,
  nodes,
  events,
  services,
  endpoints,
  configmaps,
  secrets,
  serviceaccounts,
  limitranges,
  resourcequotas,
  componentstatuses,
  bindings,
];
