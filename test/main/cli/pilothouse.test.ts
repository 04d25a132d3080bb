import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { USAGE } from '../../../main/cli/serve-args.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../../main/cli/pilothouse.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });

test('no command prints usage and exits 2; --help exits 0', () => {
  const none = run();
  assert.equal(none.status, 2);
  assert.equal(none.stdout, USAGE);
  for (const h of ['--help', '-h', 'help']) {
    const r = run(h);
    assert.equal(r.status, 0, h);
    assert.equal(r.stdout, USAGE);
  }
});

test('version', () => {
  const r = run('--version');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, 'pilothouse 0.1.0 (Kubernetes API v1.32)\n');
});

test('usage errors exit 2 with the message and usage on stderr', () => {
  const unknown = run('frobnicate');
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, `error: unknown command "frobnicate"\n\n${USAGE}`);
  const missing = run('serve');
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `error: --data-dir is required\n\n${USAGE}`);
});
