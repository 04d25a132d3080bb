/**
 * The controller manager: builds the enabled controllers on one shared informer factory, starts the informers,
 * waits for their caches, then runs the controllers. One event recorder per component name.
 */
import { EventRecorder } from '../client/event-recorder.js';
import { stripManagedFields } from '../client/informer.js';
import type { KubeClient } from '../client/kube-client.js';
import { SharedInformerFactory } from '../client/shared-informer-factory.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';
import type { ControllerManagerOptions } from './controller-manager-options.js';

export interface ControllerManagerDeps {
  client: KubeClient;
  options: ControllerManagerOptions;
  log: (message: string) => void;
  /** The controllers available (default: allControllers); tests pass their own. */
  factories: readonly ControllerFactory[];
  now?: () => number;
}

export class ControllerManager {
  readonly informers: SharedInformerFactory;
  private readonly recorders = new Map<string, EventRecorder>();
  private controllers: Controller[] = [];
  private running = false;

  constructor(private readonly deps: ControllerManagerDeps) {
    // Controllers never need managedFields from their caches (upstream strips them too).
    this.informers = new SharedInformerFactory(deps.client, { log: deps.log, transform: stripManagedFields });
  }

  /** Names of the controllers this manager runs. */
  names(): string[] {
    return this.controllers.map((c) => c.name);
  }

  isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    const { options, factories } = this.deps;
    const wanted = options.controllers ? new Set(options.controllers) : undefined;
    if (wanted) {
      const known = new Set(factories.map((f) => f.name));
      const unknown = [...wanted].filter((n) => !known.has(n));
      if (unknown.length) throw new Error(`unknown controllers: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
    }
    const ctx: ControllerContext = {
      client: this.deps.client,
      informers: this.informers,
      recorder: (component) => this.recorder(component),
      options,
      log: this.deps.log,
      now: this.deps.now ?? Date.now,
    };
    this.controllers = factories.filter((f) => !wanted || wanted.has(f.name)).map((f) => f.create(ctx));
    this.informers.start();
    await this.informers.waitForSync();
    for (const c of this.controllers) c.run();
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.controllers.map((c) => c.stop().catch((e: unknown) => this.deps.log(`${c.name}: stop failed: ${String(e)}`))));
    this.informers.stop();
    await Promise.all([...this.recorders.values()].map((r) => r.flush().catch(() => {})));
    for (const r of this.recorders.values()) r.stop();
  }

  private recorder(component: string): EventRecorder {
    let r = this.recorders.get(component);
    if (!r) this.recorders.set(component, (r = new EventRecorder(this.deps.client, { component, log: this.deps.log })));
    return r;
  }
}
