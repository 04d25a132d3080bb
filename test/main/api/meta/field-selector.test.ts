import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FieldSelectorParseError,
  escapeFieldValue,
  fieldRequiresExactMatch,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
  unescapeFieldValue,
  unsupportedFieldLabelMessage,
  type FieldRequirement,
} from '../../../../main/api/meta/field-selector.js';

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof FieldSelectorParseError, 'expected a FieldSelectorParseError');
    return e.message;
  }
  assert.fail('expected an error');
};

test('valid selectors parse and print back unchanged', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) {
    assert.equal(fieldSelectorToString(parseFieldSelector(s)), s, s);
  }
  assert.equal(fieldSelectorToString(parseFieldSelector('x=a,a=x')), fieldSelectorToString(parseFieldSelector('a=x,x=a')));
});

test('terms, operators, escapes', () => {
  const cases: [string, FieldRequirement[]][] = [
    ['metadata.name=web', [{ field: 'metadata.name', operator: '=', value: 'web' }]],
    ['a=avalue,b==bvalue,c!=cvalue', [
      { field: 'a', operator: '=', value: 'avalue' },
      { field: 'b', operator: '==', value: 'bvalue' },
      { field: 'c', operator: '!=', value: 'cvalue' },
    ]],
    // terms are sorted as text
    ['spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed', [
      { field: 'spec.nodeName', operator: '=', value: 'n1' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
      { field: 'status.phase', operator: '!=', value: 'Succeeded' },
    ]],
    // empty terms are skipped
    ['a=a,', [{ field: 'a', operator: '=', value: 'a' }]],
    [',a=a', [{ field: 'a', operator: '=', value: 'a' }]],
    ['involvedObject.namespace=', [{ field: 'involvedObject.namespace', operator: '=', value: '' }]],
    // escaped separators stay in the value (and `k2` sorts before `k=`)
    ['k=\\,,k2=v2', [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: ',' }]],
    ['k=\\\\,k2=v2', [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: '\\' }]],
    ['k=\\\\\\,,k2=v2', [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: '\\,' }]],
    ['k=\\=', [{ field: 'k', operator: '=', value: '=' }]],
    // the split happens at the first operator; `!` alone is part of the name
    ['a!b=c', [{ field: 'a!b', operator: '=', value: 'c' }]],
    ['=v', [{ field: '', operator: '=', value: 'v' }]],
    ['함=수,목=록', [{ field: '목', operator: '=', value: '록' }, { field: '함', operator: '=', value: '수' }]],
  ];
  for (const [input, want] of cases) assert.deepEqual(parseFieldSelector(input), want, input);
});

test('parse errors carry upstream wording', () => {
  const cases: [string, string][] = [
    ['x=a||y=b', 'invalid field selector: unescapedRune character in value: 61'],
    ['x==a==b', 'invalid field selector: unescapedRune character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['k=\\a\\b\\', 'invalid field selector: invalid escape sequence: \\a'],
    ['k=\\', 'invalid field selector: invalid escape sequence: \\'],
  ];
  for (const [input, want] of cases) assert.equal(errorOf(() => parseFieldSelector(input)), want, input);
});

test('escape and unescape values', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
    ['!', '!'],
  ];
  for (const [raw, escaped] of cases) {
    assert.equal(escapeFieldValue(raw), escaped, raw);
    assert.equal(unescapeFieldValue(escaped), raw, escaped);
  }
  for (const bad of ['\\', '\\\\\\', '\\a']) {
    assert.match(errorOf(() => unescapeFieldValue(bad)), /^invalid field selector: invalid escape sequence: /);
  }
  assert.equal(errorOf(() => unescapeFieldValue('a,b')), 'invalid field selector: unescapedRune character in value: 44');
});

test('matching', () => {
  const fields: Record<string, string> = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  const get = (f: string) => fields[f] ?? '';
  const cases: [string, boolean][] = [
    ['', true],
    ['foo=bar', true],
    ['baz=blah', true],
    ['foo=bar,baz=blah', true],
    ['foo==bar', true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', true],
    ['foo!=blah', true],
    ['missing=', true],
    ['foo=blah', false],
    ['baz=bar', false],
    ['foo=bar,foobar=bar,baz=blah', false],
    ['foo!=bar', false],
  ];
  for (const [sel, want] of cases) assert.equal(matchesFields(parseFieldSelector(sel), get), want, sel);
});

test('exact match lookup and unsupported label wording', () => {
  const reqs = parseFieldSelector('metadata.name=web,spec.nodeName!=n1');
  assert.equal(fieldRequiresExactMatch(reqs, 'metadata.name'), 'web');
  assert.equal(fieldRequiresExactMatch(reqs, 'spec.nodeName'), undefined);
  assert.equal(fieldRequiresExactMatch(parseFieldSelector('a=='), 'a'), '');
  assert.equal(unsupportedFieldLabelMessage('spec.foo', true), 'field label not supported: spec.foo');
  assert.equal(
    unsupportedFieldLabelMessage('spec.foo', false),
    '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
});
