/**
 * The CronJob controller on an in-process API server (no Job controller: tests finish Jobs through the status
 * subresource). A due run is arranged without waiting for the clock: the CronJob is created suspended, its
 * status.lastScheduleTime moved into the past, then it is resumed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CronJobObject } from '../../../main/api/batch/v1/cron-job.js';
import type { JobObject } from '../../../main/api/batch/v1/job.js';
import { CRONJOBS, EVENTS, JOBS } from '../../../main/client/kube-client.js';
import { cronJobControllerFactory, SCHEDULED_TIMESTAMP_ANNOTATION } from '../../../main/controllers/cron-job-controller.js';
import { startControllerTest, waitFor, type ControllerTest } from './controller-fixture.js';

const NS = 'default';

async function withCronJobController(fn: (t: ControllerTest) => Promise<void>): Promise<void> {
  const t = await startControllerTest([cronJobControllerFactory]);
  try {
    await fn(t);
  } finally {
    await t.stop();
  }
}

function cronJob(name: string, spec: Record<string, unknown> = {}): CronJobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '* * * * *',
      suspend: true,
      jobTemplate: {
        metadata: { labels: { team: 'a' }, annotations: { note: 'x' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
      },
      ...spec,
    },
  } as CronJobObject;
}

const minutesAgo = (n: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 - n * 60_000).toISOString().replace('.000Z', 'Z');
const eventsOf = async (t: ControllerTest, name: string) =>
  (await t.admin.list<any>(EVENTS, NS)).items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
const ownedJobs = async (t: ControllerTest, uid: string) =>
  (await t.admin.list<JobObject>(JOBS, NS)).items.filter((j) => j.metadata.ownerReferences?.some((r) => r.uid === uid));

/** Makes a run due now: lastScheduleTime `back` minutes ago, then resumes the CronJob. */
async function makeDue(t: ControllerTest, name: string, back = 3, extraStatus: Record<string, unknown> = {}): Promise<void> {
  await t.admin.patch(CRONJOBS, NS, name, 'merge', { status: { lastScheduleTime: minutesAgo(back), ...extraStatus } }, { subresource: 'status' });
  await t.admin.patch(CRONJOBS, NS, name, 'merge', { spec: { suspend: false } });
}

async function finishJob(t: ControllerTest, job: JobObject, type: 'Complete' | 'Failed', startedMinutesAgo = 1): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await t.admin.patch(JOBS, NS, job.metadata.name!, 'merge', {
    status: {
      startTime: minutesAgo(startedMinutesAgo),
      ...(type === 'Complete' ? { completionTime: now, succeeded: 1 } : { failed: 1 }),
      conditions: [{ type, status: 'True', lastTransitionTime: now, lastProbeTime: now }],
    },
  }, { subresource: 'status' });
}

test('a due run creates <name>-<minutes> with the template, owner and scheduled-timestamp; completion is seen', async () => {
  await withCronJobController(async (t) => {
    const cj = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob('tick'));
    await makeDue(t, 'tick');
    const [job] = await waitFor('job', async () => {
      const js = await ownedJobs(t, cj.metadata.uid!);
      return js.length === 1 ? js : undefined;
    });
    const scheduled = Math.floor(Date.now() / 60_000) * 60_000; // the most recent minute (barring a minute boundary)
    const minutes = Number(job!.metadata.name!.slice('tick-'.length));
    assert.ok(Math.abs(minutes - scheduled / 60_000) <= 1, job!.metadata.name);
    assert.equal(job!.metadata.annotations![SCHEDULED_TIMESTAMP_ANNOTATION], new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
    assert.equal(job!.metadata.annotations!.note, 'x');
    assert.equal(job!.metadata.labels!.team, 'a');
    assert.deepEqual(job!.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const withActive = await waitFor('status.active', async () => {
      const c = await t.admin.get<CronJobObject>(CRONJOBS, NS, 'tick');
      return c.status?.active?.length === 1 ? c : undefined;
    });
    assert.equal(withActive.status!.lastScheduleTime, new Date(minutes * 60_000).toISOString().replace('.000Z', 'Z'));
    assert.deepEqual(withActive.status!.active![0], { kind: 'Job', namespace: NS, name: job!.metadata.name, uid: job!.metadata.uid, apiVersion: 'batch/v1', resourceVersion: (withActive.status!.active![0] as any).resourceVersion });
    await finishJob(t, job!, 'Complete');
    const done = await waitFor('active emptied', async () => {
      const c = await t.admin.get<CronJobObject>(CRONJOBS, NS, 'tick');
      return (c.status?.active ?? []).length === 0 && c.status?.lastSuccessfulTime ? c : undefined;
    });
    assert.ok(done.status!.lastSuccessfulTime);
    await waitFor('events', async () => {
      const ev = await eventsOf(t, 'tick');
      return ev.includes(`SuccessfulCreate: Created job ${job!.metadata.name}`) && ev.includes(`SawCompletedJob: Saw completed job: ${job!.metadata.name}, condition: Complete`);
    });
    assert.ok(!(await eventsOf(t, 'tick')).some((e) => e.startsWith('UnexpectedJob')), 'its own new Job is not unexpected');
  });
});

/** A CronJob with one running Job it owns, listed in status.active. */
async function withActiveJob(t: ControllerTest, name: string, policy: string): Promise<{ cj: CronJobObject; old: JobObject }> {
  const cj = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob(name, { concurrencyPolicy: policy }));
  const old = await t.admin.create<JobObject>(JOBS, NS, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${name}-old`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name, uid: cj.metadata.uid!, controller: true }] },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
  } as JobObject);
  const ref = { kind: 'Job', namespace: NS, name: old.metadata.name, uid: old.metadata.uid, apiVersion: 'batch/v1' };
  await makeDue(t, name, 3, { active: [ref] });
  return { cj, old };
}

test('concurrencyPolicy Forbid: no new run while one is active (JobAlreadyActive)', async () => {
  await withCronJobController(async (t) => {
    const { cj } = await withActiveJob(t, 'forbid', 'Forbid');
    await waitFor('JobAlreadyActive', async () =>
      (await eventsOf(t, 'forbid')).includes('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'));
    assert.equal((await ownedJobs(t, cj.metadata.uid!)).length, 1);
  });
});

test('concurrencyPolicy Replace: the active Job is deleted and the new run started', async () => {
  await withCronJobController(async (t) => {
    const { cj, old } = await withActiveJob(t, 'replace', 'Replace');
    const fresh = await waitFor('replacement', async () => (await ownedJobs(t, cj.metadata.uid!)).find((j) => j.metadata.name !== old.metadata.name));
    await waitFor('old deleted', async () => !(await ownedJobs(t, cj.metadata.uid!)).some((j) => j.metadata.name === old.metadata.name));
    const c = await waitFor('active = new', async () => {
      const x = await t.admin.get<CronJobObject>(CRONJOBS, NS, 'replace');
      return x.status?.active?.length === 1 && (x.status.active[0] as any).name === fresh.metadata.name ? x : undefined;
    });
    assert.ok(c);
    await waitFor('events', async () => (await eventsOf(t, 'replace')).includes(`SuccessfulDelete: Deleted job ${old.metadata.name}`));
  });
});

test('startingDeadlineSeconds: a run missed by more than the deadline is not started', async () => {
  await withCronJobController(async (t) => {
    const cj = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob('late', { schedule: '0 0 1 1 *', startingDeadlineSeconds: 30 }));
    await makeDue(t, 'late', 60 * 24 * 800);
    const control = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob('yearly', { schedule: '0 0 1 1 *' }));
    await makeDue(t, 'yearly', 60 * 24 * 800);
    await waitFor('control run', async () => (await ownedJobs(t, control.metadata.uid!)).length === 1);
    assert.equal((await ownedJobs(t, cj.metadata.uid!)).length, 0);
  });
});

test('history limits: finished Jobs beyond successfulJobsHistoryLimit are deleted, oldest first', async () => {
  await withCronJobController(async (t) => {
    const cj = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob('hist', { successfulJobsHistoryLimit: 1 }));
    for (const [i, age] of [[1, 30], [2, 20], [3, 10]] as const) {
      const j = await t.admin.create<JobObject>(JOBS, NS, {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: `hist-${i}`, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hist', uid: cj.metadata.uid!, controller: true }] },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
      } as JobObject);
      await finishJob(t, j, 'Complete', age);
    }
    await waitFor('only the newest left', async () => {
      const names = (await ownedJobs(t, cj.metadata.uid!)).map((j) => j.metadata.name);
      return names.length === 1 && names[0] === 'hist-3';
    });
    const ev = await eventsOf(t, 'hist');
    assert.ok(ev.includes('SuccessfulDelete: Deleted job hist-1') && ev.includes('SuccessfulDelete: Deleted job hist-2'), ev.join('\n'));
  });
});

test('status.active is reconciled: a vanished Job is MissingJob, a running unlisted one is UnexpectedJob', async () => {
  await withCronJobController(async (t) => {
    const cj = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob('recon'));
    await t.admin.patch(CRONJOBS, NS, 'recon', 'merge', {
      status: { active: [{ kind: 'Job', namespace: NS, name: 'recon-gone', uid: 'no-such-uid', apiVersion: 'batch/v1' }] },
    }, { subresource: 'status' });
    await waitFor('MissingJob', async () => (await eventsOf(t, 'recon')).includes('MissingJob: Active job went missing: recon-gone'));
    await waitFor('active emptied', async () => ((await t.admin.get<CronJobObject>(CRONJOBS, NS, 'recon')).status?.active ?? []).length === 0);
    await t.admin.create<JobObject>(JOBS, NS, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'stray', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'recon', uid: cj.metadata.uid!, controller: true }] },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    } as JobObject);
    await waitFor('UnexpectedJob', async () =>
      (await eventsOf(t, 'recon')).includes('UnexpectedJob: Saw a job that the controller did not create or forgot: stray'));
  });
});

test('timeZone: the scheduled-timestamp annotation carries the zone\'s offset', async () => {
  await withCronJobController(async (t) => {
    const cj = await t.admin.create<CronJobObject>(CRONJOBS, NS, cronJob('kolkata', { timeZone: 'Asia/Kolkata' }));
    await makeDue(t, 'kolkata');
    const [job] = await waitFor('job', async () => {
      const js = await ownedJobs(t, cj.metadata.uid!);
      return js.length === 1 ? js : undefined;
    });
    const minutes = Number(job!.metadata.name!.slice('kolkata-'.length));
    const stamp = job!.metadata.annotations![SCHEDULED_TIMESTAMP_ANNOTATION]!;
    assert.match(stamp, /\+05:30$/);
    assert.equal(Date.parse(stamp), minutes * 60_000);
  });
});
