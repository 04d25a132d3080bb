/**
 * A node provider brings nodes into the cluster and keeps them alive (ARCHITECTURE.md §6). Providers for real
 * machines (local VM, SSH host) provision an agent that then registers itself; the simulated provider *is* the
 * agent, in-process. The control plane starts every provider after the API server is listening and stops them
 * before the server closes.
 */
export interface NodeProvider {
  /** Short identifier for logs and component health, e.g. "simulated". */
  readonly name: string;
  /** Resolves once the provider has caught up with the API (initial lists done, existing nodes resumed). */
  start(): Promise<void>;
  /** Stops timers and watches. Nodes stay registered: they go silent, as when their machines lose power. */
  stop(): Promise<void>;
}
