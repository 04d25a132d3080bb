/**
 * End-to-end error scenarios with the real kubectl 1.32: the server's Status errors must come out of kubectl
 * exactly as they do against kube-apiserver (validation, strict decoding, decode errors, size limits, not found,
 * already exists, bad selectors, authentication).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

let server: ServeProcess;
let k: Kubectl;

before(async () => {
  server = await startServe();
  k = kubectlFor(server.kubeconfig);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
});

const deployment = (name: string, spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
${spec}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: nginx
`;

test('invalid name → Invalid with the field error lines (create -f)', async () => {
  const r = await k(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata: {a: "1"}\n' });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')\n',
  );
  // Several field errors are listed one per line.
  const many = await k(['create', '-f', '-'], {
    input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Svc\nspec:\n  ports:\n  - port: 0\n',
  });
  assert.equal(many.code, 1);
  const lines = many.stderr.trim().split('\n');
  assert.equal(lines[0], 'The Service "Bad_Svc" is invalid: ');
  assert.ok(lines.includes('* metadata.name: Invalid value: "Bad_Svc": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')'), many.stderr);
  assert.ok(lines.includes('* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'), many.stderr);
});

test('unknown field: Strict (default) → 400 strict decoding error; --validate=warn → Warning and success', async () => {
  const body = deployment('unk', '  foo: 1\n  replicas: 1');
  const strict = await k(['create', '-f', '-'], { input: body });
  assert.equal(strict.code, 1);
  assert.equal(
    strict.stderr,
    'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"\n',
  );
  const verbose = await k(['create', '-f', '-', '-v=6'], { input: body });
  assert.match(verbose.stderr, /POST https:\S+\/apis\/apps\/v1\/namespaces\/default\/deployments\?fieldManager=kubectl-create&fieldValidation=Strict 400 Bad Request/);
  const apply = await k(['apply', '-f', '-'], { input: body });
  assert.equal(apply.code, 1);
  assert.match(apply.stderr, /strict decoding error: unknown field "spec\.foo"$/m);

  const warn = await k(['create', '-f', '-', '--validate=warn'], { input: body });
  assert.equal(warn.code, 0, warn.stderr);
  assert.equal(warn.stdout, 'deployment.apps/unk created\n');
  assert.equal(warn.stderr, 'Warning: unknown field "spec.foo"\n');
  const stored = JSON.parse(await k.ok(['get', 'deploy', 'unk', '-o', 'json'])) as { spec: Record<string, unknown> };
  assert.equal(stored.spec.foo, undefined, 'unknown fields are dropped');

  const ignore = await k(['create', '-f', '-', '--validate=false'], { input: deployment('unk2', '  foo: 1') });
  assert.equal(ignore.code, 0, ignore.stderr);
  assert.equal(ignore.stdout, 'deployment.apps/unk2 created\n');
  assert.equal(ignore.stderr, '');

  const dup = await k(['create', '-f', '-'], {
    input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  bogus: x\ndata: {a: "1"}\n',
  });
  assert.equal(dup.stderr, 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.bogus"\n');
});

test('wrong JSON type → the Go decode error', async () => {
  const r = await k(['create', '-f', '-'], { input: deployment('typed', '  replicas: "3"') });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n',
  );
  const pod = await k(['create', '-f', '-'], {
    input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: {name: c, image: nginx}\n',
  });
  assert.equal(
    pod.stderr,
    'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container\n',
  );
});

test('a body over 3 MiB → RequestEntityTooLarge; a ConfigMap over 1 MiB → Invalid', async () => {
  const dir = server.dataDir;
  const big = join(dir, 'big.json');
  await writeFile(big, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { a: 'x'.repeat(3.2 * 1024 * 1024) } }));
  const r = await k(['create', '-f', big]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `Error from server (RequestEntityTooLarge): error when creating "${big}": Request entity too large: limit is 3145728\n`);

  const large = join(dir, 'large.json');
  await writeFile(large, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'large' }, data: { a: 'x'.repeat(1024 * 1024 + 10) } }));
  const l = await k(['create', '-f', large]);
  assert.equal(l.code, 1);
  assert.equal(l.stderr, 'The ConfigMap "large" is invalid: []: Too long: must have at most 1048576 bytes\n');
});

test('get missing → NotFound; create existing → AlreadyExists; missing namespace → NotFound', async () => {
  const missing = await k(['get', 'configmap', 'missing']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, '');
  assert.equal(missing.stderr, 'Error from server (NotFound): configmaps "missing" not found\n');
  assert.equal((await k(['get', 'deployment', 'nope', '-n', 'kube-system'])).stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  assert.equal((await k(['get', 'namespace', 'nope'])).stderr, 'Error from server (NotFound): namespaces "nope" not found\n');
  assert.equal((await k(['delete', 'configmap', 'missing'])).stderr, 'Error from server (NotFound): configmaps "missing" not found\n');
  const ignored = await k(['delete', 'configmap', 'missing', '--ignore-not-found']);
  assert.equal(ignored.code, 0);
  assert.equal(ignored.stderr, '');

  assert.equal(await k.ok(['create', 'configmap', 'dup', '--from-literal=a=1']), 'configmap/dup created\n');
  const again = await k(['create', 'configmap', 'dup', '--from-literal=a=1']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'error: failed to create configmap: configmaps "dup" already exists\n');
  const againFile = await k(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n' });
  assert.equal(againFile.stderr, 'Error from server (AlreadyExists): error when creating "STDIN": configmaps "dup" already exists\n');
  const nsAgain = await k(['create', 'namespace', 'default']);
  assert.equal(nsAgain.stderr, 'Error from server (AlreadyExists): namespaces "default" already exists\n');

  const noNs = await k(['create', 'configmap', 'x', '-n', 'nope', '--from-literal=a=1']);
  assert.equal(noNs.code, 1);
  assert.equal(noNs.stderr, 'error: failed to create configmap: namespaces "nope" not found\n');
  const noNsFile = await k(['create', '-n', 'nope', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
  assert.equal(noNsFile.stderr, 'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n');
});

test('invalid label selector → BadRequest', async () => {
  const r = await k(['get', 'pods', '-l', 'a in (b']);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a in (b", field selector "": unable to parse requirement: found \'\', expected: \',\' or \')\'\n',
  );
  const eq = await k(['get', 'configmaps', '-l', '=x']);
  assert.equal(
    eq.stderr,
    'Error from server (BadRequest): Unable to find "/v1, Resource=configmaps" that match label selector "=x", field selector "": found \'=\', expected: !, identifier, or \'end of string\'\n',
  );
});

test('deployment whose selector does not match the template labels → Invalid', async () => {
  const r = await k(['create', '-f', '-'], {
    input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: mismatch
spec:
  selector:
    matchLabels: {app: a}
  template:
    metadata:
      labels: {app: b}
    spec:
      containers:
      - name: c
        image: nginx
`,
  });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    'The Deployment "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`\n',
  );
  const missing = await k(['get', 'deploy', 'mismatch']);
  assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "mismatch" not found\n');
});

/** GET over https with the cluster CA but no client certificate. */
function anonymousGet(path: string, ca: string): Promise<{ status: number; contentType: string; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, method: 'GET', headers: { Accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('anonymous request → 401 Status; kubectl with a kubeconfig lacking valid credentials → Unauthorized', async () => {
  const config = parse(await readFile(server.kubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: Record<string, string> }[];
  };
  const ca = Buffer.from(config.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
  for (const path of ['/api/v1/namespaces', '/apis/apps/v1/namespaces/default/deployments/x', '/api']) {
    const r = await anonymousGet(path, ca);
    assert.equal(r.status, 401, path);
    assert.match(r.contentType, /^application\/json/);
    assert.deepEqual(JSON.parse(r.body), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
    });
  }

  config.users[0]!.user = { token: 'not-a-valid-token' };
  const badConfig = join(server.dataDir, 'bad-token.kubeconfig');
  await writeFile(badConfig, stringify(config));
  const bad = kubectlFor(badConfig);
  const raw = await bad(['get', '--raw', '/api/v1/namespaces']);
  assert.equal(raw.code, 1);
  assert.equal(raw.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  // Resource commands fail in discovery first, as against kube-apiserver.
  const get = await bad(['get', 'pods']);
  assert.equal(get.code, 1);
  assert.equal(get.stderr.trim().split('\n').at(-1), 'error: You must be logged in to the server (the server has asked for the client to provide credentials)');
});
