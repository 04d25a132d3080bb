/**
 * The real kubectl's `create <generator>` commands (protobuf request bodies), `create token`, `auth whoami` with a
 * service-account token and `autoscale`, against a fresh `pilothouse serve`. Each command must print upstream's
 * success line and the created object must read back as kube-apiserver would store it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const NS = 'gen';
let serve: ServeProcess;
let k: Kubectl;
let scratch: string;

before(async () => {
  serve = await startServe();
  k = kubectlFor(serve.kubeconfig);
  scratch = await mkdtemp(join(tmpdir(), 'e2e-create-'));
});

after(async () => {
  await serve?.stop();
  await serve?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const get = (args: string[]) => k.ok(['get', ...args]);
const jsonpath = (resource: string, path: string, ns = NS) => k.ok(['get', resource, '-n', ns, '-o', `jsonpath=${path}`]);

/** 10.96.0.0/12 = 10.96.0.0 .. 10.111.255.255 */
function inServiceCidr(ip: string): boolean {
  const p = ip.split('.').map(Number);
  return p.length === 4 && p.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) && p[0] === 10 && p[1]! >= 96 && p[1]! <= 111;
}

test('create namespace prints the created line; a second create is AlreadyExists', async () => {
  assert.equal(await k.ok(['create', 'namespace', NS]), `namespace/${NS} created\n`);
  assert.equal(await k.ok(['get', 'namespace', NS, '-o', 'jsonpath={.status.phase}']), 'Active');
  const again = await k(['create', 'namespace', NS]);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), `Error from server (AlreadyExists): namespaces "${NS}" already exists`);
});

test('create deployment --replicas=3: 0/3 ready, spec.replicas 3; --replicas=0 survives', async () => {
  assert.equal(await k.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '-n', NS]), 'deployment.apps/web created\n');
  const rows = tableRows(await get(['deployment', 'web', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  // UP-TO-DATE is 0 until the deployment controller's first sync, then 3 (pods stay Pending: no nodes here).
  const [name, ready, upToDate, available] = rows[1]!;
  assert.deepEqual([name, ready, available], ['web', '0/3', '0']);
  assert.match(upToDate!, /^[03]$/);
  assert.equal(await jsonpath('deployment/web', '{.spec.replicas}'), '3');
  assert.equal(await jsonpath('deployment/web', '{.spec.template.spec.containers[0].name}={.spec.template.spec.containers[0].image}'), 'nginx=nginx:1.25');
  assert.equal(await jsonpath('deployment/web', '{.spec.selector.matchLabels.app}'), 'web');

  assert.equal(await k.ok(['create', 'deployment', 'idle', '--image=nginx:1.25', '--replicas=0', '-n', NS]), 'deployment.apps/idle created\n');
  assert.equal(await jsonpath('deployment/idle', '{.spec.replicas}'), '0');
  assert.deepEqual(tableRows(await get(['deployment', 'idle', '-n', NS]))[1]!.slice(0, 4), ['idle', '0/0', '0', '0']);
});

test('create configmap --from-literal', async () => {
  assert.equal(await k.ok(['create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3', '-n', NS]), 'configmap/settings created\n');
  assert.equal(await jsonpath('configmap/settings', '{.data.mode},{.data.level}'), 'fast,3');
  const rows = tableRows(await get(['configmap', 'settings', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'DATA', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 2), ['settings', '2']);
});

test('create secret generic --from-literal: base64 data decodes to the literal, type Opaque', async () => {
  const literal = 's3cr3t!with=equals';
  assert.equal(await k.ok(['create', 'secret', 'generic', 'creds', `--from-literal=password=${literal}`, '-n', NS]), 'secret/creds created\n');
  const b64 = await jsonpath('secret/creds', '{.data.password}');
  assert.equal(Buffer.from(b64, 'base64').toString('utf8'), literal);
  assert.equal(await jsonpath('secret/creds', '{.type}'), 'Opaque');
  const rows = tableRows(await get(['secret', 'creds', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'TYPE', 'DATA', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 3), ['creds', 'Opaque', '1']);
});

test('create service clusterip gets a ClusterIP in 10.96.0.0/12; nodeport gets a nodePort in 30000-32767', async () => {
  assert.equal(await k.ok(['create', 'service', 'clusterip', 'backend', '--tcp=80:8080', '-n', NS]), 'service/backend created\n');
  const ip = await jsonpath('service/backend', '{.spec.clusterIP}');
  assert.ok(inServiceCidr(ip), `clusterIP ${ip} not in 10.96.0.0/12`);
  assert.equal(await jsonpath('service/backend', '{.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol} {.spec.selector.app}'),
    'ClusterIP 80 8080 TCP backend');

  assert.equal(await k.ok(['create', 'service', 'nodeport', 'edge', '--tcp=80:8080', '-n', NS]), 'service/edge created\n');
  const nodePort = Number(await jsonpath('service/edge', '{.spec.ports[0].nodePort}'));
  assert.ok(Number.isInteger(nodePort) && nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort} out of range`);
  const edgeIp = await jsonpath('service/edge', '{.spec.clusterIP}');
  assert.ok(inServiceCidr(edgeIp) && edgeIp !== ip, `clusterIP ${edgeIp}`);

  const rows = tableRows(await get(['services', 'backend', 'edge', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 5), ['backend', 'ClusterIP', ip, '<none>', '80/TCP']);
  assert.deepEqual(rows[2]!.slice(0, 5), ['edge', 'NodePort', edgeIp, '<none>', `80:${nodePort}/TCP`]);
});

test('create job and create cronjob', async () => {
  assert.equal(await k.ok(['create', 'job', 'once', '--image=busybox:1.36', '-n', NS, '--', 'echo', 'hi']), 'job.batch/once created\n');
  assert.equal(await jsonpath('job/once', '{.spec.template.spec.containers[0].command} {.spec.template.spec.restartPolicy}'), '["echo","hi"] Never');
  assert.deepEqual(tableRows(await get(['jobs', '-n', NS]))[0], ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);

  assert.equal(await k.ok(['create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=*/5 * * * *', '-n', NS, '--', 'date']), 'cronjob.batch/tick created\n');
  assert.equal(await jsonpath('cronjob/tick', '{.spec.schedule}|{.spec.jobTemplate.spec.template.spec.containers[0].command}'), '*/5 * * * *|["date"]');
  const rows = tableRows(await get(['cronjobs', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 6), ['tick', '*/5 * * * *', '<none>', 'False', '0', '<none>']);
});

test('create serviceaccount', async () => {
  assert.equal(await k.ok(['create', 'serviceaccount', 'robot', '-n', NS]), 'serviceaccount/robot created\n');
  assert.equal(await jsonpath('serviceaccount/robot', '{.metadata.name}'), 'robot');
});

test('create role, rolebinding, clusterrole, clusterrolebinding', async () => {
  assert.equal(await k.ok(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods', '-n', NS]), 'role.rbac.authorization.k8s.io/pod-reader created\n');
  assert.deepEqual(JSON.parse(await jsonpath('role/pod-reader', '{.rules}')), [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);

  assert.equal(await k.ok(['create', 'rolebinding', 'read-pods', '--role=pod-reader', `--serviceaccount=${NS}:robot`, '-n', NS]),
    'rolebinding.rbac.authorization.k8s.io/read-pods created\n');
  assert.equal(await jsonpath('rolebinding/read-pods', '{.roleRef.kind}/{.roleRef.name}'), 'Role/pod-reader');
  assert.equal(await jsonpath('rolebinding/read-pods', '{range .subjects[*]}{.kind}/{.namespace}/{.name};{end}'), `ServiceAccount/${NS}/robot;`);
  assert.deepEqual(tableRows(await get(['rolebinding', 'read-pods', '-n', NS]))[1]!.slice(0, 2), ['read-pods', 'Role/pod-reader']);

  assert.equal(await k.ok(['create', 'clusterrole', 'node-viewer', '--verb=get,list,watch', '--resource=nodes']),
    'clusterrole.rbac.authorization.k8s.io/node-viewer created\n');
  assert.deepEqual(JSON.parse(await k.ok(['get', 'clusterrole', 'node-viewer', '-o', 'jsonpath={.rules}'])),
    [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }]);

  assert.equal(await k.ok(['create', 'clusterrolebinding', 'alice-nodes', '--clusterrole=node-viewer', '--user=alice']),
    'clusterrolebinding.rbac.authorization.k8s.io/alice-nodes created\n');
  assert.equal(await k.ok(['get', 'clusterrolebinding', 'alice-nodes', '-o', 'jsonpath={.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}/{.subjects[0].name}']),
    'ClusterRole/node-viewer User/alice');
});

test('create ingress --rule', async () => {
  assert.equal(await k.ok(['create', 'ingress', 'shop', '--rule=shop.example.com/api*=backend:80', '-n', NS]), 'ingress.networking.k8s.io/shop created\n');
  const p = '{.spec.rules[0].http.paths[0]}';
  const path = JSON.parse(await jsonpath('ingress/shop', p)) as Record<string, unknown>;
  assert.deepEqual(path, { path: '/api', pathType: 'Prefix', backend: { service: { name: 'backend', port: { number: 80 } } } });
  assert.equal(await jsonpath('ingress/shop', '{.spec.rules[0].host}'), 'shop.example.com');
  const rows = tableRows(await get(['ingress', 'shop', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
  assert.deepEqual([rows[1]![0], rows[1]![1], rows[1]![2]], ['shop', '<none>', 'shop.example.com']);
});

test('create quota --hard', async () => {
  assert.equal(await k.ok(['create', 'quota', 'limits', '--hard=pods=10,requests.cpu=2', '-n', NS]), 'resourcequota/limits created\n');
  assert.deepEqual(JSON.parse(await jsonpath('resourcequota/limits', '{.spec.hard}')), { pods: '10', 'requests.cpu': '2' });
});

test('create pdb', async () => {
  assert.equal(await k.ok(['create', 'pdb', 'web-pdb', '--selector=app=web', '--min-available=1', '-n', NS]), 'poddisruptionbudget.policy/web-pdb created\n');
  assert.equal(await jsonpath('pdb/web-pdb', '{.spec.minAvailable} {.spec.selector.matchLabels.app}'), '1 web');
  const rows = tableRows(await get(['pdb', 'web-pdb', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 3), ['web-pdb', '1', 'N/A']);
});

test('create priorityclass', async () => {
  assert.equal(await k.ok(['create', 'priorityclass', 'high', '--value=1000', '--description=important workloads']),
    'priorityclass.scheduling.k8s.io/high created\n');
  assert.equal(await k.ok(['get', 'priorityclass', 'high', '-o', 'jsonpath={.value}|{.description}|{.globalDefault}|{.preemptionPolicy}']),
    '1000|important workloads||PreemptLowerPriority'); // globalDefault is omitempty
  const rows = tableRows(await get(['priorityclass', 'high']));
  assert.deepEqual(rows[0], ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
  assert.deepEqual([rows[1]![0], rows[1]![1], rows[1]![2], rows[1]![4]], ['high', '1000', 'false', 'PreemptLowerPriority']);
});

test('create token <sa>: a JWT for the service account, usable as --token for auth whoami', async () => {
  const token = (await k.ok(['create', 'token', 'robot', '-n', NS])).trim();
  const parts = token.split('.');
  assert.equal(parts.length, 3, `not a JWT: ${token}`);
  const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  assert.match(String(header.alg), /^(RS|ES)256$/);
  const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  assert.equal(payload.sub, `system:serviceaccount:${NS}:robot`);
  assert.equal(typeof payload.exp, 'number');
  const sa = JSON.parse(await k.ok(['get', 'serviceaccount', 'robot', '-n', NS, '-o', 'json'])) as { metadata: { uid: string } };
  assert.deepEqual((payload['kubernetes.io'] as { serviceaccount: unknown }).serviceaccount, { name: 'robot', uid: sa.metadata.uid });

  // A kubeconfig with the cluster (CA) but no client certificate: the token is the only credential.
  const config = parse(await readFile(serve.kubeconfig, 'utf8')) as { users: { user: Record<string, unknown> }[] };
  for (const u of config.users) u.user = {};
  const tokenConfig = join(scratch, 'token-kubeconfig');
  await writeFile(tokenConfig, stringify(config));
  const kt = kubectlFor(tokenConfig);

  const who = await kt.ok(['--token', token, 'auth', 'whoami']);
  const rows = tableRows(who);
  assert.deepEqual(rows[0], ['ATTRIBUTE', 'VALUE']);
  assert.deepEqual(rows.find((r) => r[0] === 'Username'), ['Username', `system:serviceaccount:${NS}:robot`]);
  assert.deepEqual(rows.find((r) => r[0] === 'UID'), ['UID', sa.metadata.uid]);
  assert.deepEqual(rows.find((r) => r[0] === 'Groups'), ['Groups', `[system:serviceaccounts system:serviceaccounts:${NS} system:authenticated]`]);
  assert.equal(await kt.ok(['--token', token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']), `system:serviceaccount:${NS}:robot`);

  // The admin kubeconfig is someone else; an SA without RBAC grants may not list pods.
  assert.notEqual(tableRows(await k.ok(['auth', 'whoami'])).find((r) => r[0] === 'Username')?.[1], `system:serviceaccount:${NS}:robot`);
  const denied = await kt(['--token', token, 'get', 'pods', '-n', NS]);
  assert.equal(denied.code, 1);
  assert.equal(denied.stderr.trim(),
    `Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:${NS}:robot" cannot list resource "pods" in API group "" in the namespace "${NS}"`);
  // A garbage token is not a user at all.
  const bad = await kt(['--token', `${parts[0]}.${parts[1]}.AAAA`, 'auth', 'whoami']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Unauthorized|You must be logged in to the server/);
});

test('autoscale deploy: HPA readable as autoscaling/v2 and as v1 with targetCPUUtilizationPercentage', async () => {
  assert.equal(await k.ok(['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80', '-n', NS]),
    'horizontalpodautoscaler.autoscaling/web autoscaled\n');
  const v2 = JSON.parse(await k.ok(['get', 'horizontalpodautoscalers.v2.autoscaling', 'web', '-n', NS, '-o', 'json'])) as Record<string, any>;
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
  assert.equal(v2.spec.minReplicas, 2);
  assert.equal(v2.spec.maxReplicas, 5);
  assert.deepEqual(v2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);

  const v1 = JSON.parse(await k.ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-n', NS, '-o', 'json'])) as Record<string, any>;
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 80);
  assert.equal(v1.spec.minReplicas, 2);
  assert.equal(v1.spec.maxReplicas, 5);
  assert.equal(v1.metadata.uid, v2.metadata.uid);

  const rows = tableRows(await get(['hpa', 'web', '-n', NS]));
  assert.deepEqual(rows[0], ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
  assert.deepEqual(rows[1]!.slice(0, 5), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', '5']);
});
