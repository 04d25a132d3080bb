/**
 * A control-plane component (scheduler, simulated node provider, later the controller manager): a client of the
 * API server with its own user, started either in a worker thread of its own (the default: like kube-scheduler
 * beside kube-apiserver, its work never stalls API requests or the Electron main process) or inline on the
 * control plane's thread (debugging, profiling). Everything crossing to and from a worker is plain data:
 * options, the results of `calls`, health.
 */
import type { UserInfo } from '../apiserver/authn/user-info.js';
import type { KubeClient } from '../client/kube-client.js';

export interface ComponentHealthState {
  healthy: boolean;
  message: string;
}

/** Calls the control plane may make into a running component (arguments and results are structured-cloned). */
export type ComponentCalls = Record<string, (...args: any[]) => unknown>;

export interface RunningComponent<Calls extends ComponentCalls> {
  health(): ComponentHealthState;
  calls: Calls;
  /** Stops watches, timers and loops; resolves when in-flight writes have settled. */
  stop(): Promise<void>;
}

export interface ComponentContext<Options> {
  client: KubeClient;
  options: Options;
  log: (message: string) => void;
}

export interface ComponentDefinition<Options, Calls extends ComponentCalls> {
  /** Also the component's name in `kubectl get componentstatuses` where it has one. */
  name: string;
  user: UserInfo;
  userAgent: string;
  /** Resolves once the component has caught up with the API (informers synced). */
  start(ctx: ComponentContext<Options>): Promise<RunningComponent<Calls>>;
}
