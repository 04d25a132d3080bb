/**
 * The "replicationcontroller" controller: the ReplicaSet logic run for core/v1 ReplicationControllers through
 * an adapter (replica-set/replication-controller-kind.ts), as upstream's ReplicationManager does.
 */
import type { ControllerFactory } from './controller.js';
import { ReplicaController } from './replica-set/replica-controller.js';
import { replicationControllerKind } from './replica-set/replication-controller-kind.js';

export const replicationControllerFactory: ControllerFactory = {
  name: replicationControllerKind.controllerName,
  create: (ctx) => new ReplicaController(ctx, replicationControllerKind),
};
