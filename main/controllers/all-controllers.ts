/**
 * Every controller the controller manager can run, in start order. Each controller file exports its
 * ControllerFactory; add it here (one line) when it exists.
 */
import type { ControllerFactory } from './controller.js';
import { daemonSetControllerFactory } from './daemon-set-controller.js';
import { statefulSetControllerFactory } from './stateful-set-controller.js';

export const allControllers: readonly ControllerFactory[] = [
  daemonSetControllerFactory,
  statefulSetControllerFactory,
];
