/**
 * End-to-end read scenarios with the real kubectl 1.32: `get` tables and output formats, selectors, watch,
 * paging, describe, explain, discovery, auth and cluster-level read commands — compared with upstream output.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, table, tableRows, type Kubectl } from '../helpers/kubectl.js';

const here = dirname(fileURLToPath(import.meta.url));
/** test/fixtures/e2e/reads, from dist/test/e2e. */
const FIXTURES = resolve(here, '../../../test/fixtures/e2e/reads');

let server: ServeProcess;
let k: Kubectl;

before(async () => {
  server = await startServe();
  k = kubectlFor(server.kubeconfig);
  const out = await k.ok(['apply', '-f', `${FIXTURES}/objects.yaml`]);
  assert.match(out, /^namespace\/reads created$/m);
  assert.match(out, /^pod\/web-1 created$/m);
  assert.match(out, /^deployment\.apps\/shop created$/m);
  assert.match(out, /^service\/shop created$/m);
  assert.match(out, /^configmap\/settings created$/m);
  assert.match(out, /^job\.batch\/once created$/m);
  assert.match(out, /^cronjob\.batch\/nightly created$/m);
});

after(async () => {
  await server?.stop();
  await server?.cleanup();
});

const AGE = /^\d+(s|m\d*s?|h\d*m?|d\d*h?)$/;

/** Runs kubectl in the background (same kubeconfig / cache dir / HOME as `k`), for watches. */
function background(args: string[]) {
  const home = dirname(k.cacheDir);
  const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, '--cache-dir', k.cacheDir, ...args], {
    env: { ...process.env, HOME: home, KUBECONFIG: server.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.re.test(stdout)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    check();
  });
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<void>((r) => child.once('close', () => r()));
  return {
    get stdout() {
      return stdout;
    },
    /** Resolves once stdout matches `re` (rejects after `ms`). */
    waitFor(re: RegExp, ms = 15_000) {
      return new Promise<void>((resolveWait, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${stdout}\nstderr:\n${stderr}`)), ms);
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolveWait()) });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

test('get pods: upstream columns; a pending pod is 0/1 Pending', async () => {
  assert.equal(await k.ok(['run', 'solo', '--image=nginx', '-n', 'reads', '--labels=app=solo']), 'pod/solo created\n');
  const out = await k.ok(['get', 'pods', '-n', 'reads']);
  const t = table(out);
  assert.deepEqual(t.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  assert.deepEqual(t.rows.map((r) => r.NAME), ['db-0', 'loner', 'solo', 'web-1', 'web-2']);
  for (const r of t.rows) {
    assert.equal(r.READY, '0/1');
    assert.equal(r.STATUS, 'Pending');
    assert.equal(r.RESTARTS, '0');
    assert.match(r.AGE!, AGE);
  }
  const wide = table(await k.ok(['get', 'pod', 'web-1', '-n', 'reads', '-o', 'wide']));
  assert.deepEqual(wide.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
  assert.deepEqual({ ...wide.rows[0], AGE: '' }, {
    NAME: 'web-1', READY: '0/1', STATUS: 'Pending', RESTARTS: '0', AGE: '', IP: '<none>', NODE: '<none>',
    'NOMINATED NODE': '<none>', 'READINESS GATES': '<none>',
  });
  // Short name and singular resolve to the same resource.
  assert.equal(await k.ok(['get', 'po', 'solo', '-n', 'reads', '-o', 'name']), 'pod/solo\n');
  assert.equal(await k.ok(['get', 'pod/solo', '-n', 'reads', '-o', 'name']), 'pod/solo\n');
});

test('get deployments, services, configmaps, namespaces, nodes: upstream columns', async () => {
  const deploy = table(await k.ok(['get', 'deployments', '-n', 'reads']));
  assert.deepEqual(deploy.header, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.equal(deploy.rows[0]!.NAME, 'shop');
  assert.match(deploy.rows[0]!.READY!, /^\d\/3$/);
  const deployWide = table(await k.ok(['get', 'deploy', 'shop', '-n', 'reads', '-o', 'wide']));
  assert.deepEqual(deployWide.header, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  assert.equal(deployWide.rows[0]!.CONTAINERS, 'shop');
  assert.equal(deployWide.rows[0]!.IMAGES, 'example/shop:2.1');
  assert.equal(deployWide.rows[0]!.SELECTOR, 'app=shop');

  const svc = table(await k.ok(['get', 'services', '-n', 'default']));
  assert.deepEqual(svc.header, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  assert.deepEqual({ ...svc.rows.find((r) => r.NAME === 'kubernetes'), AGE: '' }, {
    NAME: 'kubernetes', TYPE: 'ClusterIP', 'CLUSTER-IP': '10.96.0.1', 'EXTERNAL-IP': '<none>', 'PORT(S)': '443/TCP', AGE: '',
  });
  const svcWide = table(await k.ok(['get', 'svc', '-n', 'reads', '-o', 'wide']));
  assert.deepEqual(svcWide.header, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
  const shop = svcWide.rows[0]!;
  assert.equal(shop.NAME, 'shop');
  assert.equal(shop.TYPE, 'ClusterIP');
  assert.match(shop['CLUSTER-IP']!, /^10\.96\.\d+\.\d+$/);
  assert.equal(shop['PORT(S)'], '80/TCP');
  assert.equal(shop.SELECTOR, 'app=shop');

  const cm = table(await k.ok(['get', 'configmaps', '-n', 'reads']));
  assert.deepEqual(cm.header, ['NAME', 'DATA', 'AGE']);
  assert.equal(cm.rows.find((r) => r.NAME === 'settings')?.DATA, '3');
  assert.equal(cm.rows.find((r) => r.NAME === 'empty')?.DATA, '0');

  const ns = table(await k.ok(['get', 'namespaces']));
  assert.deepEqual(ns.header, ['NAME', 'STATUS', 'AGE']);
  const names = ns.rows.map((r) => r.NAME);
  for (const n of ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'reads']) assert.ok(names.includes(n), n);
  assert.ok(ns.rows.every((r) => r.STATUS === 'Active'));

  const nodes = await k(['get', 'nodes']);
  assert.equal(nodes.code, 0);
  assert.equal(nodes.stdout, '');
  assert.equal(nodes.stderr, 'No resources found\n');
  const none = await k(['get', 'secrets', '-n', 'reads']);
  assert.equal(none.stderr, 'No resources found in reads namespace.\n');
});

test('get -o yaml|json|jsonpath|custom-columns|name', async () => {
  const yaml = await k.ok(['get', 'configmap', 'settings', '-n', 'reads', '-o', 'yaml']);
  assert.match(yaml, /^apiVersion: v1\ndata:\n  a: "1"\n  b: "2"\n  c: "3"\nkind: ConfigMap\nmetadata:\n/);
  assert.match(yaml, /^  name: settings$/m);
  assert.match(yaml, /^  namespace: reads$/m);
  assert.match(yaml, /^  resourceVersion: "\d+"$/m);
  assert.match(yaml, /^  uid: [0-9a-f-]{36}$/m);

  const obj = JSON.parse(await k.ok(['get', 'pod', 'web-1', '-n', 'reads', '-o', 'json'])) as Record<string, any>;
  assert.equal(obj.kind, 'Pod');
  assert.equal(obj.apiVersion, 'v1');
  assert.deepEqual(obj.metadata.labels, { app: 'web', tier: 'frontend', canary: 'true' });
  assert.equal(obj.spec.containers[0].image, 'nginx:1.27');
  assert.equal(obj.status.phase, 'Pending');

  const list = JSON.parse(await k.ok(['get', 'pods', '-n', 'reads', '-o', 'json'])) as Record<string, any>;
  assert.equal(list.kind, 'List');
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.items.length, 5);
  assert.ok(list.items.every((i: any) => i.kind === 'Pod' && i.apiVersion === 'v1'));

  assert.equal(await k.ok(['get', 'pods', '-n', 'reads', '-o', 'jsonpath={.items[*].metadata.name}']), 'db-0 loner solo web-1 web-2');
  assert.equal(await k.ok(['get', 'pod', 'db-0', '-n', 'reads', '-o', 'jsonpath={.spec.containers[0].image}']), 'postgres:17');
  assert.equal(
    await k.ok(['get', 'pods', '-n', 'reads', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,TIER:.metadata.labels.tier']),
    [
      'NAME    IMAGE         TIER',
      'db-0    postgres:17   backend',
      'loner   busybox       <none>',
      'solo    nginx         <none>',
      'web-1   nginx:1.27    frontend',
      'web-2   nginx:1.27    backend',
      '',
    ].join('\n'),
  );
  assert.equal(await k.ok(['get', 'deploy,svc', '-n', 'reads', '-o', 'name']), 'deployment.apps/shop\nservice/shop\n');
});

test('get -l with equality and set-based selectors', async () => {
  const names = async (sel: string) => (await k.ok(['get', 'pods', '-n', 'reads', '-l', sel, '-o', 'name'])).trim().split('\n').filter(Boolean);
  assert.deepEqual(await names('app=web'), ['pod/web-1', 'pod/web-2']);
  assert.deepEqual(await names('app!=web'), ['pod/db-0', 'pod/loner', 'pod/solo']);
  assert.deepEqual(await names('app in (web,db)'), ['pod/db-0', 'pod/web-1', 'pod/web-2']);
  assert.deepEqual(await names('tier notin (frontend)'), ['pod/db-0', 'pod/loner', 'pod/solo', 'pod/web-2']);
  assert.deepEqual(await names('!tier'), ['pod/loner', 'pod/solo']);
  assert.deepEqual(await names('canary'), ['pod/web-1']);
  assert.deepEqual(await names('tier in (backend),app notin (db)'), ['pod/web-2']);
  assert.deepEqual(await names('tier,!canary'), ['pod/db-0', 'pod/web-2']);
  const none = await k(['get', 'pods', '-n', 'reads', '-l', 'app=nothing']);
  assert.equal(none.code, 0);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, 'No resources found in reads namespace.\n');
});

test('get --field-selector: metadata.name, status.phase; unsupported field is rejected as upstream', async () => {
  assert.equal(await k.ok(['get', 'pods', '-n', 'reads', '--field-selector', 'metadata.name=db-0', '-o', 'name']), 'pod/db-0\n');
  assert.equal(
    await k.ok(['get', 'pods', '-n', 'reads', '--field-selector', 'metadata.name!=db-0,status.phase=Pending', '-o', 'name']),
    'pod/loner\npod/solo\npod/web-1\npod/web-2\n',
  );
  const running = await k(['get', 'pods', '-n', 'reads', '--field-selector', 'status.phase=Running']);
  assert.equal(running.code, 0);
  assert.equal(running.stderr, 'No resources found in reads namespace.\n');
  const bad = await k(['get', 'pods', '-n', 'reads', '--field-selector', 'spec.foo=bar']);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo\n',
  );
});

test('get -A adds the NAMESPACE column; --sort-by; --show-labels; -L', async () => {
  const all = table(await k.ok(['get', 'pods', '-A']));
  assert.deepEqual(all.header, ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
  assert.deepEqual(all.rows.filter((r) => r.NAMESPACE === 'reads').map((r) => r.NAME), ['db-0', 'loner', 'solo', 'web-1', 'web-2']);
  const cms = table(await k.ok(['get', 'configmaps', '--all-namespaces']));
  assert.deepEqual(cms.header, ['NAMESPACE', 'NAME', 'DATA', 'AGE']);
  assert.ok(cms.rows.some((r) => r.NAMESPACE === 'reads' && r.NAME === 'settings' && r.DATA === '3'));

  const sorted = table(await k.ok(['get', 'pods', '-n', 'reads', '--sort-by=.spec.containers[0].image']));
  assert.deepEqual(sorted.rows.map((r) => r.NAME), ['loner', 'solo', 'web-1', 'web-2', 'db-0']);
  const byName = await k.ok(['get', 'pods', '-n', 'reads', '--sort-by', '{.metadata.name}', '-o', 'name']);
  assert.equal(byName, 'pod/db-0\npod/loner\npod/solo\npod/web-1\npod/web-2\n');

  const labels = table(await k.ok(['get', 'pods', '-n', 'reads', '--show-labels']));
  assert.deepEqual(labels.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
  const byPod = Object.fromEntries(labels.rows.map((r) => [r.NAME, r.LABELS]));
  assert.equal(byPod['web-1'], 'app=web,canary=true,tier=frontend');
  assert.equal(byPod.loner, '<none>');

  const cols = table(await k.ok(['get', 'pods', '-n', 'reads', '-L', 'app', '-L', 'tier']));
  assert.deepEqual(cols.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'APP', 'TIER']);
  const web2 = cols.rows.find((r) => r.NAME === 'web-2')!;
  assert.equal(web2.APP, 'web');
  assert.equal(web2.TIER, 'backend');
  assert.equal(cols.rows.find((r) => r.NAME === 'loner')!.APP, '');
});

test('get all lists pods, services, deployments, jobs and cronjobs in sections', async () => {
  const out = await k.ok(['get', 'all', '-n', 'reads']);
  const sections = out.trim().split('\n\n').map((s) => s.split('\n'));
  const headers = sections.map((s) => s[0]!.split(/\s{2,}/));
  assert.ok(headers.some((h) => h.join(' ') === 'NAME READY STATUS RESTARTS AGE'));
  assert.ok(headers.some((h) => h.join(' ') === 'NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE'));
  assert.ok(headers.some((h) => h.join(' ') === 'NAME READY UP-TO-DATE AVAILABLE AGE'));
  assert.ok(headers.some((h) => h.join(' ') === 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE'));
  assert.ok(headers.some((h) => h.join(' ') === 'NAME STATUS COMPLETIONS DURATION AGE'));
  const names = tableRows(out).map((r) => r[0]);
  for (const n of ['pod/web-1', 'pod/db-0', 'pod/loner', 'service/shop', 'deployment.apps/shop', 'job.batch/once', 'cronjob.batch/nightly'])
    assert.ok(names.includes(n), `${n} in get all:\n${out}`);
  assert.ok(!names.includes('configmap/settings'), 'configmaps are not in the "all" category');
  // Section order follows discovery order: core first (pods, services), then apps, then batch.
  const order = ['pod/', 'service/', 'deployment.apps/', 'cronjob.batch/', 'job.batch/'].map((p) => names.findIndex((n) => n?.startsWith(p)));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  const empty = await k(['get', 'all', '-n', 'kube-public']);
  assert.equal(empty.code, 0);
  assert.equal(empty.stderr, 'No resources found in kube-public namespace.\n');
});

test('get -w sees a create made after it started; get <name> -w sees a change', async () => {
  await k.ok(['create', 'namespace', 'watching']);
  await k.ok(['create', 'configmap', 'first', '-n', 'watching', '--from-literal=a=1']);
  const list = background(['get', 'configmaps', '-n', 'watching', '-w']);
  const one = background(['get', 'configmap', 'first', '-n', 'watching', '-w', '--output-watch-events']);
  try {
    await list.waitFor(/^first\s+1\s+\S+\n/m);
    await one.waitFor(/^ADDED\s+first\s+1\s+\S+\n/m);
    assert.match(list.stdout, /^NAME\s+DATA\s+AGE\n/);
    assert.match(one.stdout, /^EVENT\s+NAME\s+DATA\s+AGE\n/);
    assert.equal(await k.ok(['create', 'configmap', 'second', '-n', 'watching', '--from-literal=a=1', '--from-literal=b=2']),
      'configmap/second created\n');
    await list.waitFor(/^second\s+2\s+\S+\n/m);
    assert.equal(await k.ok(['label', 'configmap', 'first', '-n', 'watching', 'changed=yes']), 'configmap/first labeled\n');
    await one.waitFor(/^MODIFIED\s+first\s+1\s+\S+\n/m);
    await list.waitFor(/^first[^\n]*\n[\s\S]*^first\s+1\s+\S+\n/m);
    assert.ok(!/second/.test(one.stdout), 'a single-object watch only sees that object');
  } finally {
    await list.stop();
    await one.stop();
  }
  // A watch bounded by --request-timeout prints the list and ends cleanly.
  const bounded = await k(['get', 'configmaps', '-n', 'watching', '-w', '--request-timeout=2s']);
  assert.equal(bounded.code, 0, bounded.stderr);
  assert.deepEqual(tableRows(bounded.stdout).map((r) => r[0]), ['NAME', 'first', 'second']);
});

test('--chunk-size=2 pages over 5 objects and returns all of them', async () => {
  await k.ok(['create', 'namespace', 'paging']);
  for (const i of [1, 2, 3, 4, 5]) await k.ok(['create', 'configmap', `page-${i}`, '-n', 'paging', `--from-literal=i=${i}`]);
  const r = await k(['get', 'configmaps', '-n', 'paging', '--chunk-size=2', '-v=6']);
  assert.equal(r.code, 0, r.stderr);
  const t = table(r.stdout);
  assert.deepEqual(t.header, ['NAME', 'DATA', 'AGE']);
  assert.deepEqual(t.rows.map((x) => x.NAME).filter((n) => n?.startsWith('page-')), ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
  const requests = r.stderr.split('\n').filter((l) => /GET https:\S+\/namespaces\/paging\/configmaps\?\S*limit=2/.test(l));
  assert.ok(requests.length >= 3, `expected >= 3 pages, got:\n${requests.join('\n')}`);
  assert.equal(requests.filter((l) => /continue=/.test(l)).length, requests.length - 1);
  const names = await k.ok(['get', 'configmaps', '-n', 'paging', '--chunk-size=2', '-o', 'name']);
  assert.deepEqual(names.trim().split('\n').filter((n) => n.includes('page-')), [1, 2, 3, 4, 5].map((i) => `configmap/page-${i}`));
});

test('describe deployment, service, pod, namespace', async () => {
  const d = await k.ok(['describe', 'deployment', 'shop', '-n', 'reads']);
  assert.match(d, /^Name:\s+shop$/m);
  assert.match(d, /^Namespace:\s+reads$/m);
  assert.match(d, /^CreationTimestamp:\s+\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/m);
  assert.match(d, /^Labels:\s+app=shop$/m);
  assert.match(d, /^Selector:\s+app=shop$/m);
  assert.match(d, /^Replicas:\s+3 desired \| \d+ updated \| \d+ total \| \d+ available \| \d+ unavailable$/m);
  assert.match(d, /^StrategyType:\s+RollingUpdate$/m);
  assert.match(d, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
  assert.match(d, /^Pod Template:\n  Labels:\s+app=shop\n  Containers:\n   shop:\n    Image:\s+example\/shop:2\.1\n    Port:\s+8080\/TCP$/m);

  const s = await k.ok(['describe', 'service', 'shop', '-n', 'reads']);
  assert.match(s, /^Name:\s+shop$/m);
  assert.match(s, /^Selector:\s+app=shop$/m);
  assert.match(s, /^Type:\s+ClusterIP$/m);
  assert.match(s, /^IP:\s+10\.96\.\d+\.\d+$/m);
  assert.match(s, /^Port:\s+http\s+80\/TCP$/m);
  assert.match(s, /^TargetPort:\s+8080\/TCP$/m);
  assert.match(s, /^Session Affinity:\s+None$/m);

  const p = await k.ok(['describe', 'pod', 'web-1', '-n', 'reads']);
  assert.match(p, /^Name:\s+web-1$/m);
  assert.match(p, /^Namespace:\s+reads$/m);
  assert.match(p, /^Service Account:\s+default$/m);
  assert.match(p, /^Labels:\s+app=web\n\s+canary=true\n\s+tier=frontend$/m);
  assert.match(p, /^Status:\s+Pending$/m);
  assert.match(p, /^Containers:\n  nginx:\n    Image:\s+nginx:1\.27$/m);
  assert.match(p, /^QoS Class:\s+BestEffort$/m);
  assert.match(p, /^Tolerations:\s+node\.kubernetes\.io\/not-ready:NoExecute op=Exists for 300s$/m);

  const n = await k.ok(['describe', 'namespace', 'reads']);
  assert.match(n, /^Name:\s+reads$/m);
  assert.match(n, /^Labels:\s+kubernetes\.io\/metadata\.name=reads$/m);
  assert.match(n, /^Status:\s+Active$/m);
  assert.match(n, /^No resource quota\.$/m);
  assert.match(n, /^No LimitRange resource\.$/m);
});
