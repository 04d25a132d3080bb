import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parseServeArgs, USAGE, UsageError } from '../../../main/cli/serve-args.js';

test('defaults: port 6443, host 127.0.0.1, data dir resolved to an absolute path', () => {
  assert.deepEqual(parseServeArgs(['--data-dir', 'data']), { dataDir: resolve('data'), apiPort: 6443, host: '127.0.0.1' });
});

test('all options, separate and inline values', () => {
  const cases: [string[], { dataDir: string; apiPort: number; host: string }][] = [
    [['--data-dir', '/tmp/x', '--api-port', '0', '--host', '0.0.0.0'], { dataDir: '/tmp/x', apiPort: 0, host: '0.0.0.0' }],
    [['--data-dir=/tmp/y', '--api-port=8443', '--host=::1'], { dataDir: '/tmp/y', apiPort: 8443, host: '::1' }],
    [['--api-port', '65535', '--data-dir', '/d'], { dataDir: '/d', apiPort: 65535, host: '127.0.0.1' }],
  ];
  for (const [argv, want] of cases) assert.deepEqual(parseServeArgs(argv), want, argv.join(' '));
});

test('errors are UsageErrors with clear messages', () => {
  const cases: [string[], string][] = [
    [[], '--data-dir is required'],
    [['--api-port', '7000'], '--data-dir is required'],
    [['--data-dir'], '--data-dir needs a value'],
    [['--data-dir='], '--data-dir needs a value'],
    [['--data-dir', '/d', '--api-port'], '--api-port needs a value'],
    [['--data-dir', '/d', '--api-port', '65536'], '--api-port must be a port number (0-65535), got "65536"'],
    [['--data-dir', '/d', '--api-port', '-1'], '--api-port must be a port number (0-65535), got "-1"'],
    [['--data-dir', '/d', '--api-port', 'http'], '--api-port must be a port number (0-65535), got "http"'],
    [['--data-dir', '/d', '--api-port', '80.5'], '--api-port must be a port number (0-65535), got "80.5"'],
    [['--data-dir', '/d', '--verbose'], 'unknown option "--verbose"'],
    [['--data-dir', '/d', 'extra'], 'unknown option "extra"'],
    [['--data-dir', '/d', '--colour=on'], 'unknown option "--colour=on"'],
  ];
  for (const [argv, message] of cases)
    assert.throws(() => parseServeArgs(argv), (err: unknown) => err instanceof UsageError && err.message === message, argv.join(' '));
});

test('USAGE documents the serve command and every option', () => {
  assert.match(USAGE, /^Usage:\n  pilothouse serve --data-dir <dir> \[--api-port <port>\] \[--host <address>\]\n/);
  for (const opt of ['--data-dir <dir>', '--api-port <port>', '--host <address>']) assert.ok(USAGE.includes(`  ${opt}`), opt);
});
