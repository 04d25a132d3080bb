/**
 * Discovery-level reads with the real kubectl: explain (OpenAPI v3), api-resources / api-versions against the
 * upstream 1.32 rows, auth can-i / whoami, version, raw health endpoints, componentstatuses, cluster-info.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';
import { kubectlFor, stripAnsi, table, type Kubectl } from '../helpers/kubectl.js';

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

test('explain pod.spec.containers and deployment.spec.replicas', async () => {
  const c = await k.ok(['explain', 'pod.spec.containers']);
  assert.match(c, /^KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <\[\]Container>\n\n\nDESCRIPTION:\n    \S/);
  assert.match(c, /^FIELDS:$/m);
  assert.match(c, /^  name\t<string> -required-\n    \S/m);
  assert.match(c, /^  image\t<string>\n    \S/m);
  assert.match(c, /^  ports\t<\[\]ContainerPort>$/m);
  assert.match(c, /^  resources\t<ResourceRequirements>$/m);
  const r = await k.ok(['explain', 'deployment.spec.replicas']);
  assert.match(r, /^GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n    \S/);
  assert.match(r, /Defaults to 1\./);
  const missing = await k(['explain', 'pod.spec.nope']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'error: field "nope" does not exist\n');
});

/** Upstream kube-apiserver v1.32 rows (NAME SHORTNAMES APIVERSION NAMESPACED KIND) for the resources served here. */
const UPSTREAM_API_RESOURCES = `
bindings                                         v1                                true         Binding
componentstatuses                   cs           v1                                false        ComponentStatus
configmaps                          cm           v1                                true         ConfigMap
endpoints                           ep           v1                                true         Endpoints
events                              ev           v1                                true         Event
limitranges                         limits       v1                                true         LimitRange
namespaces                          ns           v1                                false        Namespace
nodes                               no           v1                                false        Node
persistentvolumeclaims              pvc          v1                                true         PersistentVolumeClaim
persistentvolumes                   pv           v1                                false        PersistentVolume
pods                                po           v1                                true         Pod
podtemplates                                     v1                                true         PodTemplate
replicationcontrollers              rc           v1                                true         ReplicationController
resourcequotas                      quota        v1                                true         ResourceQuota
secrets                                          v1                                true         Secret
serviceaccounts                     sa           v1                                true         ServiceAccount
services                            svc          v1                                true         Service
customresourcedefinitions           crd,crds     apiextensions.k8s.io/v1           false        CustomResourceDefinition
controllerrevisions                              apps/v1                           true         ControllerRevision
daemonsets                          ds           apps/v1                           true         DaemonSet
deployments                         deploy       apps/v1                           true         Deployment
replicasets                         rs           apps/v1                           true         ReplicaSet
statefulsets                        sts          apps/v1                           true         StatefulSet
selfsubjectreviews                               authentication.k8s.io/v1          false        SelfSubjectReview
tokenreviews                                     authentication.k8s.io/v1          false        TokenReview
localsubjectaccessreviews                        authorization.k8s.io/v1           true         LocalSubjectAccessReview
selfsubjectaccessreviews                         authorization.k8s.io/v1           false        SelfSubjectAccessReview
selfsubjectrulesreviews                          authorization.k8s.io/v1           false        SelfSubjectRulesReview
subjectaccessreviews                             authorization.k8s.io/v1           false        SubjectAccessReview
horizontalpodautoscalers            hpa          autoscaling/v2                    true         HorizontalPodAutoscaler
cronjobs                            cj           batch/v1                          true         CronJob
jobs                                             batch/v1                          true         Job
leases                                           coordination.k8s.io/v1            true         Lease
endpointslices                                   discovery.k8s.io/v1               true         EndpointSlice
events                              ev           events.k8s.io/v1                  true         Event
ingressclasses                                   networking.k8s.io/v1              false        IngressClass
ingresses                           ing          networking.k8s.io/v1              true         Ingress
networkpolicies                     netpol       networking.k8s.io/v1              true         NetworkPolicy
poddisruptionbudgets                pdb          policy/v1                         true         PodDisruptionBudget
clusterrolebindings                              rbac.authorization.k8s.io/v1      false        ClusterRoleBinding
clusterroles                                     rbac.authorization.k8s.io/v1      false        ClusterRole
rolebindings                                     rbac.authorization.k8s.io/v1      true         RoleBinding
roles                                            rbac.authorization.k8s.io/v1      true         Role
priorityclasses                     pc           scheduling.k8s.io/v1              false        PriorityClass
storageclasses                      sc           storage.k8s.io/v1                 false        StorageClass
`;

test('api-resources: every served resource has the upstream row; api-versions', async () => {
  const out = await k.ok(['api-resources']);
  const t = table(out);
  assert.deepEqual(t.header, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
  const got = t.rows.map((r) => [r.NAME, r.SHORTNAMES, r.APIVERSION, r.NAMESPACED, r.KIND].join(' '));
  const upstream = table(`NAME                                SHORTNAMES   APIVERSION                        NAMESPACED   KIND\n${UPSTREAM_API_RESOURCES.trim()}`)
    .rows.map((r) => [r.NAME, r.SHORTNAMES, r.APIVERSION, r.NAMESPACED, r.KIND].join(' '));
  for (const row of upstream) assert.ok(got.includes(row), `missing api-resources row: ${row}\n${out}`);
  // Upstream order: the core group first, then groups by name; within a group, resources sorted by name.
  const coreOnly = got.filter((r) => / v1 /.test(r)).map((r) => r.split(' ')[0]);
  assert.deepEqual(coreOnly, [...coreOnly].sort());
  assert.ok(got.indexOf(upstream[0]!) === 0);

  const namespaced = table(await k.ok(['api-resources', '--namespaced=false', '--api-group=apps']));
  assert.equal(namespaced.rows.length, 0);
  const apps = (await k.ok(['api-resources', '--api-group=apps', '-o', 'name'])).trim().split('\n');
  assert.deepEqual(apps, ['controllerrevisions.apps', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps']);
  const wide = table(await k.ok(['api-resources', '--api-group=apps', '-o', 'wide']));
  assert.deepEqual(wide.header, ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
  const deployRow = wide.rows.find((r) => r.NAME === 'deployments')!;
  // (kubectl formats the verb list itself; the server supplies the verbs.)
  assert.deepEqual(deployRow.VERBS!.split(/[\s,[\]]+/).filter(Boolean), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  assert.equal(deployRow.CATEGORIES, 'all');

  const versions = (await k.ok(['api-versions'])).trim().split('\n');
  for (const v of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'rbac.authorization.k8s.io/v1',
    'apiextensions.k8s.io/v1', 'networking.k8s.io/v1', 'policy/v1', 'storage.k8s.io/v1', 'coordination.k8s.io/v1'])
    assert.ok(versions.includes(v), `api-versions lacks ${v}`);
  assert.deepEqual(versions, [...versions].sort());
});

test('auth can-i, can-i --list, whoami', async () => {
  const yes = await k(['auth', 'can-i', 'create', 'pods']);
  assert.equal(yes.code, 0);
  assert.equal(yes.stdout, 'yes\n');
  assert.equal((await k(['auth', 'can-i', 'delete', 'deployments.apps', '-n', 'reads'])).stdout, 'yes\n');
  assert.equal((await k(['auth', 'can-i', '*', '*'])).stdout, 'yes\n');
  const list = table(await k.ok(['auth', 'can-i', '--list']));
  assert.deepEqual(list.header, ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
  assert.deepEqual(list.rows[0], { Resources: '*.*', 'Non-Resource URLs': '[]', 'Resource Names': '[]', Verbs: '[*]' });
  assert.ok(list.rows.some((r) => r.Resources === '' && r['Non-Resource URLs'] === '[*]' && r.Verbs === '[*]'));
  const who = table(await k.ok(['auth', 'whoami']));
  assert.deepEqual(who.header, ['ATTRIBUTE', 'VALUE']);
  assert.match(who.rows.find((r) => r.ATTRIBUTE === 'Username')?.VALUE ?? '', /^\S+$/);
  const groups = who.rows.find((r) => r.ATTRIBUTE === 'Groups')?.VALUE ?? '';
  assert.match(groups, /^\[.*\]$/);
  assert.ok(groups.includes('system:masters'), groups);
  assert.ok(groups.includes('system:authenticated'), groups);
  const json = JSON.parse(await k.ok(['auth', 'whoami', '-o', 'json'])) as Record<string, any>;
  assert.equal(json.kind, 'SelfSubjectReview');
  assert.equal(json.apiVersion, 'authentication.k8s.io/v1');
  assert.ok(json.status.userInfo.groups.includes('system:masters'));
});

test('version, get --raw /readyz, get cs, cluster-info', async () => {
  const v = await k.ok(['version']);
  assert.match(v, /^Server Version: v1\.32\.\d+$/m);
  const vj = JSON.parse(await k.ok(['version', '-o', 'json'])) as Record<string, any>;
  assert.equal(vj.serverVersion.major, '1');
  assert.equal(vj.serverVersion.minor, '32');
  assert.equal(await k.ok(['get', '--raw', '/readyz']), 'ok');
  assert.equal(await k.ok(['get', '--raw', '/livez']), 'ok');
  const verbose = await k.ok(['get', '--raw', '/readyz?verbose']);
  assert.match(verbose, /^readyz check passed$/m);

  const cs = await k(['get', 'cs']);
  assert.equal(cs.code, 0);
  assert.equal(cs.stderr, 'Warning: v1 ComponentStatus is deprecated in v1.19+\n');
  const t = table(cs.stdout);
  assert.deepEqual(t.header, ['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
  assert.equal(t.rows.find((r) => r.NAME === 'etcd-0')?.STATUS, 'Healthy');

  const ci = stripAnsi(await k.ok(['cluster-info']));
  assert.equal(ci.split('\n')[0], `Kubernetes control plane is running at ${server.url}`);
  assert.match(ci, /To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'\./);
});
