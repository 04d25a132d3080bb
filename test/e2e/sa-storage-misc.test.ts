/**
 * The serviceaccount, serviceaccount-token, persistentvolume-binder, resourcequota, disruption and
 * horizontalpodautoscaling controllers through the real kubectl against `pilothouse serve --simulated-nodes 2`.
 * The tests share one server and run in order, each in its own namespace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveSuite } from '../helpers/serve-suite.js';
import { kubectlFor, tableRows } from '../helpers/kubectl.js';

const suite = serveSuite({ args: ['--simulated-nodes', '2'], eventuallyMs: 30_000 });
const { k, eventually } = suite;

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
  const tokenConfig = join(suite.serve.dataDir, 'token-kubeconfig');
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

const MY_PV = `apiVersion: v1
kind: PersistentVolume
metadata:
  name: my-pv
spec:
  storageClassName: manual
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  hostPath:
    path: /mnt/data
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: my-pvc
  namespace: storage
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;

test('kubectl get pv,pvc: my-pv and my-pvc are Bound to each other', async () => {
  await k.ok(['create', 'namespace', 'storage']);
  await k.ok(['apply', '-f', '-'], { input: MY_PV });
  await eventually('my-pvc Bound', async () => (await k.ok(['get', 'pvc', 'my-pvc', '-n', 'storage', '-o', 'jsonpath={.status.phase}'])) === 'Bound');
  await eventually('my-pv Bound', async () => (await k.ok(['get', 'pv', 'my-pv', '-o', 'jsonpath={.status.phase}'])) === 'Bound');
  const out = await k.ok(['get', 'pv,pvc', '-n', 'storage']);
  const rows = tableRows(out);
  const pvRow = rows.find((r) => r[0] === 'persistentvolume/my-pv')!;
  assert.deepEqual(pvRow.slice(1, 7), ['1Gi', 'RWO', 'Retain', 'Bound', 'storage/my-pvc', 'manual']);
  const pvcRow = rows.find((r) => r[0] === 'persistentvolumeclaim/my-pvc')!;
  assert.deepEqual(pvcRow.slice(1, 6), ['Bound', 'my-pv', '1Gi', 'RWO', 'manual']);
});

test('a PVC without class gets the default StorageClass and a provisioned volume', async () => {
  const sc = tableRows(await k.ok(['get', 'storageclass']));
  assert.deepEqual(sc[1]!.slice(0, 5), ['standard (default)', 'pilothouse.dev/hostpath', 'Delete', 'Immediate', 'false']);
  await k.ok(['apply', '-n', 'storage', '-f', '-'], {
    input: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 2Gi\n',
  });
  await eventually('data Bound', async () => (await k.ok(['get', 'pvc', 'data', '-n', 'storage', '-o', 'jsonpath={.status.phase}'])) === 'Bound');
  const uid = await k.ok(['get', 'pvc', 'data', '-n', 'storage', '-o', 'jsonpath={.metadata.uid}']);
  const row = tableRows(await k.ok(['get', 'pvc', 'data', '-n', 'storage']))[1]!;
  assert.deepEqual(row.slice(0, 6), ['data', 'Bound', `pvc-${uid}`, '2Gi', 'RWO', 'standard']);
  const described = await k.ok(['describe', 'pvc', 'data', '-n', 'storage']);
  assert.match(described, /ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);
  await k.ok(['delete', 'pvc', 'data', '-n', 'storage']);
  await eventually('provisioned volume deleted', async () => (await k(['get', 'pv', `pvc-${uid}`])).code !== 0);
});

test('kubectl get pdb: ALLOWED DISRUPTIONS follows the ready pods', async () => {
  await k.ok(['create', 'namespace', 'pdb']);
  for (const i of [1, 2, 3])
    await k.ok(['run', `web-${i}`, '-n', 'pdb', '--image=nginx:1.27', '--labels=app=web']);
  await k.ok(['create', 'pdb', 'web', '-n', 'pdb', '--selector=app=web', '--min-available=1']);
  await k.ok(['wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '-n', 'pdb', '--timeout=30s']);
  await eventually('2 disruptions allowed', async () => tableRows(await k.ok(['get', 'pdb', '-n', 'pdb']))[1]?.[3] === '2');
  const rows = tableRows(await k.ok(['get', 'pdb', '-n', 'pdb']));
  assert.deepEqual(rows[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 4), ['web', '1', 'N/A', '2']);
  const cond = await k.ok(['get', 'pdb', 'web', '-n', 'pdb', '-o', 'jsonpath={.status.conditions[0].type}={.status.conditions[0].reason}']);
  assert.equal(cond, 'DisruptionAllowed=SufficientPods');
});

test('kubectl describe hpa: without a metrics API the HPA reports why it cannot scale, and minReplicas still applies', async () => {
  await k.ok(['create', 'namespace', 'hpa']);
  await k.ok(['create', 'deployment', 'web', '-n', 'hpa', '--image=nginx:1.27', '--replicas=1']);
  await k.ok(['autoscale', 'deployment', 'web', '-n', 'hpa', '--cpu-percent=50', '--min=2', '--max=4']);
  await eventually('scaled to minReplicas', async () => (await k.ok(['get', 'deployment', 'web', '-n', 'hpa', '-o', 'jsonpath={.spec.replicas}'])) === '2');
  await eventually('metrics failure reported', async () => /FailedComputeMetricsReplicas/.test(await k.ok(['describe', 'hpa', 'web', '-n', 'hpa'])));
  const out = await k.ok(['describe', 'hpa', 'web', '-n', 'hpa']);
  // After the rescale the next sync finds the metrics missing and reports reading the scale, as upstream.
  assert.match(out, /AbleToScale\s+True\s+SucceededGetScale\s+the HPA controller was able to get the target's current scale/);
  assert.match(out, /Warning\s+FailedComputeMetricsReplicas\s+.*horizontal-pod-autoscaler\s+invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu resource metric value: failed to get cpu utilization:/);
  assert.match(out, /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource \(get pods\.metrics\.k8s\.io\)/);
  assert.match(out, /Normal\s+SuccessfulRescale\s+.*horizontal-pod-autoscaler\s+New size: 2; reason: Current number of replicas below Spec.MinReplicas/);
  const row = tableRows(await k.ok(['get', 'hpa', 'web', '-n', 'hpa']))[1]!;
  assert.deepEqual(row.slice(0, 6), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '2', '4', '2']);
});

test('kubectl describe quota: used follows the namespace’s objects', async () => {
  await k.ok(['create', 'namespace', 'quota']);
  await k.ok(['create', 'quota', 'q', '-n', 'quota', '--hard=pods=5,configmaps=4,requests.cpu=1']);
  await k.ok(['create', 'configmap', 'one', '-n', 'quota', '--from-literal=a=b']);
  await k.ok(['run', 'p', '-n', 'quota', '--image=nginx:1.27', '--overrides={"spec":{"containers":[{"name":"p","image":"nginx:1.27","resources":{"requests":{"cpu":"250m"}}}]}}']);
  // configmaps: the one created plus kube-root-ca.crt if a publisher made it; read the expected count from the API.
  await eventually('quota used', async () => {
    const cms = tableRows(await k.ok(['get', 'configmaps', '-n', 'quota'])).length - 1;
    const used = await k.ok(['get', 'quota', 'q', '-n', 'quota', '-o', 'jsonpath={.status.used.pods} {.status.used.configmaps} {.status.used.requests\\.cpu}']);
    return used === `1 ${cms} 250m`;
  });
  const out = await k.ok(['describe', 'quota', 'q', '-n', 'quota']);
  assert.match(out, /pods\s+1\s+5/);
  assert.match(out, /requests\.cpu\s+250m\s+1/);
});
