/**
 * Deployments through the real kubectl against `pilothouse serve`: what the deployment controller does on its
 * own — ReplicaSet creation and naming, revision annotations, `kubectl get deploy` columns, `rollout history`,
 * `pause`/`resume`, `set image`, `scale`, `restart`, `undo`, and `rollout status` of a Deployment that needs
 * no pods. Checks hold with or without a ReplicaSet controller (none is asserted to create pods); rollout
 * status of Deployments with pods and the READY/AVAILABLE counts of running pods need the ReplicaSet
 * controller and are not covered here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { table } from '../helpers/kubectl.js';

const { k, eventually } = serveSuite({ eventuallyMs: 30_000 });

interface RS {
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string>; ownerReferences?: { name: string; kind: string }[] };
  spec: { replicas: number; template: { metadata?: { annotations?: Record<string, string> }; spec: { containers: { image: string }[] } } };
}

async function replicaSets(ns: string, app: string): Promise<RS[]> {
  const list = JSON.parse(await k.ok(['get', 'rs', '-n', ns, '-l', `app=${app}`, '-o', 'json'])) as { items: RS[] };
  return list.items.sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
}

const revisionOf = (rs: RS) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'];

async function deploymentJson(ns: string, name: string): Promise<any> {
  return JSON.parse(await k.ok(['get', 'deploy', name, '-n', ns, '-o', 'json']));
}

test('create deployment → ReplicaSet <name>-<hash> owned by it, revision 1, get deploy columns', async () => {
  const ns = 'deploy-basic';
  await k.ok(['create', 'namespace', ns]);
  await k.ok(['create', 'deployment', 'web', '-n', ns, '--image=nginx:1.26', '--replicas=2']);
  let rss: RS[] = [];
  await eventually('replica set', async () => (rss = await replicaSets(ns, 'web')).length === 1);
  const rs = rss[0]!;
  const hash = rs.metadata.labels?.['pod-template-hash'];
  assert.equal(rs.metadata.name, `web-${hash}`);
  assert.deepEqual(rs.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`), ['Deployment/web']);
  assert.equal(revisionOf(rs), '1');
  assert.equal(rs.spec.replicas, 2);
  await eventually('deployment revision 1', async () => (await deploymentJson(ns, 'web')).metadata.annotations?.['deployment.kubernetes.io/revision'] === '1');
  const t = table(await k.ok(['get', 'deploy', '-n', ns]));
  assert.deepEqual(t.header, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.equal(t.rows[0]!['NAME'], 'web');
  assert.match(t.rows[0]!['READY']!, /^[0-2]\/2$/);
  const rsTable = table(await k.ok(['get', 'rs', '-n', ns]));
  assert.equal(rsTable.rows[0]!['NAME'], rs.metadata.name);
  assert.equal(rsTable.rows[0]!['DESIRED'], '2');
});

test('set image, annotate change-cause, rollout history (all and --revision), undo, restart', async () => {
  const ns = 'deploy-history';
  await k.ok(['create', 'namespace', ns]);
  await k.ok(['create', 'deployment', 'app', '-n', ns, '--image=nginx:1.26', '--replicas=1']);
  await eventually('first replica set', async () => (await replicaSets(ns, 'app')).length === 1);
  assert.match(await k.ok(['set', 'image', 'deployment/app', '-n', ns, 'nginx=nginx:1.27']), /deployment.apps\/app image updated/);
  await k.ok(['annotate', 'deployment/app', '-n', ns, 'kubernetes.io/change-cause=move to 1.27']);
  await eventually('second replica set, revision 2', async () => {
    const rss = await replicaSets(ns, 'app');
    return rss.length === 2 && revisionOf(rss[1]!) === '2' && rss[1]!.metadata.annotations?.['kubernetes.io/change-cause'] === 'move to 1.27';
  });
  const history = await k.ok(['rollout', 'history', 'deployment/app', '-n', ns]);
  assert.match(history, /^deployment\.apps\/app\s*\nREVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+move to 1\.27\n/);
  const rev1 = await k.ok(['rollout', 'history', 'deployment/app', '-n', ns, '--revision=1']);
  assert.match(rev1, /deployment\.apps\/app with revision #1/);
  assert.match(rev1, /Image:\s+nginx:1\.26/);

  assert.match(await k.ok(['rollout', 'undo', 'deployment/app', '-n', ns]), /deployment\.apps\/app rolled back/);
  await eventually('revision 1 becomes revision 3', async () => {
    const rss = await replicaSets(ns, 'app');
    const old = rss.find((rs) => rs.spec.template.spec.containers[0]!.image === 'nginx:1.26');
    return rss.length === 2 && old !== undefined && revisionOf(old) === '3'
      && old.metadata.annotations?.['deployment.kubernetes.io/revision-history'] === '1';
  });
  const afterUndo = await k.ok(['rollout', 'history', 'deployment/app', '-n', ns]);
  assert.match(afterUndo, /\n2\s+move to 1\.27\n3\s+<none>\n/);
  const undoAgain = await k(['rollout', 'undo', 'deployment/app', '-n', ns, '--to-revision=3']);
  assert.match(undoAgain.stdout + undoAgain.stderr, /skipped rollback \(current template already matches revision 3\)/);

  assert.match(await k.ok(['rollout', 'restart', 'deployment/app', '-n', ns]), /deployment\.apps\/app restarted/);
  await eventually('restart makes revision 4', async () => {
    const rss = await replicaSets(ns, 'app');
    const newest = rss.at(-1)!;
    return rss.length === 3 && revisionOf(newest) === '4' && newest.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined;
  });
});

test('pause holds template changes, scale still applies; resume rolls; conditions say so', async () => {
  const ns = 'deploy-pause';
  await k.ok(['create', 'namespace', ns]);
  await k.ok(['create', 'deployment', 'p', '-n', ns, '--image=nginx:1.26', '--replicas=2']);
  await eventually('replica set', async () => (await replicaSets(ns, 'p')).length === 1);
  assert.match(await k.ok(['rollout', 'pause', 'deployment/p', '-n', ns]), /deployment\.apps\/p paused/);
  await eventually('DeploymentPaused', async () =>
    (await deploymentJson(ns, 'p')).status?.conditions?.some((c: any) => c.type === 'Progressing' && c.reason === 'DeploymentPaused' && c.status === 'Unknown'));
  await k.ok(['set', 'image', 'deployment/p', '-n', ns, 'nginx=nginx:1.27']);
  assert.match(await k.ok(['scale', 'deployment/p', '-n', ns, '--replicas=3']), /deployment\.apps\/p scaled/);
  await eventually('scaled while paused', async () => {
    const rss = await replicaSets(ns, 'p');
    return rss.length === 1 && rss[0]!.spec.replicas === 3 && rss[0]!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] === '3';
  });
  const describe = await k.ok(['describe', 'deployment', 'p', '-n', ns]);
  assert.match(describe, /Progressing\s+Unknown\s+DeploymentPaused/);
  assert.match(describe, /Scaled up replica set p-\w+ from 2 to 3/);
  assert.match(await k.ok(['rollout', 'resume', 'deployment/p', '-n', ns]), /deployment\.apps\/p resumed/);
  await eventually('new replica set after resume', async () => {
    const rss = await replicaSets(ns, 'p');
    return rss.length === 2 && rss[1]!.spec.template.spec.containers[0]!.image === 'nginx:1.27' && revisionOf(rss[1]!) === '2';
  });
  const [oldRS, newRS] = await replicaSets(ns, 'p');
  const resumed = await k.ok(['describe', 'deployment', 'p', '-n', ns]);
  assert.match(resumed, /RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
  assert.match(resumed, new RegExp(`OldReplicaSets:\\s+${oldRS!.metadata.name} \\(\\d+/\\d+ replicas created\\)`));
  assert.match(resumed, new RegExp(`NewReplicaSet:\\s+${newRS!.metadata.name} \\(\\d+/\\d+ replicas created\\)`));
});

test('rollout status of a Deployment with zero replicas reports success', async () => {
  const ns = 'deploy-status';
  await k.ok(['create', 'namespace', ns]);
  await k.ok(['create', 'deployment', 'zero', '-n', ns, '--image=nginx:1.26', '--replicas=0']);
  const out = await k.ok(['rollout', 'status', 'deployment/zero', '-n', ns, '--timeout=60s']);
  assert.match(out, /deployment "zero" successfully rolled out/);
});
