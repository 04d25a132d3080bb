/**
 * `pilothouse serve` lifecycle, end to end with the real kubectl: first start in an empty data dir (kubeconfig,
 * PKI, health endpoints, anonymous access, seeded objects), restart persistence (same uids, growing
 * resourceVersions, reused certificates), clean shutdown on SIGTERM/SIGINT, the data dir lock, and the CLI's
 * argument handling.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CLI, startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
}

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let parent: string;
let dataDir: string;
let port: number;
let server: ServeProcess;
let kubectl: Kubectl;
let ca: string;
let firstStartUid: string;
let persisted: { uid: string; resourceVersion: string };
let pkiBefore: Record<string, string>;

const mode = (p: string) => statSync(p).mode & 0o777;
const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function portIsFree(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function readKubeconfig(dir = dataDir): Promise<Kubeconfig> {
  return parseYaml(await readFile(join(dir, 'kubeconfig'), 'utf8')) as Kubeconfig;
}

/** HTTPS request to the server; `auth` adds the admin client certificate from the kubeconfig. */
async function get(path: string, opts: { auth?: boolean; headers?: Record<string, string>; url?: string } = {}): Promise<HttpResult> {
  const kc = await readKubeconfig();
  const u = new URL(path, opts.url ?? server.url);
  const o: RequestOptions = {
    method: 'GET',
    hostname: u.hostname,
    port: u.port,
    path: u.pathname + u.search,
    ca: b64(kc.clusters[0]!.cluster['certificate-authority-data']),
    headers: opts.headers,
    agent: false,
  };
  if (opts.auth) {
    o.cert = b64(kc.users[0]!.user['client-certificate-data']);
    o.key = b64(kc.users[0]!.user['client-key-data']);
  }
  return new Promise((resolve, reject) => {
    const req = request(o, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs the CLI directly (not through startServe) and collects its exit code and output. */
function runCli(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function readPki(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of ['ca.crt', 'ca.key', 'apiserver.crt', 'apiserver.key', 'admin.crt', 'admin.key', 'sa.key', 'sa.pub'])
    out[f] = await readFile(join(dataDir, 'pki', f), 'utf8');
  return out;
}

/** Stops the server with `signal`, asserting exit code 0 within `limitMs`; returns the elapsed time. */
async function stopPromptly(s: ServeProcess, signal: NodeJS.Signals, limitMs = 3000): Promise<number> {
  const t0 = Date.now();
  const code = await Promise.race([
    s.stop(signal),
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), limitMs)),
  ]);
  const elapsed = Date.now() - t0;
  assert.notEqual(code, 'timeout', `serve did not exit within ${limitMs} ms after ${signal}:\n${s.output()}`);
  assert.equal(code, 0, `exit code after ${signal}:\n${s.output()}`);
  assert.match(s.output(), new RegExp(`${signal}: shutting down`));
  return elapsed;
}

before(async () => {
  parent = await mkdtemp(join(tmpdir(), 'pilothouse-lifecycle-'));
  // A data dir that does not exist yet: serve creates it.
  dataDir = join(parent, 'data');
  port = await freePort();
  server = await startServe({ dataDir, args: ['--api-port', String(port)] });
  kubectl = kubectlFor(server.kubeconfig);
});

after(async () => {
  await server?.stop('SIGKILL');
  await rm(parent, { recursive: true, force: true });
});

test('first start creates the data dir and announces the chosen port', () => {
  assert.ok(existsSync(dataDir));
  assert.equal(mode(dataDir), 0o700);
  assert.equal(server.url, `https://127.0.0.1:${port}`);
  assert.match(server.output(), /Pilothouse control plane ready in \d+ ms/);
  assert.ok(server.output().includes(`kubeconfig:  ${join(dataDir, 'kubeconfig')}`), server.output());
});

test('kubeconfig: mode 0600, everything named pilothouse, CA and client cert embedded, server URL with the port', async () => {
  const path = join(dataDir, 'kubeconfig');
  assert.equal(mode(path), 0o600);
  const kc = await readKubeconfig();
  assert.equal(kc.apiVersion, 'v1');
  assert.equal(kc.kind, 'Config');
  assert.equal(kc['current-context'], 'pilothouse');
  assert.deepEqual(kc.clusters.map((c) => c.name), ['pilothouse']);
  assert.deepEqual(kc.users.map((u) => u.name), ['pilothouse']);
  assert.deepEqual(kc.contexts, [{ name: 'pilothouse', context: { cluster: 'pilothouse', user: 'pilothouse' } }]);
  assert.equal(kc.clusters[0]!.cluster.server, `https://127.0.0.1:${port}`);

  ca = b64(kc.clusters[0]!.cluster['certificate-authority-data']);
  const clientCert = b64(kc.users[0]!.user['client-certificate-data']);
  const clientKey = b64(kc.users[0]!.user['client-key-data']);
  assert.equal(ca, await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8'));
  assert.equal(clientCert, await readFile(join(dataDir, 'pki', 'admin.crt'), 'utf8'));
  assert.equal(clientKey, await readFile(join(dataDir, 'pki', 'admin.key'), 'utf8'));

  const caCert = new X509Certificate(ca);
  const admin = new X509Certificate(clientCert);
  assert.ok(caCert.ca, 'the embedded CA is a CA certificate');
  assert.ok(admin.verify(caCert.publicKey), 'the client certificate is signed by the embedded CA');
  assert.match(admin.subject, /O=system:masters/);

  // kubectl sees the same thing.
  assert.equal((await kubectl.ok(['config', 'current-context'])).trim(), 'pilothouse');
  assert.equal((await kubectl.ok(['config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'])).trim(), `https://127.0.0.1:${port}`);
});

test('PKI files exist; private keys are 0600', () => {
  const pki = join(dataDir, 'pki');
  assert.equal(mode(pki), 0o700);
  for (const f of ['ca.crt', 'apiserver.crt', 'admin.crt', 'sa.pub']) assert.ok(existsSync(join(pki, f)), f);
  for (const f of ['ca.key', 'apiserver.key', 'admin.key', 'sa.key']) assert.equal(mode(join(pki, f)), 0o600, f);
});

test('the serving certificate is issued by the CA and valid for 127.0.0.1 and localhost', async () => {
  const serving = new X509Certificate(await readFile(join(dataDir, 'pki', 'apiserver.crt'), 'utf8'));
  assert.ok(serving.verify(new X509Certificate(ca).publicKey));
  assert.equal(serving.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(serving.checkHost('localhost'), 'localhost');
  assert.equal(serving.checkHost('kubernetes.default.svc'), 'kubernetes.default.svc');
});

test('/readyz, /livez, /healthz answer ok, with and without a client certificate', async () => {
  for (const path of ['/readyz', '/livez', '/healthz']) {
    for (const auth of [false, true]) {
      const r = await get(path, { auth });
      assert.equal(r.status, 200, `${path} auth=${auth}: ${r.body}`);
      assert.equal(r.body, 'ok', `${path} auth=${auth}`);
    }
  }
  assert.equal((await kubectl.ok(['get', '--raw', '/readyz'])).trim(), 'ok');
  const verbose = await get('/readyz?verbose', { auth: false });
  assert.equal(verbose.status, 200);
  assert.match(verbose.body, /^\[\+\]etcd ok$/m);
  assert.match(verbose.body, /readyz check passed\n?$/);
});

test('/version reports Kubernetes 1.32', async () => {
  const r = await get('/version', { auth: true });
  assert.equal(r.status, 200);
  const v = JSON.parse(r.body) as Record<string, string>;
  assert.equal(v.major, '1');
  assert.equal(v.minor, '32');
  assert.match(v.gitVersion!, /^v1\.32\.\d+/);
  const out = await kubectl.ok(['version']);
  assert.match(out, /^Server Version: v1\.32\.\d+/m);
});

test('other paths without a client certificate: 401 Unauthorized Status', async () => {
  for (const path of ['/api', '/apis', '/api/v1/namespaces', '/apis/apps/v1/deployments', '/openapi/v3', '/api/v1/namespaces/default/configmaps/x', '/nope']) {
    const r = await get(path, { auth: false });
    assert.equal(r.status, 401, path);
    assert.match(String(r.headers['content-type']), /^application\/json/, path);
    assert.deepEqual(JSON.parse(r.body), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
    }, path);
  }
  // The same paths work with the client certificate.
  assert.equal((await get('/api/v1/namespaces', { auth: true })).status, 200);
  // An invalid bearer token is rejected even on the health endpoints (upstream: bearer authn failure → 401).
  assert.equal((await get('/readyz', { headers: { Authorization: 'Bearer not-a-token' } })).status, 401);
});

test('kubectl with credentials the server does not accept gets the upstream Unauthorized error', async () => {
  // A kubeconfig with the cluster (server + CA) but a made-up token instead of the client certificate. (A user
  // without any credentials would make kubectl prompt for a username.)
  const anonymous = join(parent, 'anonymous.kubeconfig');
  const kc = await readKubeconfig();
  await writeFile(anonymous, stringifyYaml({
    apiVersion: 'v1', kind: 'Config', clusters: kc.clusters,
    users: [{ name: 'nobody', user: { token: 'not-a-valid-token' } }],
    contexts: [{ name: 'anon', context: { cluster: 'pilothouse', user: 'nobody' } }],
    'current-context': 'anon',
  }));
  const r = await kubectlFor(anonymous)(['get', 'namespaces']);
  assert.notEqual(r.code, 0);
  // Discovery is the first request to fail: client-go's message for a 401 there.
  assert.match(r.stderr, /couldn't get current server API group list: the server has asked for the client to provide credentials/);
  assert.match(r.stderr, /^error: You must be logged in to the server \(the server has asked for the client to provide credentials\)$/m);
});

test('seeded: system namespaces and the kubernetes Service', async () => {
  const rows = tableRows(await kubectl.ok(['get', 'namespaces']));
  assert.deepEqual(rows[0], ['NAME', 'STATUS', 'AGE']);
  const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    assert.ok(byName.has(ns), `namespace ${ns} missing:\n${rows.join('\n')}`);
    assert.equal(byName.get(ns)![1], 'Active', ns);
  }
  const svc = tableRows(await kubectl.ok(['get', 'service', 'kubernetes', '-n', 'default']));
  assert.deepEqual(svc[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  assert.deepEqual(svc[1]!.slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
  firstStartUid = (await kubectl.ok(['get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.uid}'])).trim();
  assert.match(firstStartUid, /^[0-9a-f-]{36}$/);
});

test('a second server on the same data dir fails with a clear error while the first runs', async () => {
  const kubeconfigBefore = await readFile(join(dataDir, 'kubeconfig'), 'utf8');
  const r = await runCli(['serve', '--data-dir', dataDir, '--api-port', '0']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^error: .*data directory .* is already in use by process \d+/m);
  assert.doesNotMatch(r.stdout, /API server:/);
  // The running server is unaffected, and its kubeconfig was not rewritten.
  assert.equal(await readFile(join(dataDir, 'kubeconfig'), 'utf8'), kubeconfigBefore);
  assert.equal((await get('/readyz')).body, 'ok');
  assert.equal((await kubectl.ok(['get', 'namespace', 'default', '-o', 'name'])).trim(), 'namespace/default');
});

test('objects created before a restart survive it; certificates are reused; SIGTERM exits 0 promptly', async () => {
  assert.equal((await kubectl.ok(['create', 'namespace', 'team-a'])).trim(), 'namespace/team-a created');
  assert.equal(
    (await kubectl.ok(['create', 'configmap', 'persist', '-n', 'team-a', '--from-literal=color=blue', '--from-literal=size=3'])).trim(),
    'configmap/persist created',
  );
  assert.equal((await kubectl.ok(['create', 'deployment', 'web', '-n', 'team-a', '--image=nginx:1.27'])).trim(), 'deployment.apps/web created');
  const cm = JSON.parse(await kubectl.ok(['get', 'configmap', 'persist', '-n', 'team-a', '-o', 'json'])) as {
    metadata: { uid: string; resourceVersion: string };
  };
  persisted = { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion };
  pkiBefore = await readPki();

  const elapsed = await stopPromptly(server, 'SIGTERM');
  assert.ok(elapsed < 3000, `SIGTERM took ${elapsed} ms`);
  assert.ok(!existsSync(join(dataDir, 'store', 'store.lock')), 'the data dir lock is released on SIGTERM');

  server = await startServe({ dataDir, args: ['--api-port', String(port)] });
  assert.equal(server.url, `https://127.0.0.1:${port}`);
  // Same certificates, same kubeconfig credentials: the old kubectl config keeps working.
  assert.deepEqual(await readPki(), pkiBefore);
  const kc = await readKubeconfig();
  assert.equal(b64(kc.clusters[0]!.cluster['certificate-authority-data']), pkiBefore['ca.crt']);
  assert.equal(b64(kc.users[0]!.user['client-certificate-data']), pkiBefore['admin.crt']);

  const after = JSON.parse(await kubectl.ok(['get', 'configmap', 'persist', '-n', 'team-a', '-o', 'json'])) as {
    metadata: { uid: string; resourceVersion: string };
    data: Record<string, string>;
  };
  assert.equal(after.metadata.uid, persisted.uid);
  assert.equal(after.metadata.resourceVersion, persisted.resourceVersion);
  assert.deepEqual(after.data, { color: 'blue', size: '3' });
  assert.equal((await kubectl.ok(['get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.uid}'])).trim(), firstStartUid);
  const deploy = tableRows(await kubectl.ok(['get', 'deployments', '-n', 'team-a']));
  assert.deepEqual(deploy[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.equal(deploy[1]![0], 'web');
  // Seeding is idempotent: still exactly one kubernetes Service.
  assert.equal((await kubectl.ok(['get', 'services', '-n', 'default', '-o', 'name'])).trim(), 'service/kubernetes');

  // resourceVersions continue to grow after the restart.
  assert.equal((await kubectl.ok(['label', 'configmap', 'persist', '-n', 'team-a', 'restarted=yes'])).trim(), 'configmap/persist labeled');
  const updated = JSON.parse(await kubectl.ok(['get', 'configmap', 'persist', '-n', 'team-a', '-o', 'json'])) as {
    metadata: { uid: string; resourceVersion: string; labels: Record<string, string> };
  };
  assert.deepEqual(updated.metadata.labels, { restarted: 'yes' });
  assert.equal(updated.metadata.uid, persisted.uid);
  assert.ok(BigInt(updated.metadata.resourceVersion) > BigInt(persisted.resourceVersion),
    `${updated.metadata.resourceVersion} > ${persisted.resourceVersion}`);
  const created = JSON.parse(await kubectl.ok(['create', 'configmap', 'later', '-n', 'team-a', '-o', 'json'])) as {
    metadata: { resourceVersion: string };
  };
  assert.ok(BigInt(created.metadata.resourceVersion) > BigInt(updated.metadata.resourceVersion));
  persisted = { uid: persisted.uid, resourceVersion: created.metadata.resourceVersion };
});

test('SIGINT exits 0 promptly and releases the data dir lock', async () => {
  const elapsed = await stopPromptly(server, 'SIGINT');
  assert.ok(elapsed < 3000, `SIGINT took ${elapsed} ms`);
  assert.ok(!existsSync(join(dataDir, 'store', 'store.lock')));
  // The lock is free: a new server starts on the same data dir and has everything.
  server = await startServe({ dataDir, args: ['--api-port', String(port)] });
  const rv = (await kubectl.ok(['get', 'configmap', 'later', '-n', 'team-a', '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();
  assert.equal(rv, persisted.resourceVersion);
  assert.deepEqual(await readPki(), pkiBefore);
  await stopPromptly(server, 'SIGTERM');
});

test('a signal sent the moment the ready line appears still shuts down cleanly (exit 0)', async () => {
  const dir = join(parent, 'early-signal');
  for (let i = 0; i < 6; i++) {
    const signal: NodeJS.Signals = i % 2 ? 'SIGINT' : 'SIGTERM';
    const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dir, '--api-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (/ready in \d+ ms/.test(out) && !child.killed) child.kill(signal);
    });
    const [code, sig] = await new Promise<[number | null, string | null]>((r) => child.once('exit', (c, s) => r([c, s])));
    assert.deepEqual([code, sig], [0, null], `run ${i} (${signal}):\n${out}`);
    assert.match(out, new RegExp(`${signal}: shutting down`));
    assert.ok(!existsSync(join(dir, 'store', 'store.lock')), 'lock released');
  }
});

test('--api-port defaults to 6443 (documented in the usage)', async (t) => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /pilothouse serve --data-dir <dir> \[--api-port <port>\]/);
  assert.match(help.stdout, /--api-port <port>\s+HTTPS port of the API server \(default 6443; 0 = any free port\)/);
  if (!(await portIsFree(6443))) {
    t.skip('port 6443 is in use on this machine');
    return;
  }
  const dir = join(parent, 'default-port');
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        if (/API server:/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`exited ${code}:\n${out}`)));
    });
    assert.match(out, /API server:\s+https:\/\/127\.0\.0\.1:6443\n/);
    assert.equal((await readKubeconfig(dir)).clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0);
});

test('bad CLI arguments exit 2 with the usage', async () => {
  const cases: [string[], RegExp][] = [
    [[], /^Usage:\n  pilothouse serve --data-dir <dir>/],
    [['frobnicate'], /^error: unknown command "frobnicate"\n\nUsage:/],
    [['serve'], /^error: --data-dir is required\n\nUsage:/],
    [['serve', '--data-dir', join(parent, 'x'), '--bogus'], /^error: unknown option "--bogus"\n\nUsage:/],
    [['serve', '--data-dir', join(parent, 'x'), '--api-port', 'http'], /^error: --api-port must be a port number \(0-65535\), got "http"\n\nUsage:/],
    [['serve', '--data-dir', join(parent, 'x'), '--api-port', '70000'], /^error: --api-port must be a port number/],
    [['serve', '--data-dir'], /^error: --data-dir needs a value\n\nUsage:/],
  ];
  for (const [args, expected] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout + r.stderr, expected, args.join(' '));
    assert.match(r.stdout + r.stderr, /--api-port <port>/);
  }
  // Nothing was started or created for the rejected invocations.
  assert.ok(!existsSync(join(parent, 'x')));
});
