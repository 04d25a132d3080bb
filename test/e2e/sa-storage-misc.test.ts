/**
 * The serviceaccount, serviceaccount-token, persistentvolume-binder, resourcequota, disruption and
 * horizontalpodautoscaling controllers through the real kubectl against `pilothouse serve --simulated-nodes 2`.
 * The tests share one server and run in order, each in its own namespace.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually as eventuallyOn, startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

let serve: ServeProcess;
let k: Kubectl;

before(async () => {
  serve = await startServe({ args: ['--simulated-nodes', '2'] });
  k = kubectlFor(serve.kubeconfig);
});

after(async () => {
  await serve?.stop();
  await serve?.cleanup();
});

const eventually = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => eventuallyOn(serve, what, check, timeoutMs);

test('kubectl get sa -n x: a new namespace gets its default ServiceAccount', async () => {
  await k.ok(['create', 'namespace', 'sa-x']);
  await eventually('default SA in sa-x', async () => tableRows((await k(['get', 'sa', '-n', 'sa-x'])).stdout).some((r) => r[0] === 'default'));
  const rows = tableRows(await k.ok(['get', 'sa', '-n', 'sa-x']));
  assert.deepEqual(rows[0], ['NAME', 'SECRETS', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 2), ['default', '0']);
});

test('a service-account-token secret gets a token the API server accepts (kubectl --token)', async () => {
  await k.ok(['create', 'namespace', 'sa-tok']);
  await k.ok(['create', 'serviceaccount', 'robot', '-n', 'sa-tok']);
  await k.ok(['apply', '-n', 'sa-tok', '-f', '-'], {
    input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: robot-token\n  annotations:\n    kubernetes.io/service-account.name: robot\ntype: kubernetes.io/service-account-token\n',
  });
  await eventually('token filled', async () => (await k(['get', 'secret', 'robot-token', '-n', 'sa-tok', '-o', 'jsonpath={.data.token}'])).stdout.length > 0);
  const described = await k.ok(['describe', 'secret', 'robot-token', '-n', 'sa-tok']);
  assert.match(described, /ca\.crt:\s+\d+ bytes/);
  assert.match(described, /namespace:\s+6 bytes/);
  const token = Buffer.from(await k.ok(['get', 'secret', 'robot-token', '-n', 'sa-tok', '-o', 'jsonpath={.data.token}']), 'base64').toString();
  // A kubeconfig with the cluster but no client certificate, so only the token identifies the caller.
  const server = await k.ok(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.server}']);
  const ca = await k.ok(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}']);
  const tokenConfig = join(serve.dataDir, 'token-kubeconfig');
  writeFileSync(tokenConfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority-data: ${ca}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n`);
  const kt = kubectlFor(tokenConfig);
  assert.equal(await kt.ok(['--token', token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']), 'system:serviceaccount:sa-tok:robot');
  // Authenticated as the account: until RBAC exists only system:masters may list pods, so this is a 403 naming it.
  const pods = await kt(['--token', token, 'get', 'pods', '-n', 'sa-tok']);
  assert.match(pods.stderr, /User "system:serviceaccount:sa-tok:robot" cannot list resource "pods"/);
  const bad = await kt(['--token', `${token}x`, 'get', 'pods', '-n', 'sa-tok']);
  assert.match(bad.stderr, /Unauthorized/);
  await k.ok(['delete', 'sa', 'robot', '-n', 'sa-tok']);
  await eventually('token secret deleted with its account', async () => (await k(['get', 'secret', 'robot-token', '-n', 'sa-tok'])).code !== 0);
});
