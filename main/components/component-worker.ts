/**
 * The entry of a component worker thread (started by component-host.ts; bundled on its own as
 * dist/component-worker.js): builds the component's client on the API port, starts the component, then serves
 * the host's calls, health probes and stop request. Nothing here runs on a timer: an idle component's thread
 * sleeps until the API or the host has something for it.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createKubeClient } from '../client/transport.js';
import type { ComponentCalls, RunningComponent } from './component.js';
import { componentKinds } from './component-kinds.js';
import { COMPONENT_WORKER_ROLE, type ComponentWorkerData, type ToHost, type ToWorker } from './component-protocol.js';
import { PortTransport } from './port-transport.js';
import { threadCpuMs } from './thread-cpu.js';

const message = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));

async function runComponentWorker(host: MessagePort, data: ComponentWorkerData): Promise<void> {
  const send = (m: ToHost) => host.postMessage(m);
  const def = componentKinds.get(data.kind);
  if (!def) {
    send({ t: 'failed', message: `unknown component "${data.kind}"` });
    return;
  }
  const transport = new PortTransport(data.api);
  const client = createKubeClient(transport, { userAgent: def.userAgent });
  const log = (m: string) => send({ t: 'log', message: m });
  // Calls and stop may arrive while the component is still starting: they wait for it.
  let started: Promise<RunningComponent<ComponentCalls>> | undefined;

  host.on('message', (m: ToWorker) => {
    if (m.t === 'call') {
      void started!.then((running) => {
        const fn = running.calls[m.method];
        if (!fn) throw new Error(`component ${def.name} has no call "${m.method}"`);
        return fn(...m.args);
      }).then(
        (value) => send({ t: 'result', id: m.id, value }),
        (e: unknown) => send({ t: 'result', id: m.id, error: message(e) }),
      );
    } else if (m.t === 'cpu') {
      send({ t: 'result', id: m.id, value: threadCpuMs() });
    } else if (m.t === 'probe') {
      void started!.then(
        (running) => send({ t: 'result', id: m.id, value: running.health() }),
        (e: unknown) => send({ t: 'result', id: m.id, error: message(e) }),
      );
    } else if (m.t === 'stop') {
      void started!.then((running) => running.stop()).catch((e: unknown) => log(`${def.name}: stop failed: ${message(e)}`)).finally(() => {
        transport.close();
        send({ t: 'stopped' });
      });
    }
  });

  started = def.start({ client, options: data.options, log });
  try {
    await started;
  } catch (e) {
    send({ t: 'failed', message: message(e) });
    return;
  }
  send({ t: 'ready' });
}

const data = workerData as ComponentWorkerData | undefined;
if (parentPort && data?.role === COMPONENT_WORKER_ROLE) void runComponentWorker(parentPort, data);
