import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../../main/api/meta/object.js';
import { ApiError } from '../../../../main/apiserver/http/api-error.js';
import { buildFilter, fieldGetter } from '../../../../main/apiserver/registry/object-filter.js';
import { descriptor } from '../../../helpers/apiserver-unit.js';

const pods = descriptor('', 'v1', 'pods');
const cms = descriptor('', 'v1', 'configmaps');

const pod = (name: string, labels: Record<string, string> | undefined, nodeName?: string, phase?: string): KObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, spec: { containers: [], ...(nodeName ? { nodeName } : {}) }, status: phase ? { phase } : {} }) as KObject;

const objects = [
  pod('web-1', { app: 'web', tier: 'front' }, 'node-1', 'Running'),
  pod('web-2', { app: 'web', tier: 'front' }, 'node-2', 'Pending'),
  pod('db-1', { app: 'db' }, 'node-1', 'Running'),
  pod('bare', undefined, undefined, 'Pending'),
];

test('filter: label and field selectors, alone and combined', () => {
  const cases: [string | null, string | null, string[]][] = [
    [null, null, ['web-1', 'web-2', 'db-1', 'bare']],
    ['app=web', null, ['web-1', 'web-2']],
    ['app!=web', null, ['db-1', 'bare']],
    ['app in (web,db)', null, ['web-1', 'web-2', 'db-1']],
    ['app notin (web)', null, ['db-1', 'bare']],
    ['tier', null, ['web-1', 'web-2']],
    ['!tier', null, ['db-1', 'bare']],
    ['app=web,tier=front', null, ['web-1', 'web-2']],
    [null, 'spec.nodeName=node-1', ['web-1', 'db-1']],
    [null, 'spec.nodeName!=node-1', ['web-2', 'bare']],
    [null, 'spec.nodeName=', ['bare']],
    [null, 'status.phase=Running', ['web-1', 'db-1']],
    [null, 'metadata.name=web-2', ['web-2']],
    [null, 'metadata.namespace=default', ['web-1', 'web-2', 'db-1', 'bare']],
    [null, 'metadata.namespace!=default', []],
    ['app=web', 'spec.nodeName=node-1', ['web-1']],
    ['app=web', 'status.phase=Pending,spec.nodeName=node-2', ['web-2']],
  ];
  for (const [labels, fields, want] of cases) {
    const f = buildFilter(pods, labels, fields);
    assert.deepEqual(objects.filter((o) => f.matches(o)).map((o) => o.metadata.name), want, `${labels} | ${fields}`);
    assert.equal(f.everything, !labels && !fields, `${labels} | ${fields}`);
  }
});

test('filter: unsupported field labels are 400 with upstream\'s wording', () => {
  const bad = (message: string) => (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && e.message === message;
  // Kinds with their own field labels say "field label not supported".
  assert.throws(() => buildFilter(pods, null, 'spec.foo=bar'), bad('field label not supported: spec.foo'));
  // Kinds with only the common labels list them.
  assert.throws(() => buildFilter(cms, null, 'data.x=1'), bad('"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"'));
});

test('filter: malformed selectors are 400 BadRequest', () => {
  for (const [l, f] of [['app=(', null], ['a b', null], [null, 'spec.nodeName'], ['app in web', null]] as const) {
    assert.throws(() => buildFilter(pods, l, f), (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest', `${l} | ${f}`);
  }
});

test('filter: field getters (common + per kind)', () => {
  const p = objects[0]!;
  assert.equal(fieldGetter(pods, 'metadata.name')?.(p), 'web-1');
  assert.equal(fieldGetter(pods, 'metadata.namespace')?.(p), 'default');
  assert.equal(fieldGetter(pods, 'spec.nodeName')?.(p), 'node-1');
  assert.equal(fieldGetter(cms, 'spec.nodeName'), undefined);
});
