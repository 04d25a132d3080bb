/** Cron schedule evaluation (robfig/cron standard semantics), due-run search, job names and timestamps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCronSchedule } from '../../../main/controllers/cron-job/cron-schedule.js';
import { jobNameFor, mostRecentScheduleTime, rfc1123z, rfc3339InZone } from '../../../main/controllers/cron-job/scheduled-time.js';

const at = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

test('next activation for standard specs, descriptors, names and steps (UTC)', () => {
  const cases: [string, string, string][] = [
    ['*/15 * * * *', '2026-03-04T10:07:30Z', '2026-03-04T10:15:00.000Z'],
    ['* * * * *', '2026-03-04T10:07:00Z', '2026-03-04T10:08:00.000Z'],
    ['0 9 * * MON-FRI', '2026-03-06T09:00:00Z', '2026-03-09T09:00:00.000Z'],
    ['@hourly', '2026-03-04T10:00:00Z', '2026-03-04T11:00:00.000Z'],
    ['@yearly', '2026-03-04T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['30 2 1 jan,jul *', '2026-03-04T10:00:00Z', '2026-07-01T02:30:00.000Z'],
    ['5-10/5 0 * * *', '2026-03-04T00:05:00Z', '2026-03-04T00:10:00.000Z'],
    // day-of-month and day-of-week both restricted: either matches.
    ['0 0 13 * FRI', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'],
    // one of them starred: both must match.
    ['0 0 */1 * FRI', '2026-03-01T00:00:00Z', '2026-03-06T00:00:00.000Z'],
    ['0 0 31 2 *', '2026-03-01T00:00:00Z', 'undefined'],
  ];
  for (const [spec, after, want] of cases) assert.equal(String(iso(parseCronSchedule(spec, 'UTC').next(at(after)))), want, spec);
});

test('time zones: the spec is read in the CronJob\'s zone, TZ= prefix wins', () => {
  assert.equal(iso(parseCronSchedule('0 9 * * *', 'Europe/Paris').next(at('2026-01-10T12:00:00Z'))), '2026-01-11T08:00:00.000Z');
  assert.equal(iso(parseCronSchedule('0 9 * * *', 'Europe/Paris').next(at('2026-07-10T12:00:00Z'))), '2026-07-11T07:00:00.000Z');
  assert.equal(iso(parseCronSchedule('TZ=Asia/Kolkata 0 9 * * *', 'UTC').next(at('2026-01-10T12:00:00Z'))), '2026-01-11T03:30:00.000Z');
  assert.throws(() => parseCronSchedule('61 * * * *', 'UTC'), /end of range \(61\) above maximum \(59\): 61/);
});

test('most recent due run, startingDeadlineSeconds bound, names and formats', () => {
  const every5 = parseCronSchedule('*/5 * * * *', 'UTC');
  const now = at('2026-03-04T10:17:00Z');
  const r = mostRecentScheduleTime(every5, { lastScheduleTime: at('2026-03-04T10:00:00Z'), creationTime: 0 }, now);
  assert.equal(iso(r.mostRecent), '2026-03-04T10:15:00.000Z');
  assert.equal(r.missed, 3);
  const none = mostRecentScheduleTime(every5, { lastScheduleTime: at('2026-03-04T10:15:00Z'), creationTime: 0 }, now);
  assert.equal(none.mostRecent, undefined);
  const bounded = mostRecentScheduleTime(every5, { lastScheduleTime: at('2026-03-04T10:00:00Z'), creationTime: 0, startingDeadlineSeconds: 60 }, now);
  assert.equal(bounded.mostRecent, undefined);
  assert.equal(jobNameFor('hello', at('2026-03-04T10:15:00Z')), `hello-${at('2026-03-04T10:15:00Z') / 60000}`);
  assert.equal(rfc3339InZone(at('2026-03-04T10:15:00Z'), undefined), '2026-03-04T10:15:00Z');
  assert.equal(rfc3339InZone(at('2026-03-04T10:15:00Z'), 'Europe/Paris'), '2026-03-04T11:15:00+01:00');
  assert.equal(rfc3339InZone(at('2026-03-04T10:15:00Z'), 'America/New_York'), '2026-03-04T05:15:00-05:00');
  assert.equal(rfc1123z(at('2026-03-04T10:15:00Z')), 'Wed, 04 Mar 2026 10:15:00 +0000');
});
