import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../../main/apiserver/http/api-error.js';
import { GENERIC_UNPROCESSABLE } from '../../../main/apiserver/patch/errors.js';
import { patchers } from '../../../main/control-plane/patchers.js';

test('patch engines are wired and succeed on valid patches', () => {
  assert.deepEqual(patchers.json({ a: 1 }, [{ op: 'replace', path: '/a', value: 2 }]), { a: 2 });
  assert.deepEqual(patchers.merge({ a: 1, b: 2 }, { b: null, c: 3 }), { a: 1, c: 3 });
  assert.deepEqual(patchers.strategic({ a: 1 }, { a: 2 }, undefined), { a: 2 });
});

test('engine errors become Status errors (ApiError) as upstream words them', () => {
  try {
    patchers.json({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]);
    assert.fail('expected an error');
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, GENERIC_UNPROCESSABLE);
  }
  assert.throws(() => patchers.json({}, { not: 'a list' }), (err: unknown) => err instanceof ApiError && err.code >= 400 && err.code < 500);
});
