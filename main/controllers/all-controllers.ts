/**
 * Every controller the controller manager can run, in start order. Each controller file exports its
 * ControllerFactory; add it here (one line) when it exists.
 */
import type { ControllerFactory } from './controller.js';
import { cronJobControllerFactory } from './cron-job-controller.js';
import { jobControllerFactory } from './job-controller.js';
import { ttlAfterFinishedControllerFactory } from './ttl-after-finished-controller.js';

export const allControllers: readonly ControllerFactory[] = [
  jobControllerFactory,
  cronJobControllerFactory,
  ttlAfterFinishedControllerFactory,
];
