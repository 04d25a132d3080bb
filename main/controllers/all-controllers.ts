/**
 * Every controller the controller manager can run, in start order. Each controller file exports its
 * ControllerFactory; add it here (one line) when it exists.
 */
import type { ControllerFactory } from './controller.js';
import { garbageCollectorControllerFactory } from './garbage-collector-controller.js';
import { namespaceControllerFactory } from './namespace-controller.js';
import { podGCControllerFactory } from './pod-gc-controller.js';

export const allControllers: readonly ControllerFactory[] = [
  garbageCollectorControllerFactory,
  namespaceControllerFactory,
  podGCControllerFactory,
];
