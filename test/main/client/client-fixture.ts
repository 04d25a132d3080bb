/** A real in-process control plane over a memory store, plus a local and an HTTPS client to it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../../main/api/meta/object.js';
import { LOOPBACK_USER } from '../../../main/apiserver/authn/user-info.js';
import { createHttpsClient } from '../../../main/client/https-client.js';
import type { KubeClient } from '../../../main/client/kube-client.js';
import { createLocalClient } from '../../../main/client/local-client.js';
import { startControlPlane, type ControlPlane } from '../../../main/control-plane/control-plane.js';
import { openMemoryStore, type MemoryStoreOptions } from '../../../main/store/memory-store.js';

export interface ClientFixture {
  cp: ControlPlane;
  local: KubeClient;
  https: KubeClient & { close(): void };
  stop(): Promise<void>;
}

export async function startClientFixture(opts: { history?: MemoryStoreOptions['history'] } = {}): Promise<ClientFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pilothouse-client-'));
  const cp = await startControlPlane({ dataDir, apiPort: 0, store: openMemoryStore({ history: opts.history }), log: () => {},
    components: { scheduler: false, simulatedNodes: false, controllerManager: false } });
  const local = createLocalClient(cp.server, LOOPBACK_USER, { userAgent: 'client-test/1.0' });
  const https = createHttpsClient({ kubeconfigPath: cp.kubeconfigPath, userAgent: 'client-test/1.0' });
  return {
    cp, local, https,
    async stop() {
      https.close();
      await cp.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal valid pod. */
export function pod(name: string, extra: { labels?: Record<string, string>; namespace?: string; nodeName?: string } = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: extra.namespace ?? 'default', labels: extra.labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until true (or throws after `ms`). */
export async function eventually(cond: () => boolean | Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}
