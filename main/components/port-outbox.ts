/**
 * Messages for one MessagePort, sent in batches: everything queued within one turn of the event loop crosses in a
 * single postMessage (an array, in order). A burst — a hundred lease renewals, their watch events and responses —
 * then costs the receiving thread one wake-up and one message dispatch rather than one per message.
 */
import type { MessagePort } from 'node:worker_threads';

export class PortOutbox<M> {
  private queue: M[] = [];
  private scheduled = false;

  constructor(private readonly port: MessagePort) {}

  send(message: M): void {
    this.queue.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends what is queued now (before closing the port, say). */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.port.postMessage(batch);
  }
}

/** Subscribes `handle` to every message of the batches arriving on `port`. */
export function onBatches<M>(port: MessagePort, handle: (message: M) => void): void {
  port.on('message', (batch: M[]) => {
    for (const m of batch) handle(m);
  });
}
