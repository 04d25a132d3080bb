import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { KUBECONFIG_NAME, renderKubeconfig, writeKubeconfig } from '../../../main/pki/kubeconfig.js';

const input = { server: 'https://127.0.0.1:6443', caPem: 'CA PEM\n', clientCertPem: 'CERT PEM\n', clientKeyPem: 'KEY PEM\n' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('renders a kubeconfig with cluster, user and context named pilothouse and embedded credentials', () => {
  assert.equal(KUBECONFIG_NAME, 'pilothouse');
  assert.deepEqual(parse(renderKubeconfig(input)), {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'pilothouse', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64('CA PEM\n') } }],
    users: [{ name: 'pilothouse', user: { 'client-certificate-data': b64('CERT PEM\n'), 'client-key-data': b64('KEY PEM\n') } }],
    contexts: [{ name: 'pilothouse', context: { cluster: 'pilothouse', user: 'pilothouse' } }],
    'current-context': 'pilothouse',
    preferences: {},
  });
});

test('a custom name is used for all three entries', () => {
  const k = parse(renderKubeconfig({ ...input, server: 'https://[::1]:7000', name: 'lab' }));
  assert.equal(k.clusters[0].name, 'lab');
  assert.equal(k.clusters[0].cluster.server, 'https://[::1]:7000');
  assert.equal(k.users[0].name, 'lab');
  assert.deepEqual(k.contexts[0], { name: 'lab', context: { cluster: 'lab', user: 'lab' } });
  assert.equal(k['current-context'], 'lab');
});

test('writeKubeconfig writes the rendering with mode 0600, replacing an existing file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pilothouse-kc-'));
  try {
    const path = join(dir, 'kubeconfig');
    await writeKubeconfig(path, input);
    await writeKubeconfig(path, { ...input, server: 'https://127.0.0.1:7443' });
    assert.equal(await readFile(path, 'utf8'), renderKubeconfig({ ...input, server: 'https://127.0.0.1:7443' }));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
