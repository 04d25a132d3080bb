/**
 * Every controller the controller manager can run, in start order. Each controller file exports its
 * ControllerFactory; add it here (one line) when it exists.
 */
import type { ControllerFactory } from './controller.js';
import { endpointSliceControllerFactory } from './endpoint-slice-controller.js';
import { endpointsControllerFactory } from './endpoints-controller.js';
import { nodeIpamControllerFactory } from './node-ipam-controller.js';
import { nodeLifecycleControllerFactory } from './node-lifecycle-controller.js';
import { taintEvictionControllerFactory } from './taint-eviction-controller.js';

export const allControllers: readonly ControllerFactory[] = [
  endpointsControllerFactory,
  endpointSliceControllerFactory,
  nodeIpamControllerFactory,
  nodeLifecycleControllerFactory,
  taintEvictionControllerFactory,
];
