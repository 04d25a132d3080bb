/**
 * `pilothouse serve --simulated-nodes <n>`: makes sure SimulatedNodes sim-node-1..n exist. Existing ones (from
 * an earlier run: they are API objects and survive restarts) are left as they are; missing ones are created
 * with default spec, `concurrency` at a time so a thousand nodes register in one burst of batched writes.
 */
import type { SimulatedNode } from '../../../api/pilothouse.dev/v1alpha1/simulated-node.js';
import { isAlreadyExists, type KubeClient } from '../../../client/kube-client.js';
import { SIMULATED_NODES } from './simulated-node-provider.js';

export const simulatedNodeName = (i: number): string => `sim-node-${i}`;

/** Returns how many SimulatedNodes were created. */
export async function ensureSimulatedNodes(client: KubeClient, count: number, concurrency = 64): Promise<number> {
  if (count <= 0) return 0;
  const existing = new Set((await client.list<SimulatedNode>(SIMULATED_NODES, '')).items.map((s) => s.metadata.name));
  const missing: string[] = [];
  for (let i = 1; i <= count; i++) if (!existing.has(simulatedNodeName(i))) missing.push(simulatedNodeName(i));
  let next = 0;
  let created = 0;
  const worker = async () => {
    while (next < missing.length) {
      const name = missing[next++]!;
      try {
        await client.create<SimulatedNode>(SIMULATED_NODES, '', {
          apiVersion: 'pilothouse.dev/v1alpha1',
          kind: 'SimulatedNode',
          metadata: { name },
          spec: {},
        });
        created++;
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, missing.length) }, worker));
  return created;
}
