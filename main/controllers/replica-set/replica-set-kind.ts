/** The ReplicaSet adapter: apps/v1 kind with a full LabelSelector (matchLabels and matchExpressions). */
import { selectorFromObject, type LabelSelectorObject } from '../../api/meta/label-selector.js';
import { REPLICASETS } from '../../client/kube-client.js';
import type { ReplicaKind, ReplicaOwner } from './replica-kind.js';

export const replicaSetKind: ReplicaKind = {
  controllerName: 'replicaset',
  component: 'replicaset-controller',
  resource: REPLICASETS,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  selectorOf: (owner: ReplicaOwner) => selectorFromObject(owner.spec?.selector as LabelSelectorObject | undefined),
};
