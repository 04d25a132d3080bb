/**
 * Which run of a CronJob is due (upstream cronjob utils: mostRecentScheduleTime / nextScheduleTime), the Job
 * name for a run, and RFC 3339 times in a zone.
 */
import type { CronSchedule } from './cron-schedule.js';

/** More missed runs than this draw a TooManyMissedTimes warning. */
export const MANY_MISSED = 100;

export interface DueRun {
  /** The latest activation in (earliest, now], if any. */
  mostRecent?: number;
  /** The lower bound the search started from. */
  earliest: number;
  /** Activations in (earliest, now]. */
  missed: number;
}

/**
 * The latest activation after the last scheduled time (else the creation time) and not after `now`. With
 * `startingDeadlineSeconds` the search starts no earlier than now - deadline.
 */
export function mostRecentScheduleTime(
  schedule: CronSchedule,
  opts: { lastScheduleTime?: number; creationTime: number; startingDeadlineSeconds?: number },
  now: number,
): DueRun {
  let earliest = opts.lastScheduleTime ?? opts.creationTime;
  if (opts.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - opts.startingDeadlineSeconds * 1000);
  let mostRecent: number | undefined;
  let missed = 0;
  // Every activation is visited (each step is cheap); a bound keeps a years-old minutely schedule finite.
  for (let t = schedule.next(earliest); t !== undefined && t <= now && missed < 2_000_000; t = schedule.next(t)) {
    mostRecent = t;
    missed++;
  }
  return { mostRecent, earliest, missed };
}

/** The Job name for the run scheduled at `scheduledMs`: `<cronjob>-<minutes since the epoch>`. */
export const jobNameFor = (cronJobName: string, scheduledMs: number): string => `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;

/** RFC 3339 (second precision) of `ms` in `zone`: "2026-01-02T03:04:05Z" for UTC, else with the zone's offset. */
export function rfc3339InZone(ms: number, zone: string | undefined): string {
  const whole = Math.floor(ms / 1000) * 1000;
  if (!zone || zone === 'UTC') return new Date(whole).toISOString().replace('.000Z', 'Z');
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(whole))) p[part.type] = part.value;
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  const offsetMin = Math.round((wall - whole) / 60_000);
  const local = `${p.year}-${p.month}-${p.day}T${String(Number(p.hour) % 24).padStart(2, '0')}:${p.minute}:${p.second}`;
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}
