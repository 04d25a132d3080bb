/**
 * The contract of a controller run by the controller manager (ARCHITECTURE.md §5), one file per controller.
 *
 * Life cycle: the manager builds every enabled controller with a ControllerContext — in its constructor a
 * controller asks `ctx.informers` for the informers it needs and adds its event handlers (which usually just
 * enqueue keys on a WorkQueue) — then starts the shared informers, waits until they have synced, and calls
 * run() on each controller (start workers with runWorkers, timers). stop() ends workers and timers and resolves
 * when in-flight syncs have finished; the manager stops the informers afterwards.
 *
 * Controllers act only through `ctx.client` (the API, as system:kube-controller-manager) and read only from
 * informer caches, whose objects are shared and must never be mutated (copy before changing).
 */
import type { EventRecorder } from '../client/event-recorder.js';
import type { KubeClient } from '../client/kube-client.js';
import type { SharedInformerFactory } from '../client/shared-informer-factory.js';
import type { ControllerManagerOptions } from './controller-manager-options.js';

export interface ControllerContext {
  client: KubeClient;
  /** Shared by every controller of this manager (one cache and one watch per resource). */
  informers: SharedInformerFactory;
  /** An event recorder reporting as `component` (upstream's names: "deployment-controller", ...); one per name. */
  recorder(component: string): EventRecorder;
  options: ControllerManagerOptions;
  log(message: string): void;
  /** Current time in ms (tests may substitute a clock). */
  now(): number;
}

export interface Controller {
  /** Upstream's controller name as used by --controllers, e.g. "deployment", "replicaset", "namespace". */
  readonly name: string;
  run(): void;
  stop(): Promise<void>;
}

export interface ControllerFactory {
  /** Upstream's controller name (see Controller.name). */
  name: string;
  create(ctx: ControllerContext): Controller;
}
