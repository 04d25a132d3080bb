/**
 * The "replicaset" controller: keeps each ReplicaSet's pod count at spec.replicas (see
 * replica-set/replica-controller.ts for the semantics, shared with ReplicationControllers).
 */
import type { ControllerFactory } from './controller.js';
import { ReplicaController } from './replica-set/replica-controller.js';
import { replicaSetKind } from './replica-set/replica-set-kind.js';

export const replicaSetControllerFactory: ControllerFactory = {
  name: replicaSetKind.controllerName,
  create: (ctx) => new ReplicaController(ctx, replicaSetKind),
};
