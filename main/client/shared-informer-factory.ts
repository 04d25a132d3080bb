/**
 * One informer per (resource, namespace, label selector, field selector), shared by every component in the
 * process — the scheduler, controllers and simulated nodes then hold one cache and one watch per resource.
 * Unlike client-go, an informer requested after start() is started at once (no second start() call needed).
 */
import type { KObject } from '../api/meta/object.js';
import { Informer, type InformerOptions } from './informer.js';
import type { KubeClient, ResourceRef } from './kube-client.js';

export type SharedInformerOptions = Pick<InformerOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>;

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KObject>>();
  private started = false;
  private stopped = false;

  constructor(private readonly client: KubeClient, private readonly defaults: Pick<InformerOptions, 'pageSize' | 'log' | 'transform'> = {}) {}

  informerFor<T extends KObject>(r: ResourceRef, opts: SharedInformerOptions = {}): Informer<T> {
    const key = [r.group, r.version, r.plural, opts.namespace ?? '', opts.labelSelector ?? '', opts.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KObject>(this.client, r, { ...this.defaults, ...opts });
      this.informers.set(key, inf);
      if (this.started && !this.stopped) void inf.start().catch(() => {});
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts every informer created so far (and any created later). Does not wait; see waitForSync(). */
  start(): void {
    if (this.stopped) throw new Error('informer factory is stopped');
    this.started = true;
    for (const inf of this.informers.values()) void inf.start().catch(() => {});
  }

  /** Resolves when every started informer has synced; rejects if one failed to. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}
