/** The TTL-after-finished controller: finished Jobs with ttlSecondsAfterFinished are deleted when it expires. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobObject } from '../../../main/api/batch/v1/job.js';
import { JOBS } from '../../../main/client/kube-client.js';
import { expiresAt, ttlAfterFinishedControllerFactory } from '../../../main/controllers/ttl-after-finished-controller.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { jobManifest } from './job-test-helpers.js';

const NS = 'default';

async function complete(admin: Awaited<ReturnType<typeof startControllerTest>>['admin'], name: string): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await admin.patch(JOBS, NS, name, 'merge', {
    status: { startTime: now, completionTime: now, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: now }] },
  }, { subresource: 'status' });
}

test('expiresAt: finish time + ttl; none while running, without ttl, or when being deleted', () => {
  const job = jobManifest('j', { ttlSecondsAfterFinished: 5 });
  assert.equal(expiresAt(job), undefined);
  job.status = { conditions: [{ type: 'Failed', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' } as any] };
  assert.equal(expiresAt(job), Date.parse('2026-01-01T00:00:05Z'));
  assert.equal(expiresAt({ ...job, spec: { ...job.spec, ttlSecondsAfterFinished: undefined } }), undefined);
  assert.equal(expiresAt({ ...job, metadata: { ...job.metadata, deletionTimestamp: '2026-01-01T00:00:01Z' } }), undefined);
});

test('a finished Job is deleted once its TTL has passed; a running one and a long TTL are left alone', async () => {
  const t = await startControllerTest([ttlAfterFinishedControllerFactory]);
  try {
    await t.admin.create(JOBS, NS, jobManifest('short', { ttlSecondsAfterFinished: 1 }));
    await t.admin.create(JOBS, NS, jobManifest('long', { ttlSecondsAfterFinished: 3600 }));
    await t.admin.create(JOBS, NS, jobManifest('running', { ttlSecondsAfterFinished: 0 }));
    await complete(t.admin, 'short');
    await complete(t.admin, 'long');
    // Foreground cascade: the Job is marked for deletion (the garbage collector, not run here, finishes it).
    const deleting = await waitFor('short being deleted', async () => {
      const j = await t.admin.get<JobObject>(JOBS, NS, 'short');
      return j.metadata.deletionTimestamp ? j : undefined;
    }, 15_000);
    assert.ok(deleting.metadata.finalizers?.includes('foregroundDeletion'));
    const left = (await t.admin.list<JobObject>(JOBS, NS)).items.filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name).sort();
    assert.deepEqual(left, ['long', 'running']);
  } finally {
    await t.stop();
  }
});
