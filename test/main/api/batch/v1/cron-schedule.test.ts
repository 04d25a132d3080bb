import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronScheduleError } from '../../../../../main/api/batch/v1/cron-schedule.js';

test('accepts standard schedules, names, steps and descriptors', () => {
  for (const s of ['* * * * *', '*/15 0-6 1,15 * mon-fri', '0 0 ? JAN,jul SUN', '5 4 * * 0', '@hourly', '@every 1h30m', 'CRON_TZ=UTC 0 5 * * *', '0 */2 1-31/3 * *'])
    assert.equal(cronScheduleError(s), undefined, s);
});

test('reports robfig/cron errors word for word', () => {
  const cases: [string, string][] = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['@often', 'unrecognized descriptor: @often'],
    ['@every 5x', 'failed to parse duration @every 5x: time: invalid duration "5x"'],
    ['TZ=Nowhere/Land 0 * * * *', 'provided bad location Nowhere/Land: unknown time zone Nowhere/Land'],
  ];
  for (const [spec, msg] of cases) assert.equal(cronScheduleError(spec), msg, spec);
});
