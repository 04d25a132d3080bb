/**
 * A controller's periodic resync (upstream's resyncPeriod: re-enqueue every object of a kind so that conditions
 * nothing signals — a metric that moved, a bound volume whose claim vanished — are looked at again), run on the
 * shared wall-clock grid (aligned-ticker.ts) and only while there is something to resync: with no objects of the
 * watched kinds the ticker is stopped, so an idle cluster without HPAs or volumes is never woken for them.
 */
import type { Informer } from '../client/informer.js';
import { everyAligned, type Ticker } from '../timing/aligned-ticker.js';

export interface Resync {
  stop(): void;
}

/** Calls `resync` every `periodMs` (aligned) while any of `informers` holds an object. */
export function resyncWhileAny(informers: Informer<any>[], periodMs: number, resync: () => void): Resync {
  let ticker: Ticker | undefined;
  let stopped = false;
  const update = () => {
    const any = !stopped && informers.some((i) => i.store.size > 0);
    if (any && !ticker) ticker = everyAligned(periodMs, resync);
    else if (!any && ticker) {
      ticker.stop();
      ticker = undefined;
    }
  };
  const disposers = informers.map((i) => i.addHandler({ onAdd: update, onDelete: update }));
  update();
  return {
    stop() {
      stopped = true;
      for (const d of disposers) d();
      update();
    },
  };
}
