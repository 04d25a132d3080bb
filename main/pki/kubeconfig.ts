/**
 * Writes `<dataDir>/kubeconfig` (mode 0600): cluster, user and context all named `pilothouse`, with the CA and
 * the admin client certificate embedded, pointing at the API server's current address.
 */
import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export const KUBECONFIG_NAME = 'pilothouse';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  name?: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function renderKubeconfig(i: KubeconfigInput): string {
  const name = i.name ?? KUBECONFIG_NAME;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: i.server, 'certificate-authority-data': b64(i.caPem) } }],
    users: [{ name, user: { 'client-certificate-data': b64(i.clientCertPem), 'client-key-data': b64(i.clientKeyPem) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, renderKubeconfig(input), { mode: 0o600 });
  await rename(tmp, path);
}
