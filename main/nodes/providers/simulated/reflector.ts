/**
 * A minimal list-then-watch mirror of one resource (client-go's reflector + store, reduced to what the
 * simulated provider needs): the first list fills the cache and reports every object, the watch continues from
 * the list's resourceVersion, and any abnormal end (410 Gone after compaction, a dropped stream) relists and
 * reconciles — objects that vanished meanwhile are reported deleted. Handlers run synchronously per event.
 */
import type { KObject } from '../../../api/meta/object.js';
import { objectKey, type KubeClient, type ResourceRef, type WatchHandle } from '../../../client/kube-client.js';
import type { Clock, TimerHandle } from './clock.js';

export interface ReflectorHandlers<T extends KObject> {
  upsert(obj: T, old: T | undefined): void;
  remove(obj: T): void;
}

export class Reflector<T extends KObject> {
  readonly cache = new Map<string, T>();
  private watch?: WatchHandle;
  private retry?: TimerHandle;
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly ref: ResourceRef,
    private readonly handlers: ReflectorHandlers<T>,
    private readonly clock: Clock,
    private readonly opts: { labelSelector?: string; log?: (m: string) => void } = {},
  ) {}

  /** Resolves after the first list has been delivered to the handlers. */
  async start(): Promise<void> {
    await this.listAndWatch();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    this.retry?.cancel();
  }

  private async listAndWatch(): Promise<void> {
    const list = await this.client.list<T>(this.ref, '', { labelSelector: this.opts.labelSelector });
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old || old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.handlers.upsert(obj, old);
    }
    for (const [key, obj] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.handlers.remove(obj);
    }
    this.watch = this.client.watch<T>(
      this.ref,
      '',
      { resourceVersion: list.resourceVersion, labelSelector: this.opts.labelSelector, allowBookmarks: true },
      (e) => {
        if (this.stopped || e.type === 'BOOKMARK' || e.type === 'ERROR') return;
        const key = objectKey(e.object);
        if (e.type === 'DELETED') {
          const old = this.cache.get(key);
          this.cache.delete(key);
          this.handlers.remove(old ?? e.object);
          return;
        }
        const old = this.cache.get(key);
        this.cache.set(key, e.object);
        this.handlers.upsert(e.object, old);
      },
    );
    void this.watch.done.then((err) => {
      if (this.stopped) return;
      if (err) this.opts.log?.(`simulated nodes: ${this.ref.plural} watch ended (${err.message}); relisting`);
      this.retry = this.clock.after(err ? 1000 : 0, () => void this.relist());
    });
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.listAndWatch();
    } catch (err) {
      this.opts.log?.(`simulated nodes: relisting ${this.ref.plural} failed: ${String(err)}`);
      this.retry = this.clock.after(1000, () => void this.relist());
    }
  }
}
