/**
 * Cron schedules as robfig/cron v3's standard parser reads them (what kube-controller-manager uses): five
 * fields (minute hour day-of-month month day-of-week) with `*`, `?`, ranges, steps, lists and names, the
 * `@yearly`…`@hourly` descriptors, `@every <duration>`, and an optional `TZ=`/`CRON_TZ=` prefix; evaluated in
 * an IANA time zone through Intl. Validation wording lives in main/api/batch/v1/cron-schedule.ts.
 */
import { cronScheduleError } from '../../api/batch/v1/cron-schedule.js';

export interface CronSchedule {
  /** The first activation strictly after `afterMs` (ms since epoch, minute precision), or undefined if none within 5 years. */
  next(afterMs: number): number | undefined;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const BOUNDS: [number, number, Record<string, number>?][] = [[0, 59], [0, 23], [1, 31], [1, 12, MONTHS], [0, 6, DAYS]];
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface Field {
  values: Set<number>;
  /** The field began with `*` or `?` (robfig's star bit: day-of-month/day-of-week then combine with AND). */
  star: boolean;
}

function parseField(text: string, [min, max, names]: [number, number, Record<string, number>?]): Field {
  const values = new Set<number>();
  let star = false;
  const value = (s: string) => names?.[s.toLowerCase()] ?? Number.parseInt(s, 10);
  for (const expr of text.split(',').filter((e) => e !== '')) {
    const [range, stepText] = expr.split('/');
    const [lowText, highText] = range!.split('-');
    let low: number;
    let high: number;
    if (lowText === '*' || lowText === '?') {
      star = true;
      low = min;
      high = max;
    } else {
      low = value(lowText!);
      high = highText !== undefined ? value(highText) : low;
    }
    const step = stepText !== undefined ? Number.parseInt(stepText, 10) : 1;
    if (stepText !== undefined && highText === undefined && lowText !== '*' && lowText !== '?') high = max;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star };
}

interface WallClock {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall clock at `ms` in `zone` (undefined = the process's local zone). */
export function wallClock(ms: number, zone: string | undefined): WallClock {
  const key = zone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(key, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return { month: Number(parts.month), day: Number(parts.day), weekday: WEEKDAYS[parts.weekday!] ?? 0, hour: Number(parts.hour) % 24, minute: Number(parts.minute) };
}

/** A Go duration ("1h30m", "90s") in ms. */
function goDurationMs(s: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of s.matchAll(/([0-9]*\.?[0-9]*)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}

const MINUTE = 60_000;
const SEARCH_LIMIT_MS = 5 * 366 * 24 * 3_600_000;

/**
 * Parses `spec` for evaluation in `zone` (a TZ=/CRON_TZ= prefix in the spec wins). Throws with robfig/cron's
 * message when the spec is invalid.
 */
export function parseCronSchedule(spec: string, zone: string | undefined): CronSchedule {
  const err = cronScheduleError(spec);
  if (err) throw new Error(err);
  let text = spec.trim();
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ=')) {
    const space = text.indexOf(' ');
    zone = text.slice(text.indexOf('=') + 1, space);
    text = text.slice(space).trim();
  }
  if (text.startsWith('@every ')) {
    // robfig: constant delay, rounded to whole seconds (at least one), from the previous activation.
    const every = Math.max(1000, Math.round(goDurationMs(text.slice(7)) / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + every };
  }
  const fields = (DESCRIPTORS[text] ?? text).split(/\s+/).filter((f) => f !== '').map((f, i) => parseField(f, BOUNDS[i]!));
  const [minute, hour, dom, month, dow] = fields as [Field, Field, Field, Field, Field];
  const dayMatches = (w: WallClock) => {
    const a = dom.values.has(w.day);
    const b = dow.values.has(w.weekday);
    return dom.star || dow.star ? a && b : a || b;
  };
  return {
    next(after: number): number | undefined {
      let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
      const limit = after + SEARCH_LIMIT_MS;
      while (t <= limit) {
        const w = wallClock(t, zone);
        if (!month.values.has(w.month) || !dayMatches(w)) t += ((23 - w.hour) * 60 + (60 - w.minute)) * MINUTE;
        else if (!hour.values.has(w.hour)) t += (60 - w.minute) * MINUTE;
        else if (!minute.values.has(w.minute)) t += MINUTE;
        else return t;
      }
      return undefined;
    },
  };
}
