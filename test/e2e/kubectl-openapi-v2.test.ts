/**
 * OpenAPI v2 through the real kubectl 1.32: a `kind: List` file is not covered by the server-side
 * fieldValidation check, so kubectl validates its items on the client against the models it builds from
 * `GET /openapi/v2` (gnostic protobuf). create/apply of such a file must work, unknown fields must be
 * reported the way kubectl words them, `--validate=false` must bypass that, and `explain` stays on v3.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

let server: ServeProcess;
let k: Kubectl;
let dir: string;

before(async () => {
  server = await startServe();
  k = kubectlFor(server.kubeconfig);
  dir = await mkdtemp(join(tmpdir(), 'openapi-v2-e2e-'));
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
});

function configMapList(names: string[], extra = ''): string {
  return ['apiVersion: v1', 'kind: List', 'metadata: {}', 'items:',
    ...names.map((n, i) => `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: ${n}\n  data:\n    key${i}: "v${i}"${i === names.length - 1 ? extra : ''}`),
  ].join('\n') + '\n';
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

test('kubectl create -f of a kind: List validates its items against /openapi/v2 and creates them', async () => {
  const f = await file('create.yaml', configMapList(['v2-create-a', 'v2-create-b']));
  assert.equal(await k.ok(['create', '-f', f]), 'configmap/v2-create-a created\nconfigmap/v2-create-b created\n');
  assert.match(await k.ok(['get', 'configmap', 'v2-create-b', '-o', 'jsonpath={.data.key1}']), /^v1$/);
});

test('kubectl apply -f of a kind: List: created, then unchanged', async () => {
  const f = await file('apply.yaml', configMapList(['v2-apply-a', 'v2-apply-b']));
  assert.equal(await k.ok(['apply', '-f', f]), 'configmap/v2-apply-a created\nconfigmap/v2-apply-b created\n');
  assert.equal(await k.ok(['apply', '-f', f]), 'configmap/v2-apply-a unchanged\nconfigmap/v2-apply-b unchanged\n');
  const changed = await file('apply2.yaml', configMapList(['v2-apply-a', 'v2-apply-b']).replace('"v1"', '"changed"'));
  assert.equal(await k.ok(['apply', '-f', changed]), 'configmap/v2-apply-a unchanged\nconfigmap/v2-apply-b configured\n');
});

test('an unknown field in a List item is rejected by kubectl with its usual wording; nothing is created', async () => {
  const f = await file('bad.yaml', configMapList(['v2-bad-a', 'v2-bad-b'], '\n  bogus: 1'));
  for (const verb of ['create', 'apply']) {
    const r = await k([verb, '-f', f]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr,
      `error: error validating "${f}": error validating data: ValidationError(ConfigMap): unknown field "bogus" in io.k8s.api.core.v1.ConfigMap; ` +
      'if you choose to ignore these errors, turn validation off with --validate=false\n');
  }
  const get = await k(['get', 'configmap', 'v2-bad-a']);
  assert.match(get.stderr, /NotFound|not found/);
});

test('nested unknown fields are found through references and arrays (Deployment → Container)', async () => {
  const f = await file('deploy.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: v2-web
  spec:
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
        - name: web
          image: nginx
          imagePullPolicyy: Always
`);
  const r = await k(['create', '-f', f]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /ValidationError\(Deployment\.spec\.template\.spec\.containers\[0\]\): unknown field "imagePullPolicyy" in io\.k8s\.api\.core\.v1\.Container/);
  assert.equal(await k.ok(['create', '-f', f, '--validate=false']), 'deployment.apps/v2-web created\n');
});

test('--validate=false skips client-side validation (the server drops the unknown field)', async () => {
  const f = await file('novalidate.yaml', configMapList(['v2-nv-a', 'v2-nv-b'], '\n  bogus: 1'));
  assert.equal(await k.ok(['create', '-f', f, '--validate=false']), 'configmap/v2-nv-a created\nconfigmap/v2-nv-b created\n');
  assert.equal(await k.ok(['get', 'configmap', 'v2-nv-b', '-o', 'jsonpath={.data.key1}']), 'v1');
});

test('kubectl explain keeps working (OpenAPI v3); /openapi/v2 answers 404 to anything but the protobuf fetch', async () => {
  const out = await k.ok(['explain', 'configmap.data']);
  assert.match(out, /KIND:\s+ConfigMap/);
  assert.match(out, /FIELD: data <map\[string\]string>/);
  const raw = await k(['get', '--raw', '/openapi/v2']);
  assert.notEqual(raw.code, 0);
  assert.match(raw.stderr, /NotFound|could not find the requested resource/);
});
