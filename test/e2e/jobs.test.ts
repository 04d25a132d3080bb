/**
 * Job, CronJob and TTL-after-finished controllers through the real kubectl against
 * `pilothouse serve --simulated-nodes 2` (simulated nodes run Job pods for 1 s; exit codes via annotation).
 * The CronJob is created first so that its real minute-boundary firing overlaps the other tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveSuite } from '../helpers/serve-suite.js';
import { table } from '../helpers/kubectl.js';

const { k, eventually } = serveSuite({
  args: ['--simulated-nodes', '2'],
  setUp: async () => {
    await k.ok(['apply', '-f', '-'], {
      input: `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
`,
    });
  },
});

const jobYaml = (name: string, spec: string, annotations: Record<string, string> = {}) => `
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    metadata:
      annotations: {${Object.entries(annotations).map(([a, v]) => `"${a}": "${v}"`).join(', ')}}
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
`;

test('a Job with completions 3 and parallelism 2 completes: kubectl wait, COMPLETIONS 3/3, STATUS Complete', async () => {
  await k.ok(['apply', '-f', '-'], { input: jobYaml('pi', '  completions: 3\n  parallelism: 2') });
  await k.ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=90s']);
  const row = table(await k.ok(['get', 'job', 'pi'])).rows[0]!;
  assert.equal(row.STATUS, 'Complete');
  assert.equal(row.COMPLETIONS, '3/3');
  const pods = table(await k.ok(['get', 'pods', '-l', 'job-name=pi'])).rows;
  assert.equal(pods.length, 3);
  assert.ok(pods.every((p) => p.STATUS === 'Completed'), JSON.stringify(pods));
  const finalizers = await k.ok(['get', 'pods', '-l', 'job-name=pi', '-o', 'jsonpath={.items[*].metadata.finalizers}']);
  assert.ok(!finalizers.includes('batch.kubernetes.io/job-tracking'), finalizers);
  const reasons = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=pi', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
  assert.ok(reasons.includes('SuccessfulCreate') && reasons.includes('Completed'), reasons);
});

test('an Indexed Job completes every index: completedIndexes 0-2, pods with their index and hostname', async () => {
  await k.ok(['apply', '-f', '-'], { input: jobYaml('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed') });
  await k.ok(['wait', '--for=condition=complete', 'job/idx', '--timeout=90s']);
  assert.equal(await k.ok(['get', 'job', 'idx', '-o', 'jsonpath={.status.completedIndexes} {.status.succeeded}']), '0-2 3');
  const hosts = await k.ok(['get', 'pods', '-l', 'job-name=idx', '-o', 'jsonpath={range .items[*]}{.metadata.labels.batch\\.kubernetes\\.io/job-completion-index}={.spec.hostname}{"\\n"}{end}']);
  assert.deepEqual(hosts.trim().split('\n').sort(), ['0=idx-0', '1=idx-1', '2=idx-2']);
});

test('a Job whose pods exit 1 fails once backoffLimit is exceeded', async () => {
  await k.ok(['apply', '-f', '-'], { input: jobYaml('bad', '  backoffLimit: 1', { 'pilothouse.dev/exit-code': '1' }) });
  await k.ok(['wait', '--for=condition=failed', 'job/bad', '--timeout=90s']);
  const reason = await k.ok(['get', 'job', 'bad', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.failed}']);
  assert.equal(reason, 'BackoffLimitExceeded 2');
  assert.equal(table(await k.ok(['get', 'job', 'bad'])).rows[0]!.STATUS, 'Failed');
});

test('ttlSecondsAfterFinished deletes a finished Job (foreground cascade)', async () => {
  await k.ok(['apply', '-f', '-'], { input: jobYaml('short', '  ttlSecondsAfterFinished: 2') });
  await k.ok(['wait', '--for=condition=complete', 'job/short', '--timeout=90s']);
  // Gone, or (until the garbage collector finishes the foreground deletion) marked for deletion.
  await eventually('job deleted', async () => {
    const r = await k(['get', 'job', 'short', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
    return r.code !== 0 || r.stdout.trim() !== '';
  }, 30_000);
});

test('kubectl create job --from=cronjob runs the template at once', async () => {
  await k.ok(['create', 'job', 'manual', '--from=cronjob/tick']);
  await k.ok(['wait', '--for=condition=complete', 'job/manual', '--timeout=90s']);
  const owner = await k.ok(['get', 'job', 'manual', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}']);
  assert.equal(owner, 'CronJob/tick');
});

test('the */1 CronJob fires on a minute boundary: Job tick-<minutes>, lastScheduleTime, SuccessfulCreate', async () => {
  let name = '';
  await eventually('scheduled job', async () => {
    const names = (await k.ok(['get', 'jobs', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
    name = names.find((n) => /^tick-\d+$/.test(n)) ?? '';
    return name !== '';
  }, 80_000);
  const minutes = Number(name.slice('tick-'.length));
  const stamp = await k.ok(['get', 'job', name, '-o', 'jsonpath={.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}']);
  assert.equal(stamp, new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
  await eventually('lastScheduleTime', async () => (await k.ok(['get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastScheduleTime}'])) === stamp);
  await k.ok(['wait', '--for=condition=complete', `job/${name}`, '--timeout=90s']);
  await eventually('lastSuccessfulTime', async () => (await k.ok(['get', 'cronjob', 'tick', '-o', 'jsonpath={.status.lastSuccessfulTime}'])) !== '');
  const row = table(await k.ok(['get', 'cronjob', 'tick'])).rows[0]!;
  assert.equal(row.SCHEDULE, '*/1 * * * *');
  assert.notEqual(row['LAST SCHEDULE'], '<none>');
  const reasons = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=tick', '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
  assert.ok(reasons.includes('SuccessfulCreate'), reasons);
});
