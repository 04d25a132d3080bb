/**
 * Runs a component for the control plane, in a worker thread of its own (default) or inline, behind one
 * handle. A worker's API requests are served on this thread by a LocalTransport acting as the component's user,
 * so it passes authentication-equivalent identity, authorization, admission and validation like any client.
 * A worker that dies unexpectedly is logged and restarted with exponential backoff (1 s doubling to 30 s; the
 * backoff resets after a minute of running), as a kubelet restarts a crashed kube-scheduler.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ApiServer } from '../apiserver/api-server.js';
import { createLocalClient, LocalTransport } from '../client/local-client.js';
import type { ComponentCalls, ComponentDefinition, ComponentHealthState, RunningComponent } from './component.js';
import { COMPONENT_WORKER_ROLE, type ComponentWorkerData, type ToHost, type ToWorker } from './component-protocol.js';
import { servePortTransport, type PortTransportServer } from './port-transport-server.js';

export type ComponentMode = 'worker' | 'inline';

export interface ComponentHandle<Calls extends ComponentCalls> {
  readonly name: string;
  readonly mode: ComponentMode;
  call<K extends keyof Calls & string>(method: K, ...args: Parameters<Calls[K]>): Promise<Awaited<ReturnType<Calls[K]>>>;
  /**
   * Probes the component now, as kube-apiserver probes kube-scheduler's /healthz for componentstatuses: a worker
   * that does not answer within the probe timeout (its thread is stuck) is unhealthy.
   */
  health(): Promise<ComponentHealthState>;
  /** CPU time (ms) of the component's own thread so far; undefined inline (it shares the caller's) or off Linux. */
  threadCpuMs(): Promise<number | undefined>;
  stop(): Promise<void>;
}

export interface StartComponentOptions<Options> {
  server: ApiServer;
  options: Options;
  log: (message: string) => void;
  mode?: ComponentMode;
  /** V8 young generation of a worker (MB): bigger means fewer scavenges for allocation-heavy components. */
  youngGenerationMb?: number;
  /** How long a worker may take to answer a health probe before it is reported unhealthy (default 5 s). */
  healthProbeTimeoutMs?: number;
}

const WORKER_SCRIPT = new URL('./component-worker.js', import.meta.url);
const STOP_TIMEOUT_MS = 10_000;
const DEFAULT_HEALTH_PROBE_TIMEOUT_MS = 5_000;
const RESTART_MIN_MS = 1000;
const RESTART_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;

export async function startComponent<Options, Calls extends ComponentCalls>(
  def: ComponentDefinition<Options, Calls>,
  opts: StartComponentOptions<Options>,
): Promise<ComponentHandle<Calls>> {
  if (opts.mode === 'inline') return startInline(def, opts);
  const host = new WorkerComponent(def, opts);
  await host.launch();
  return host;
}

async function startInline<Options, Calls extends ComponentCalls>(
  def: ComponentDefinition<Options, Calls>,
  opts: StartComponentOptions<Options>,
): Promise<ComponentHandle<Calls>> {
  const client = createLocalClient(opts.server, def.user, { userAgent: def.userAgent });
  const running: RunningComponent<Calls> = await def.start({ client, options: opts.options, log: opts.log });
  let stopped: Promise<void> | undefined;
  return {
    name: def.name,
    mode: 'inline',
    call: async (method, ...args) => (await running.calls[method]!(...args)) as never,
    health: async () => (stopped ? { healthy: false, message: `${def.name} is stopped` } : running.health()),
    threadCpuMs: async () => undefined,
    stop: () => (stopped ??= running.stop()),
  };
}

class WorkerComponent<Options, Calls extends ComponentCalls> implements ComponentHandle<Calls> {
  readonly mode = 'worker';
  private worker?: Worker;
  private api?: PortTransportServer;
  private nextCallId = 1;
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private stopping = false;
  private stopped?: Promise<void>;
  private restartTimer?: NodeJS.Timeout;
  private crashes = 0;
  private startedAt = 0;

  constructor(private readonly def: ComponentDefinition<Options, Calls>, private readonly opts: StartComponentOptions<Options>) {}

  get name(): string {
    return this.def.name;
  }

  /** Starts a worker; resolves once the component reports ready, rejects if it fails to start. */
  launch(): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    this.api = servePortTransport(port1, new LocalTransport(this.opts.server, this.def.user));
    const data: ComponentWorkerData = { role: COMPONENT_WORKER_ROLE, kind: this.def.name, options: this.opts.options, api: port2 };
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: data,
      transferList: [port2],
      name: `pilothouse ${this.def.name}`,
      ...(this.opts.youngGenerationMb ? { resourceLimits: { maxYoungGenerationSizeMb: this.opts.youngGenerationMb } } : {}),
    });
    this.worker = worker;
    this.startedAt = Date.now();
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: ToHost) => {
        switch (m.t) {
          case 'ready':
            ready = true;
            resolve();
            break;
          case 'failed':
            reject(new Error(`${this.def.name} failed to start: ${m.message}`));
            void worker.terminate();
            break;
          case 'log':
            this.opts.log(m.message);
            break;
          case 'result': {
            const pending = this.calls.get(m.id);
            this.calls.delete(m.id);
            if (m.error !== undefined) pending?.reject(new Error(m.error));
            else pending?.resolve(m.value);
            break;
          }
          case 'stopped':
            void worker.terminate();
            break;
        }
      });
      worker.on('error', (e) => this.opts.log(`${this.def.name}: worker error: ${e.stack ?? e.message}`));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        this.api?.close();
        for (const p of this.calls.values()) p.reject(new Error(`${this.def.name} is not running`));
        this.calls.clear();
        if (!ready) {
          reject(new Error(`${this.def.name} worker exited with code ${code} before it was ready`));
          return;
        }
        if (!this.stopping) this.scheduleRestart(code);
      });
    });
  }

  private scheduleRestart(code: number): void {
    if (Date.now() - this.startedAt > STABLE_AFTER_MS) this.crashes = 0;
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** this.crashes++);
    this.opts.log(`${this.def.name}: worker exited unexpectedly (code ${code}); restarting in ${delay / 1000} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.launch().catch((e: unknown) => {
        this.opts.log(`${this.def.name}: restart failed: ${e instanceof Error ? e.message : String(e)}`);
        if (!this.stopping && !this.worker) this.scheduleRestart(1);
      });
    }, delay);
    this.restartTimer.unref();
  }

  call<K extends keyof Calls & string>(method: K, ...args: Parameters<Calls[K]>): Promise<Awaited<ReturnType<Calls[K]>>> {
    return this.ask((id) => ({ t: 'call', id, method, args })) as Promise<Awaited<ReturnType<Calls[K]>>>;
  }

  async health(): Promise<ComponentHealthState> {
    if (!this.worker || this.stopping) return { healthy: false, message: `${this.def.name} is not running` };
    const timeoutMs = this.opts.healthProbeTimeoutMs ?? DEFAULT_HEALTH_PROBE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ComponentHealthState>((resolve) => {
      timer = setTimeout(() => resolve({
        healthy: false, message: `${this.def.name} did not answer a health probe within ${timeoutMs / 1000} s`,
      }), timeoutMs);
    });
    const answer = (this.ask((id) => ({ t: 'probe', id })) as Promise<ComponentHealthState>)
      .catch((e: unknown): ComponentHealthState => ({ healthy: false, message: e instanceof Error ? e.message : String(e) }));
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  threadCpuMs(): Promise<number | undefined> {
    return this.ask((id) => ({ t: 'cpu', id })) as Promise<number | undefined>;
  }

  /** Sends a request carrying a fresh id; resolves with the worker's `result` for it. */
  private ask(request: (id: number) => ToWorker): Promise<unknown> {
    const worker = this.worker;
    if (!worker || this.stopping) return Promise.reject(new Error(`${this.def.name} is not running`));
    const id = this.nextCallId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      worker.postMessage(request(id));
    });
  }

  stop(): Promise<void> {
    return (this.stopped ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ t: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => {
      this.opts.log(`${this.def.name}: did not stop within ${STOP_TIMEOUT_MS / 1000} s; terminating its worker`);
      void worker.terminate();
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
