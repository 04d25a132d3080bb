/**
 * Standard cron schedule parsing with the error wording of robfig/cron v3's ParseStandard, which
 * kube-apiserver uses to validate CronJob.spec.schedule: five fields (minute hour day-of-month month
 * day-of-week), `*`, `?`, ranges, steps, lists, month/day names, `@hourly`-style descriptors, `@every <dur>`,
 * and an optional `TZ=`/`CRON_TZ=` prefix. Returns the parse error message, or undefined when valid.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** True when `name` is an IANA time zone the runtime knows (Go's time.LoadLocation). */
export function isKnownTimeZone(name: string): boolean {
  if (name === 'UTC' || name === '') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** strconv.Atoi, worded as Go reports failures. */
function atoi(s: string): number | string {
  if (/^[+-]?\d+$/.test(s)) return Number.parseInt(s, 10);
  return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
}

function parseNumber(expr: string): number | Error {
  const n = atoi(expr);
  if (typeof n === 'string') return new Error(`failed to parse int from ${expr}: ${n}`);
  if (n < 0) return new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number | Error {
  const named = names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseNumber(expr);
}

function checkRange(expr: string, b: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = b.min;
    end = b.max;
  } else {
    const s = parseIntOrName(lowHigh[0]!, b.names);
    if (s instanceof Error) return s.message;
    start = s;
    if (lowHigh.length === 1) end = start;
    else if (lowHigh.length === 2) {
      const e = parseIntOrName(lowHigh[1]!, b.names);
      if (e instanceof Error) return e.message;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = parseNumber(rangeAndStep[1]!);
    if (st instanceof Error) return st.message;
    step = st;
    if (lowHigh.length === 1) end = b.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

const GO_DURATION = /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;

/** Validates a standard cron spec; returns robfig/cron's error text or undefined. */
export function cronScheduleError(input: string): string | undefined {
  let spec = input;
  if (spec.length === 0) return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const zone = i < 0 ? spec.slice(eq + 1) : spec.slice(eq + 1, i);
    if (!isKnownTimeZone(zone)) return `provided bad location ${zone}: unknown time zone ${zone}`;
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const d = spec.slice('@every '.length);
      if (d === '0' || (GO_DURATION.test(d) && /[0-9]/.test(d))) return undefined;
      return `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    for (const expr of fields[i]!.split(',').filter((e) => e !== '')) {
      const err = checkRange(expr, FIELDS[i]!);
      if (err) return err;
    }
  }
  return undefined;
}
