/**
 * Write paths of the real kubectl against a fresh `pilothouse serve`: client-side and server-side apply (with an
 * SSA conflict), diff, label/annotate, the three patch types, edit with a scripted editor, replace of a stale
 * object, scale with preconditions, server-side dry runs, deletes, and generation / resourceVersion rules.
 * Fixtures: test/fixtures/e2e/writes/.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, tableRows, type Kubectl } from '../helpers/kubectl.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/e2e/writes/', import.meta.url));
const fx = (name: string) => join(FIXTURES, name);

let serve: ServeProcess;
let k: Kubectl;
let scratch: string;

before(async () => {
  serve = await startServe();
  k = kubectlFor(serve.kubeconfig);
  scratch = await mkdtemp(join(tmpdir(), 'e2e-writes-'));
});

after(async () => {
  await serve?.stop();
  await serve?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const jp = (resource: string, path: string, ns = 'shop') => k.ok(['get', resource, '-n', ns, '-o', `jsonpath=${path}`]);
const json = async (resource: string, ns = 'shop') =>
  JSON.parse(await k.ok(['get', resource, '-n', ns, '-o', 'json', '--show-managed-fields'])) as Record<string, any>;
const meta = async (resource: string, ns = 'shop') => {
  const [generation, resourceVersion] = (await jp(resource, '{.metadata.generation} {.metadata.resourceVersion}', ns)).split(' ');
  return { generation: Number(generation), resourceVersion: resourceVersion! };
};
const images = () => jp('deployment/web', '{range .spec.template.spec.containers[*]}{.name}={.image} {end}');

/** Expects kubectl to fail with exit code 1 and returns its stderr. */
async function fails(args: string[], opts?: { env?: Record<string, string> }): Promise<string> {
  const r = await k(args, opts);
  assert.equal(r.code, 1, `expected failure of kubectl ${args.join(' ')}; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r.stderr;
}

test('apply -f of a multi-document file creates each object, in file order', async () => {
  assert.equal(await k.ok(['apply', '-f', fx('shop.yaml')]), 'namespace/shop created\ndeployment.apps/web created\nservice/web created\n');
  const d = await json('deployment/web');
  assert.equal(d.metadata.generation, 1);
  assert.equal(d.spec.replicas, 2);
  const lastApplied = JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']) as Record<string, any>;
  assert.equal(lastApplied.spec.replicas, 2);
  assert.ok(d.metadata.managedFields.some((m: any) => m.manager === 'kubectl-client-side-apply' && m.operation === 'Update'));
  assert.equal(await jp('service/web', '{.spec.ports[0].port}'), '80');
});

test('apply again without changes: unchanged lines, no write (resourceVersion and generation stay)', async () => {
  const before = await meta('deployment/web');
  assert.equal(await k.ok(['apply', '-f', fx('shop.yaml')]), 'namespace/shop unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n');
  assert.deepEqual(await meta('deployment/web'), before);
});

test('diff -f exits 1 and shows the change; exits 0 with no output when there is none; nothing is written', async () => {
  const before = await meta('deployment/web');
  const r = await k(['diff', '-f', fx('shop-v2.yaml')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^diff -u -N .*apps\.v1\.Deployment\.shop\.web/m);
  assert.match(r.stdout, /^-  replicas: 2$/m);
  assert.match(r.stdout, /^\+  replicas: 4$/m);
  assert.match(r.stdout, /^-  generation: 1$/m);
  assert.match(r.stdout, /^\+  generation: 2$/m);
  assert.doesNotMatch(r.stdout, /v1\.Service|v1\.Namespace/);

  const same = await k(['diff', '-f', fx('shop.yaml')]);
  assert.equal(same.code, 0, same.stderr);
  assert.equal(same.stdout, '');
  assert.deepEqual(await meta('deployment/web'), before);
});

test('apply with a change: configured / unchanged lines; generation bumps, resourceVersion changes', async () => {
  const before = await meta('deployment/web');
  assert.equal(await k.ok(['apply', '-f', fx('shop-v2.yaml')]), 'namespace/shop unchanged\ndeployment.apps/web configured\nservice/web unchanged\n');
  const after = await meta('deployment/web');
  assert.equal(after.generation, before.generation + 1);
  assert.notEqual(after.resourceVersion, before.resourceVersion);
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '4');
  const rows = tableRows(await k.ok(['get', 'deployment', 'web', '-n', 'shop']));
  assert.deepEqual(rows[1]!.slice(0, 2), ['web', '0/4']);
});

test('label: add, refuse to overwrite without --overwrite, overwrite, remove with key-; labels do not bump generation', async () => {
  const before = await meta('deployment/web');
  assert.equal(await k.ok(['label', 'deployment', 'web', '-n', 'shop', 'tier=frontend']), 'deployment.apps/web labeled\n');
  const afterLabel = await meta('deployment/web');
  assert.equal(afterLabel.generation, before.generation);
  assert.notEqual(afterLabel.resourceVersion, before.resourceVersion);

  assert.equal((await fails(['label', 'deployment', 'web', '-n', 'shop', 'tier=backend'])).trim(),
    "error: 'tier' already has a value (frontend), and --overwrite is false");
  assert.equal(await jp('deployment/web', '{.metadata.labels.tier}'), 'frontend');
  assert.equal(await k.ok(['label', 'deployment', 'web', '-n', 'shop', 'tier=backend', '--overwrite']), 'deployment.apps/web labeled\n');
  assert.equal(await jp('deployment/web', '{.metadata.labels.tier}'), 'backend');
  assert.equal(await k.ok(['label', 'deployment', 'web', '-n', 'shop', 'tier-']), 'deployment.apps/web unlabeled\n');
  assert.equal(await jp('deployment/web', '{.metadata.labels}'), '{"app":"web"}');
  assert.equal((await meta('deployment/web')).generation, before.generation);
});

test('annotate: add, refuse to overwrite, --overwrite, remove', async () => {
  assert.equal(await k.ok(['annotate', 'deployment', 'web', '-n', 'shop', 'owner=team-a']), 'deployment.apps/web annotated\n');
  assert.equal((await fails(['annotate', 'deployment', 'web', '-n', 'shop', 'owner=team-b'])).trim(),
    "error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (team-a)");
  assert.equal(await k.ok(['annotate', 'deployment', 'web', '-n', 'shop', 'owner=team-b', '--overwrite']), 'deployment.apps/web annotated\n');
  assert.equal(await jp('deployment/web', '{.metadata.annotations.owner}'), 'team-b');
  assert.equal(await k.ok(['annotate', 'deployment', 'web', '-n', 'shop', 'owner-']), 'deployment.apps/web annotated\n');
  assert.equal(await jp('deployment/web', '{.metadata.annotations.owner}'), '');
  // A ConfigMap has no generation; annotating a Service keeps its spec.
  assert.equal(await k.ok(['annotate', 'service', 'web', '-n', 'shop', 'owner=team-a']), 'service/web annotated\n');
});

test('patch: strategic (default) merges containers by name; --type=merge; --type=json', async () => {
  assert.equal(await images(), 'nginx=nginx:1.25 sidecar=busybox:1.36 ');
  const before = await meta('deployment/web');
  const smp = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}';
  assert.equal(await k.ok(['patch', 'deployment', 'web', '-n', 'shop', '-p', smp]), 'deployment.apps/web patched\n');
  assert.equal(await images(), 'nginx=nginx:1.27 sidecar=busybox:1.36 ');
  assert.equal(await jp('deployment/web', '{.spec.template.spec.containers[1].command}'), '["sleep","3600"]');
  const afterSmp = await meta('deployment/web');
  assert.equal(afterSmp.generation, before.generation + 1);
  assert.equal(await k.ok(['patch', 'deployment', 'web', '-n', 'shop', '-p', smp]), 'deployment.apps/web patched (no change)\n');
  assert.deepEqual(await meta('deployment/web'), afterSmp);

  // A JSON merge patch replaces lists wholesale; use it on a scalar.
  assert.equal(await k.ok(['patch', 'deployment', 'web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"minReadySeconds":5}}']), 'deployment.apps/web patched\n');
  assert.equal(await jp('deployment/web', '{.spec.minReadySeconds}'), '5');

  assert.equal(await k.ok(['patch', 'deployment', 'web', '-n', 'shop', '--type=json', '-p',
    '[{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels/patched","value":"json"}]']), 'deployment.apps/web patched\n');
  assert.equal(await jp('deployment/web', '{.spec.replicas} {.metadata.labels.patched}'), '3 json');
  assert.equal(await images(), 'nginx=nginx:1.27 sidecar=busybox:1.36 ');

  const bad = await fails(['patch', 'deployment', 'web', '-n', 'shop', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]']);
  assert.match(bad, /^The request is invalid/);
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '3');
});

test('edit with a scripted EDITOR: edited; an editor that changes nothing cancels', async () => {
  const before = await meta('deployment/web');
  const out = await k.ok(['edit', 'deployment', 'web', '-n', 'shop'], { env: { EDITOR: 'sed -i -e s/nginx:1.27/nginx:1.28/' } });
  assert.equal(out, 'deployment.apps/web edited\n');
  assert.equal(await images(), 'nginx=nginx:1.28 sidecar=busybox:1.36 ');
  const after = await meta('deployment/web');
  assert.equal(after.generation, before.generation + 1);
  assert.ok(((await json('deployment/web')).metadata.managedFields as any[]).some((m: any) => m.manager === 'kubectl-edit'));

  const r = await k(['edit', 'deployment', 'web', '-n', 'shop'], { env: { EDITOR: 'true' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), 'Edit cancelled, no changes made.');
  assert.deepEqual(await meta('deployment/web'), after);
});

test('replace -f of a stale object: the exact Conflict message; with a fresh resourceVersion: replaced', async () => {
  const stale = await json('deployment/web');
  const file = join(scratch, 'stale-web.json');
  stale.spec.replicas = 7;
  await writeFile(file, JSON.stringify(stale));
  assert.equal(await k.ok(['label', 'deployment', 'web', '-n', 'shop', 'bump=1']), 'deployment.apps/web labeled\n');
  assert.equal((await fails(['replace', '-f', file])).trim(),
    `Error from server (Conflict): error when replacing "${file}": Operation cannot be fulfilled on deployments.apps "web": ` +
    'the object has been modified; please apply your changes to the latest version and try again');
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '3');

  const fresh = await json('deployment/web');
  fresh.spec.replicas = 7;
  await writeFile(file, JSON.stringify(fresh));
  assert.equal(await k.ok(['replace', '-f', file]), 'deployment.apps/web replaced\n');
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '7');
});

test('scale --replicas, and --current-replicas as a precondition', async () => {
  const before = await meta('deployment/web');
  assert.equal(await k.ok(['scale', 'deployment', 'web', '-n', 'shop', '--replicas=3']), 'deployment.apps/web scaled\n');
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '3');
  assert.equal((await meta('deployment/web')).generation, before.generation + 1);
  assert.equal((await fails(['scale', 'deployment', 'web', '-n', 'shop', '--current-replicas=9', '--replicas=4'])).trim(),
    'error: Expected replicas to be 9, was 3');
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '3');
  assert.equal(await k.ok(['scale', 'deployment', 'web', '-n', 'shop', '--current-replicas=3', '--replicas=4']), 'deployment.apps/web scaled\n');
  assert.equal(await jp('deployment/web', '{.spec.replicas}'), '4');
  // kubectl's scale wraps the NotFound in its own message.
  assert.equal((await fails(['scale', 'deployment', 'missing', '-n', 'shop', '--replicas=1'])).trim(),
    'error: no objects passed to scale deployments.apps "missing" not found');
});

test('apply --server-side: serverside-applied, an Apply managedFields entry for kubectl, no-op re-apply writes nothing', async () => {
  assert.equal(await k.ok(['apply', '--server-side', '-f', fx('api-ssa.yaml')]), 'deployment.apps/api serverside-applied\n');
  const d = await json('deployment/api');
  const entries = d.metadata.managedFields as any[];
  const apply = entries.find((m) => m.manager === 'kubectl' && m.operation === 'Apply');
  assert.ok(apply, JSON.stringify(entries));
  assert.equal(apply.apiVersion, 'apps/v1');
  assert.equal(apply.fieldsType, 'FieldsV1');
  assert.ok(apply.fieldsV1['f:spec']['f:replicas'], JSON.stringify(apply.fieldsV1));
  assert.equal(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);

  const before = await meta('deployment/api');
  assert.equal(await k.ok(['apply', '--server-side', '-f', fx('api-ssa.yaml')]), 'deployment.apps/api serverside-applied\n');
  assert.deepEqual(await meta('deployment/api'), before);
});

test('SSA conflict after kubectl scale took .spec.replicas; --force-conflicts takes it back', async () => {
  assert.equal(await k.ok(['scale', 'deployment', 'api', '-n', 'shop', '--replicas=5']), 'deployment.apps/api scaled\n');
  const scaled = (await json('deployment/api')).metadata.managedFields as any[];
  assert.ok(scaled.some((m) => m.manager === 'kubectl' && m.operation === 'Update' && m.subresource === 'scale'), JSON.stringify(scaled));

  const err = await fails(['apply', '--server-side', '-f', fx('api-ssa.yaml')]);
  assert.equal(err.split('\n')[0],
    'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  assert.match(err, /the apply\s+command with the `--force-conflicts` flag/);
  assert.equal(await jp('deployment/api', '{.spec.replicas}'), '5');

  assert.equal(await k.ok(['apply', '--server-side', '--force-conflicts', '-f', fx('api-ssa.yaml')]), 'deployment.apps/api serverside-applied\n');
  assert.equal(await jp('deployment/api', '{.spec.replicas}'), '2');
  const after = (await json('deployment/api')).metadata.managedFields as any[];
  assert.ok(!after.some((m) => m.subresource === 'scale' && m.fieldsV1?.['f:spec']?.['f:replicas']), JSON.stringify(after));
  // Now the applier owns replicas again: a plain re-apply has no conflict.
  assert.equal(await k.ok(['apply', '--server-side', '-f', fx('api-ssa.yaml')]), 'deployment.apps/api serverside-applied\n');
});

test('--dry-run=server create / apply / delete print (server dry run) and persist nothing', async () => {
  assert.equal(await k.ok(['create', 'deployment', 'dry', '--image=nginx:1.25', '-n', 'shop', '--dry-run=server']),
    'deployment.apps/dry created (server dry run)\n');
  assert.equal((await fails(['get', 'deployment', 'dry', '-n', 'shop'])).trim(), 'Error from server (NotFound): deployments.apps "dry" not found');

  assert.equal(await k.ok(['apply', '-f', fx('dry-configmap.yaml'), '--dry-run=server']), 'configmap/dry-cm created (server dry run)\n');
  assert.equal((await fails(['get', 'configmap', 'dry-cm', '-n', 'shop'])).trim(), 'Error from server (NotFound): configmaps "dry-cm" not found');
  assert.equal(await k.ok(['apply', '--server-side', '-f', fx('dry-configmap.yaml'), '--dry-run=server']), 'configmap/dry-cm serverside-applied (server dry run)\n');
  assert.equal((await fails(['get', 'configmap', 'dry-cm', '-n', 'shop'])).trim(), 'Error from server (NotFound): configmaps "dry-cm" not found');

  assert.equal(await k.ok(['apply', '-f', fx('dry-configmap.yaml')]), 'configmap/dry-cm created\n');
  const rv = (await meta('configmap/dry-cm')).resourceVersion;
  assert.equal(await k.ok(['apply', '-f', fx('dry-configmap-v2.yaml'), '--dry-run=server']), 'configmap/dry-cm configured (server dry run)\n');
  assert.equal(await jp('configmap/dry-cm', '{.data.mode}'), 'dry');
  assert.equal(await k.ok(['label', 'configmap', 'dry-cm', '-n', 'shop', 'x=y', '--dry-run=server']), 'configmap/dry-cm labeled (server dry run)\n');
  assert.equal(await k.ok(['delete', 'configmap', 'dry-cm', '-n', 'shop', '--dry-run=server']), 'configmap "dry-cm" deleted (server dry run)\n');
  assert.equal(await jp('configmap/dry-cm', '{.data.mode} {.metadata.labels}'), 'dry ');
  assert.equal((await meta('configmap/dry-cm')).resourceVersion, rv);
  assert.equal(await k.ok(['delete', 'configmaps', '--all', '-n', 'shop', '--dry-run=server']), 'configmap "dry-cm" deleted (server dry run)\n');
  assert.equal(await k.ok(['get', 'configmaps', '-n', 'shop', '-o', 'name']), 'configmap/dry-cm\n');
});

test('delete -l, delete --all, and delete of a pod that was never scheduled (gone at once)', async () => {
  assert.equal(await k.ok(['create', 'namespace', 'trash']), 'namespace/trash created\n');
  for (const n of ['a', 'b', 'c']) assert.equal(await k.ok(['create', 'configmap', `cm-${n}`, '-n', 'trash', `--from-literal=k=${n}`]), `configmap/cm-${n} created\n`);
  assert.equal(await k.ok(['label', 'configmap', 'cm-a', 'cm-b', '-n', 'trash', 'sweep=yes']), 'configmap/cm-a labeled\nconfigmap/cm-b labeled\n');

  assert.equal(await k.ok(['delete', 'configmaps', '-l', 'sweep=yes', '-n', 'trash']), 'configmap "cm-a" deleted\nconfigmap "cm-b" deleted\n');
  assert.equal(await k.ok(['get', 'configmaps', '-n', 'trash', '-o', 'name']), 'configmap/cm-c\n');
  const none = await k(['delete', 'configmaps', '-l', 'sweep=yes', '-n', 'trash']);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, 'No resources found\n');
  assert.equal(await k.ok(['delete', 'configmaps', '--all', '-n', 'trash']), 'configmap "cm-c" deleted\n');
  const empty = await k(['get', 'configmaps', '-n', 'trash']);
  assert.equal(empty.code, 0);
  assert.equal(empty.stdout, '');
  assert.equal(empty.stderr.trim(), 'No resources found in trash namespace.');

  assert.equal(await k.ok(['run', 'lonely', '--image=nginx:1.25', '-n', 'trash']), 'pod/lonely created\n');
  assert.equal(await jp('pod/lonely', '{.status.phase}|{.spec.nodeName}', 'trash'), 'Pending|');
  const started = Date.now();
  assert.equal(await k.ok(['delete', 'pod', 'lonely', '-n', 'trash']), 'pod "lonely" deleted\n');
  assert.ok(Date.now() - started < 10_000, `delete took ${Date.now() - started} ms`);
  assert.equal((await fails(['get', 'pod', 'lonely', '-n', 'trash'])).trim(), 'Error from server (NotFound): pods "lonely" not found');
  assert.equal((await fails(['delete', 'pod', 'lonely', '-n', 'trash'])).trim(), 'Error from server (NotFound): pods "lonely" not found');
});

test('metadata.generation: label changes do not bump it, spec changes do; resourceVersion moves on every write only', async () => {
  const cm = async () => (await meta('configmap/dry-cm')).resourceVersion;
  const rv0 = await cm();
  assert.equal(await k.ok(['apply', '-f', fx('dry-configmap.yaml')]), 'configmap/dry-cm unchanged\n');
  assert.equal(await cm(), rv0);
  assert.equal(await k.ok(['apply', '-f', fx('dry-configmap-v2.yaml')]), 'configmap/dry-cm configured\n');
  const rv1 = await cm();
  assert.notEqual(rv1, rv0);
  assert.ok(Number(rv1) > Number(rv0), `${rv1} <= ${rv0}`);

  const g0 = await meta('deployment/web');
  await k.ok(['label', 'deployment', 'web', '-n', 'shop', 'color=blue']);
  const g1 = await meta('deployment/web');
  assert.equal(g1.generation, g0.generation);
  assert.notEqual(g1.resourceVersion, g0.resourceVersion);
  await k.ok(['patch', 'deployment', 'web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"replicas":6}}']);
  const g2 = await meta('deployment/web');
  assert.equal(g2.generation, g1.generation + 1);
  assert.notEqual(g2.resourceVersion, g1.resourceVersion);
  // A no-op patch changes neither.
  assert.equal(await k.ok(['patch', 'deployment', 'web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"replicas":6}}']), 'deployment.apps/web patched (no change)\n');
  assert.deepEqual(await meta('deployment/web'), g2);
});
