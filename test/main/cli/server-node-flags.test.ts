/** The serve script and the benchmarks run the control plane with the same V8 flags. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../../main/cli/server-node-flags.js';

test('`npm run serve` passes every server node flag', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  const serve = pkg.scripts['serve']!.split(/\s+/);
  assert.equal(serve[0], 'node');
  for (const flag of SERVER_NODE_FLAGS) assert.ok(serve.includes(flag), `serve script lacks ${flag}: ${pkg.scripts['serve']}`);
  assert.ok(serve.indexOf('dist/pilothouse.mjs') > Math.max(...SERVER_NODE_FLAGS.map((f) => serve.indexOf(f))), 'flags go before the script');
});
