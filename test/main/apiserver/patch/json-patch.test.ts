import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../../../main/apiserver/patch/json-patch.js';
import { GENERIC_UNPROCESSABLE, PatchError } from '../../../../main/apiserver/patch/errors.js';

const doc = { metadata: { name: 'a', labels: { 'app/x': '1', '~t': '2' } }, spec: { list: [1, 2, 3], nested: { v: null } } };

test('json patch: operations (RFC 6902 + evanphx v4 behaviour)', () => {
  const cases: { name: string; patch: unknown[]; want: unknown }[] = [
    { name: 'add member', patch: [{ op: 'add', path: '/spec/x', value: { y: 1 } }], want: { ...doc, spec: { ...doc.spec, x: { y: 1 } } } },
    { name: 'append with -', patch: [{ op: 'add', path: '/spec/list/-', value: 4 }], want: { ...doc, spec: { ...doc.spec, list: [1, 2, 3, 4] } } },
    { name: 'insert at index', patch: [{ op: 'add', path: '/spec/list/0', value: 0 }], want: { ...doc, spec: { ...doc.spec, list: [0, 1, 2, 3] } } },
    { name: 'negative index removes from end', patch: [{ op: 'remove', path: '/spec/list/-1' }], want: { ...doc, spec: { ...doc.spec, list: [1, 2] } } },
    {
      name: 'escaped keys ~1 and ~0',
      patch: [
        { op: 'replace', path: '/metadata/labels/app~1x', value: '9' },
        { op: 'remove', path: '/metadata/labels/~0t' },
      ],
      want: { ...doc, metadata: { name: 'a', labels: { 'app/x': '9' } } },
    },
    { name: 'replace of absent member sets it (v4)', patch: [{ op: 'replace', path: '/metadata/uid', value: 'u' }], want: { ...doc, metadata: { ...doc.metadata, uid: 'u' } } },
    {
      name: 'move and copy',
      patch: [
        { op: 'copy', from: '/metadata/name', path: '/spec/copied' },
        { op: 'move', from: '/spec/list', path: '/spec/moved' },
      ],
      want: { metadata: doc.metadata, spec: { nested: { v: null }, copied: 'a', moved: [1, 2, 3] } },
    },
    { name: 'test passes, null equals absent', patch: [{ op: 'test', path: '/spec/nested/v', value: null }, { op: 'test', path: '/spec/nested/w', value: null }, { op: 'test', path: '/spec/list', value: [1, 2, 3] }], want: doc },
  ];
  for (const c of cases) assert.deepEqual(applyJsonPatch(doc, c.patch), c.want, c.name);
});

test('json patch: never mutates the input document', () => {
  const before = JSON.stringify(doc);
  applyJsonPatch(doc, [{ op: 'remove', path: '/spec/list/0' }, { op: 'add', path: '/metadata/x', value: 1 }]);
  assert.equal(JSON.stringify(doc), before);
});

test('json patch: application failures are 422 with evanphx wording and the generic status message', () => {
  const cases: [unknown[], string][] = [
    [[{ op: 'test', path: '/metadata/name', value: 'b' }], 'testing value /metadata/name failed: test failed'],
    [[{ op: 'add', path: '/nope/x', value: 1 }], 'add operation does not apply: doc is missing path: "/nope/x": missing value'],
    [[{ op: 'remove', path: '/nope/x' }], 'remove operation does not apply: doc is missing path: "/nope/x": missing value'],
    [[{ op: 'replace', path: '/nope/x', value: 1 }], 'replace operation does not apply: doc is missing path: /nope/x: missing value'],
    [[{ op: 'replace', path: '/spec/list/7', value: 1 }], 'replace operation does not apply: doc is missing key: /spec/list/7: missing value'],
    [[{ op: 'remove', path: '/metadata/nope' }], "error in remove for path: '/metadata/nope': Unable to remove nonexistent key: nope: missing value"],
    [[{ op: 'add', path: '/spec/list/9', value: 1 }], "error in add for path: '/spec/list/9': Unable to access invalid index: 9: invalid index referenced"],
    [[{ op: 'frobnicate', path: '/a' }], 'Unexpected kind: frobnicate'],
    [[{ op: 'add', value: 1 }], 'add operation failed to decode path: missing value'],
  ];
  for (const [patch, message] of cases) {
    assert.throws(
      () => applyJsonPatch(doc, patch),
      (e: unknown) => e instanceof PatchError && e.code === 422 && e.message === message && e.statusMessage === GENERIC_UNPROCESSABLE,
      message,
    );
  }
});

test('json patch: undecodable bodies are 400', () => {
  assert.throws(
    () => applyJsonPatch(doc, { op: 'add' }),
    (e: unknown) => e instanceof PatchError && e.code === 400 && e.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
  );
  assert.throws(() => applyJsonPatch(doc, ['x']), (e: unknown) => e instanceof PatchError && e.code === 400);
});
