/**
 * The ReplicationController adapter: core/v1 kind, equality-based map selector (a missing or empty map selects
 * nothing here — validation requires one, and upstream's conversion would otherwise select every pod).
 */
import { selectorFromSet } from '../../api/meta/label-selector.js';
import { REPLICATIONCONTROLLERS } from '../../client/kube-client.js';
import type { ReplicaKind, ReplicaOwner } from './replica-kind.js';

export const replicationControllerKind: ReplicaKind = {
  controllerName: 'replicationcontroller',
  component: 'replication-controller',
  resource: REPLICATIONCONTROLLERS,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  selectorOf(owner: ReplicaOwner) {
    const sel = owner.spec?.selector;
    if (sel === undefined || sel === null || typeof sel !== 'object' || Array.isArray(sel)) return 'nothing';
    const entries = Object.entries(sel as Record<string, unknown>);
    if (entries.some(([, v]) => typeof v !== 'string')) throw new Error('selector values must be strings');
    return entries.length ? selectorFromSet(sel as Record<string, string>) : 'nothing';
  },
};
