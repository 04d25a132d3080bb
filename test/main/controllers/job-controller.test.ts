/**
 * The Job controller on an in-process API server (no kubelet: tests end pods through the status subresource):
 * completions/parallelism, Indexed pods, backoffLimit, podFailurePolicy, suspend/resume, activeDeadlineSeconds,
 * finalizer tracking and events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobObject } from '../../../main/api/batch/v1/job.js';
import { EVENTS, JOBS, PODS } from '../../../main/client/kube-client.js';
import { jobControllerFactory } from '../../../main/controllers/job-controller.js';
import { podFailureBackoffMs } from '../../../main/controllers/job/job-sync.js';
import { formatIndexes, parseIndexes } from '../../../main/controllers/job/completed-indexes.js';
import { startControllerTest, waitFor, type ControllerTest } from './controller-fixture.js';
import { condition, finishPod, jobManifest, jobPods } from './job-test-helpers.js';

const NS = 'default';
const FINALIZER = 'batch.kubernetes.io/job-tracking';

async function withJobController(fn: (t: ControllerTest) => Promise<void>): Promise<void> {
  const t = await startControllerTest([jobControllerFactory]);
  try {
    await fn(t);
  } finally {
    await t.stop();
  }
}

const getJob = (t: ControllerTest, name: string) => t.admin.get<JobObject>(JOBS, NS, name);
const reasons = async (t: ControllerTest, name: string) =>
  (await t.admin.list<any>(EVENTS, NS)).items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);

test('interval notation of completed indexes round-trips', () => {
  assert.equal(formatIndexes([5, 1, 3, 4, 7, 4]), '1,3-5,7');
  assert.deepEqual([...parseIndexes('1,3-5,7,9', 8)].sort(), [1, 3, 4, 5, 7]);
  assert.equal(formatIndexes([]), '');
});

test('pod failure backoff doubles from 10 s up to 10 min', () => {
  assert.deepEqual([0, 1, 2, 3, 10].map(podFailureBackoffMs), [0, 10_000, 20_000, 40_000, 600_000]);
});

test('completions 3, parallelism 2: two pods at a time, tracked by finalizer, Complete with events', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('pi', { completions: 3, parallelism: 2 }));
    const uid = job.metadata.uid!;
    const first = await waitFor('2 pods', async () => ((await jobPods(t.admin, NS, uid)).length === 2 ? jobPods(t.admin, NS, uid) : undefined));
    for (const p of first) {
      assert.match(p.metadata.name!, /^pi-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata.finalizers, [FINALIZER]);
      assert.equal(p.metadata.labels!['batch.kubernetes.io/job-name'], 'pi');
      assert.equal(p.metadata.labels!['job-name'], 'pi');
      assert.equal(p.metadata.labels!['controller-uid'], uid);
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
    }
    await waitFor('active 2 + startTime', async () => {
      const j = await getJob(t, 'pi');
      return j.status?.active === 2 && j.status.startTime;
    });
    await finishPod(t.admin, first[0]!, 0);
    await waitFor('third pod', async () => (await jobPods(t.admin, NS, uid)).length === 3, 20_000);
    const released = (await jobPods(t.admin, NS, uid)).find((p) => p.metadata.name === first[0]!.metadata.name)!;
    assert.deepEqual(released.metadata.finalizers ?? [], []);
    for (const p of await jobPods(t.admin, NS, uid)) if (p.status?.phase !== 'Succeeded') await finishPod(t.admin, p, 0);
    const done = await waitFor('Complete', async () => {
      const j = await getJob(t, 'pi');
      return condition(j, 'Complete')?.status === 'True' ? j : undefined;
    }, 20_000);
    assert.equal(done.status?.succeeded, 3);
    assert.equal(done.status?.failed, 0);
    assert.equal(done.status?.active, 0);
    assert.ok(done.status?.completionTime);
    assert.equal(condition(done, 'Complete')?.reason, 'CompletionsReached');
    assert.equal(condition(done, 'SuccessCriteriaMet')?.status, 'True');
    assert.deepEqual(done.status?.uncountedTerminatedPods, { succeeded: [], failed: [] });
    for (const p of await jobPods(t.admin, NS, uid)) assert.deepEqual(p.metadata.finalizers ?? [], []);
    const ev = await waitFor('events', async () => {
      const r = await reasons(t, 'pi');
      return r.some((x) => x === 'Completed: Job completed') && r.filter((x) => x.startsWith('SuccessfulCreate: Created pod: pi-')).length === 3 ? r : undefined;
    });
    assert.ok(ev.length >= 4);
  });
});

test('Indexed: one pod per index with index annotation, label, hostname and env; completedIndexes', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitFor('3 pods', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 3 ? ps : undefined;
    });
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations!['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    const p1 = byIndex.get('1')!;
    assert.match(p1.metadata.name!, /^idx-1-[a-z0-9]{5}$/);
    assert.equal(p1.metadata.labels!['batch.kubernetes.io/job-completion-index'], '1');
    assert.equal(p1.spec.hostname, 'idx-1');
    assert.deepEqual(p1.spec.containers[0]!.env, [
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    await finishPod(t.admin, byIndex.get('0')!, 0);
    await finishPod(t.admin, byIndex.get('2')!, 0);
    await waitFor('completedIndexes 0,2', async () => (await getJob(t, 'idx')).status?.completedIndexes === '0,2');
    await finishPod(t.admin, p1, 0);
    const done = await waitFor('Complete', async () => {
      const j = await getJob(t, 'idx');
      return condition(j, 'Complete')?.status === 'True' ? j : undefined;
    });
    assert.equal(done.status?.completedIndexes, '0-2');
    assert.equal(done.status?.succeeded, 3);
  });
});

test('backoffLimit 0: the first failed pod fails the Job (FailureTarget then Failed, BackoffLimitExceeded)', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('boom', { backoffLimit: 0 }));
    const [pod] = await waitFor('pod', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 1 ? ps : undefined;
    });
    await finishPod(t.admin, pod!, 1);
    const failed = await waitFor('Failed', async () => {
      const j = await getJob(t, 'boom');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job has reached the specified backoff limit');
    assert.equal(condition(failed, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    assert.equal(failed.status?.failed, 1);
    assert.equal(failed.status?.completionTime, undefined);
    assert.equal((await jobPods(t.admin, NS, job.metadata.uid!)).length, 1, 'no replacement pod');
    await waitFor('warning event', async () => (await reasons(t, 'boom')).includes('BackoffLimitExceeded: Job has reached the specified backoff limit'));
  });
});

test('podFailurePolicy: Ignore does not count a failure (a replacement is made), FailJob fails the Job at once', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('pfp', {
      backoffLimit: 3,
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        ],
      },
    }));
    const uid = job.metadata.uid!;
    const [first] = await waitFor('pod', async () => {
      const ps = await jobPods(t.admin, NS, uid);
      return ps.length === 1 ? ps : undefined;
    });
    await finishPod(t.admin, first!, 137, [{ type: 'DisruptionTarget', status: 'True' }]);
    const second = await waitFor('replacement', async () => (await jobPods(t.admin, NS, uid)).find((p) => p.metadata.name !== first!.metadata.name && !p.status?.phase?.match(/Succeeded|Failed/)));
    assert.equal((await getJob(t, 'pfp')).status?.failed ?? 0, 0);
    await finishPod(t.admin, second, 42);
    const failed = await waitFor('Failed', async () => {
      const j = await getJob(t, 'pfp');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(failed, 'Failed')?.reason, 'PodFailurePolicy');
    assert.equal(condition(failed, 'Failed')?.message, `Container main for pod default/${second.metadata.name} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal(failed.status?.failed, 1);
  });
});

test('suspend: no pods and Suspended; resume creates pods and flips Suspended to False (JobResumed)', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('sus', { parallelism: 2, completions: 4, suspend: true }));
    const suspended = await waitFor('Suspended', async () => {
      const j = await getJob(t, 'sus');
      return condition(j, 'Suspended')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(suspended, 'Suspended')?.reason, 'JobSuspended');
    assert.equal(suspended.status?.startTime, undefined);
    assert.equal((await jobPods(t.admin, NS, job.metadata.uid!)).length, 0);
    await t.admin.patch(JOBS, NS, 'sus', 'merge', { spec: { suspend: false } });
    await waitFor('2 pods', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 2);
    const resumed = await waitFor('resumed', async () => {
      const j = await getJob(t, 'sus');
      return condition(j, 'Suspended')?.status === 'False' ? j : undefined;
    });
    assert.equal(condition(resumed, 'Suspended')?.reason, 'JobResumed');
    assert.ok(resumed.status?.startTime);
    await waitFor('events', async () => {
      const r = await reasons(t, 'sus');
      return r.includes('Suspended: Job suspended') && r.includes('Resumed: Job resumed');
    });
    // Suspending again deletes the active pods.
    await t.admin.patch(JOBS, NS, 'sus', 'merge', { spec: { suspend: true } });
    await waitFor('pods deleted', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 0);
    const resuspended = await waitFor('active 0', async () => {
      const j = await getJob(t, 'sus');
      return j.status?.active === 0 && condition(j, 'Suspended')?.status === 'True' ? j : undefined;
    });
    assert.equal(resuspended.status?.failed ?? 0, 0, 'pods removed by suspension are not failures');
  });
});

test('activeDeadlineSeconds: the Job fails with DeadlineExceeded and its pods are deleted', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('slow', { activeDeadlineSeconds: 2 }));
    await waitFor('pod', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 1);
    const failed = await waitFor('Failed', async () => {
      const j = await getJob(t, 'slow');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    }, 20_000);
    assert.equal(condition(failed, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job was active longer than specified deadline');
    assert.equal(failed.status?.active, 0);
    await waitFor('pod gone', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 0);
  });
});

test('backoffLimitPerIndex: a failed index is given up, the others finish, the Job fails with FailedIndexes', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('per', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 0 }));
    const pods = await waitFor('3 pods', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 3 ? ps : undefined;
    });
    assert.ok(pods.every((p) => p.metadata.annotations!['batch.kubernetes.io/job-index-failure-count'] === '0'));
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations!['batch.kubernetes.io/job-completion-index'], p]));
    await finishPod(t.admin, byIndex.get('1')!, 1);
    await waitFor('failedIndexes 1', async () => (await getJob(t, 'per')).status?.failedIndexes === '1');
    assert.equal((await jobPods(t.admin, NS, job.metadata.uid!)).length, 3, 'no retry for index 1');
    await finishPod(t.admin, byIndex.get('0')!, 0);
    await finishPod(t.admin, byIndex.get('2')!, 0);
    const failed = await waitFor('Failed', async () => {
      const j = await getJob(t, 'per');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(failed, 'Failed')?.reason, 'FailedIndexes');
    assert.equal(condition(failed, 'Failed')?.message, 'Job has failed indexes');
    assert.equal(failed.status?.completedIndexes, '0,2');
    assert.equal(failed.status?.failed, 1);
  });
});

test('maxFailedIndexes: exceeding it fails the Job at once and deletes the running pods', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('maxf', {
      completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 0, maxFailedIndexes: 0,
    }));
    const pods = await waitFor('3 pods', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 3 ? ps : undefined;
    });
    await finishPod(t.admin, pods[0]!, 1);
    const failed = await waitFor('Failed', async () => {
      const j = await getJob(t, 'maxf');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(failed, 'Failed')?.reason, 'MaxFailedIndexesExceeded');
    assert.equal(failed.status?.active, 0);
    await waitFor('running pods deleted', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 1);
  });
});

test('no completions: after the first success the running pods are left to finish, then Complete', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('queue', { parallelism: 2 }));
    const pods = await waitFor('2 pods', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 2 ? ps : undefined;
    });
    await finishPod(t.admin, pods[0]!, 0);
    await waitFor('succeeded 1', async () => (await getJob(t, 'queue')).status?.succeeded === 1);
    let j = await getJob(t, 'queue');
    assert.equal(j.status?.active, 1, 'the other pod keeps running');
    assert.equal(condition(j, 'Complete'), undefined);
    assert.equal((await jobPods(t.admin, NS, job.metadata.uid!)).length, 2, 'no replacement');
    await finishPod(t.admin, pods[1]!, 0);
    j = await waitFor('Complete', async () => {
      const x = await getJob(t, 'queue');
      return condition(x, 'Complete')?.status === 'True' ? x : undefined;
    });
    assert.equal(j.status?.succeeded, 2);
    assert.equal(t.admin && (await jobPods(t.admin, NS, job.metadata.uid!)).length, 2);
  });
});

test('a Job being deleted creates nothing more and lets its pods go (tracking finalizers removed)', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('bye', { parallelism: 2, completions: 2 }));
    await waitFor('2 pods', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 2);
    // Foreground: the Job stays (no garbage collector here) with a deletionTimestamp.
    await t.admin.delete(JOBS, NS, 'bye', { propagationPolicy: 'Foreground' });
    await waitFor('finalizers released', async () =>
      (await jobPods(t.admin, NS, job.metadata.uid!)).every((p) => !(p.metadata.finalizers ?? []).includes(FINALIZER)));
    assert.equal((await jobPods(t.admin, NS, job.metadata.uid!)).length, 2);
  });
});

test('successPolicy: a matched rule ends an Indexed Job early (SuccessCriteriaMet/Complete reason SuccessPolicy)', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('leader', {
      completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] },
    }));
    const pods = await waitFor('3 pods', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 3 ? ps : undefined;
    });
    const leader = pods.find((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === '0')!;
    await finishPod(t.admin, leader, 0);
    const done = await waitFor('Complete', async () => {
      const j = await getJob(t, 'leader');
      return condition(j, 'Complete')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(done, 'Complete')?.reason, 'SuccessPolicy');
    assert.equal(condition(done, 'Complete')?.message, 'Matched rules at index 0');
    assert.equal(condition(done, 'SuccessCriteriaMet')?.reason, 'SuccessPolicy');
    assert.equal(done.status?.completedIndexes, '0');
    assert.equal(done.status?.failed, 0, 'the pods stopped early are not failures');
    await waitFor('others deleted', async () => (await jobPods(t.admin, NS, job.metadata.uid!)).length === 1);
  });
});

test('restartPolicy OnFailure: container restarts of running pods count against backoffLimit', async () => {
  await withJobController(async (t) => {
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('flaky', {
      backoffLimit: 2,
      template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox' }] } },
    }));
    const [pod] = await waitFor('pod', async () => {
      const ps = await jobPods(t.admin, NS, job.metadata.uid!);
      return ps.length === 1 ? ps : undefined;
    });
    const running = (restartCount: number) => ({
      status: {
        phase: 'Running',
        containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      },
    });
    await t.admin.patch(PODS, NS, pod!.metadata.name!, 'merge', running(1), { subresource: 'status' });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(condition(await getJob(t, 'flaky'), 'FailureTarget'), undefined);
    await t.admin.patch(PODS, NS, pod!.metadata.name!, 'merge', running(2), { subresource: 'status' });
    const failed = await waitFor('Failed', async () => {
      const j = await getJob(t, 'flaky');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    });
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
  });
});

test('manualSelector: a matching orphan pod is adopted (owner + finalizer) and counts as active', async () => {
  await withJobController(async (t) => {
    await t.admin.create(PODS, NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray-worker', labels: { app: 'batch-x' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
    });
    const job = await t.admin.create<JobObject>(JOBS, NS, jobManifest('manual', {
      manualSelector: true,
      selector: { matchLabels: { app: 'batch-x' } },
      parallelism: 2,
      completions: 2,
      template: { metadata: { labels: { app: 'batch-x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
    }));
    const adopted = await waitFor('adopted', async () => {
      const p = await t.admin.get<any>(PODS, NS, 'stray-worker');
      return p.metadata.ownerReferences?.[0]?.uid === job.metadata.uid ? p : undefined;
    });
    assert.deepEqual(adopted.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'manual', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(adopted.metadata.finalizers, [FINALIZER]);
    await waitFor('active 2', async () => (await getJob(t, 'manual')).status?.active === 2);
    const owned = (await t.admin.list<any>(PODS, NS)).items.filter((p: any) => p.metadata.ownerReferences?.[0]?.uid === job.metadata.uid);
    assert.equal(owned.length, 2, 'one adopted + one created');
  });
});
