import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldPath, errorLine } from '../../../../main/api/meta/field-errors.js';
import {
  SelectorParseError,
  formatLabelSelector,
  matchesLabels,
  parseLabelSelector,
  selectorFromObject,
  selectorFromSet,
  selectorToString,
  selectsEverything,
  validateLabelSelector,
  type LabelSelectorObject,
  type Selector,
} from '../../../../main/api/meta/label-selector.js';

const parse = (s: string): Selector => parseLabelSelector(s);
const parseError = (s: string): string => {
  try {
    parseLabelSelector(s);
  } catch (e) {
    assert.ok(e instanceof SelectorParseError, `${s}: expected a SelectorParseError`);
    return e.message;
  }
  assert.fail(`${s}: expected a parse error`);
};

const NAME_PART_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_REGEX =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('valid selectors round-trip through String() with blanks removed', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    assert.equal(selectorToString(parse(s)), s.replaceAll(' ', ''), s);
  }
  assert.equal(selectorToString(parse('x=a,a=x')), selectorToString(parse('a=x,x=a')));
});

test('parser output (requirements sorted by key, values sorted and de-duplicated)', () => {
  const cases: [string, string][] = [
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x notin (abc,def),bar', 'bar,x notin (abc,def)'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['x in (,)', 'x in ()'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['in in (in)', 'in in (in)'],
    ['notin=in', 'notin=in'],
    ['x==a', 'x==a'],
    ['app=web,tier notin (db),!canary', 'app=web,!canary,tier notin (db)'],
  ];
  for (const [input, want] of cases) assert.equal(selectorToString(parse(input)), want, JSON.stringify(input));
  assert.deepEqual(parse('x in (foo,,baz),y,z notin ()'), [
    { key: 'x', operator: 'in', values: ['', 'baz', 'foo'] },
    { key: 'y', operator: 'exists', values: [] },
    { key: 'z', operator: 'notin', values: [''] },
  ]);
  assert.deepEqual(parse('x>1,!y'), [
    { key: 'x', operator: 'gt', values: ['1'] },
    { key: 'y', operator: '!', values: [] },
  ]);
  assert.deepEqual(parse(''), []);
  assert.deepEqual(parse('   '), []);
});

test('parse errors carry upstream wording', () => {
  const cases: [string, string][] = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_REGEX}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>', `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x,', "found '', expected: identifier after ','"],
    [',x,y', "found ',', expected: !, identifier, or 'end of string'"],
    ['x nott in (y)', "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in (xyz),', "found '', expected: identifier after ','"],
    ['a in (xyz)b notin ()', "found 'b', expected: ',' or 'end of string'"],
    ['a in (xyz abc)', "unable to parse requirement: found 'abc', expected: ',' or ')'"],
    ['a notin(', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!=x', "found '!=', expected: !, identifier, or 'end of string'"],
    ['!!x', "unable to parse requirement: found '!', expected: identifier"],
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${NAME_PART_REGEX}`],
    [
      'a/b/c ?=? def',
      "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
    ['x<-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_REGEX}`],
    [
      `x in (${'a'.repeat(64)},-b)`,
      `unable to parse requirement: [values[0][x]: Invalid value: "-b": ${LABEL_VALUE_REGEX}, values[1][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters]`,
    ],
  ];
  for (const [input, want] of cases) assert.equal(parseError(input), want, JSON.stringify(input));
});

test('matching', () => {
  const cases: [string, Record<string, string>, boolean][] = [
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['z>1', { z: 'v2' }, false],
    ['z>1', {}, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['x in (), y', { x: '', y: 'a' }, true],
    ['x notin (a)', {}, true],
    ['x in (a,b)', { x: 'b' }, true],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x>9223372036854775806', { x: '9223372036854775807' }, true],
    ['x>1', { x: '9223372036854775808' }, false],
  ];
  for (const [sel, labels, want] of cases) assert.equal(matchesLabels(parse(sel), labels), want, `${sel} vs ${JSON.stringify(labels)}`);
  assert.equal(matchesLabels(parse('!x'), undefined), true);
  assert.equal(matchesLabels('nothing', {}), false);
  assert.equal(matchesLabels(selectorFromSet({ foo: 'bar' }), { foo: 'bar', baz: 'blah' }), true);
  assert.equal(matchesLabels(selectorFromSet({}), { foo: 'bar' }), true);
  assert.equal(matchesLabels(selectorFromSet({ foo: 'baz' }), { foo: 'bar' }), false);
  assert.equal(selectsEverything(selectorFromSet(undefined)), true);
  assert.equal(selectsEverything('nothing'), false);
});

test('LabelSelector objects: conversion, String and FormatLabelSelector', () => {
  assert.equal(selectorFromObject(undefined), 'nothing');
  assert.equal(selectorFromObject(null), 'nothing');
  assert.deepEqual(selectorFromObject({}), []);
  assert.deepEqual(selectorFromObject({ matchLabels: {}, matchExpressions: [] }), []);
  const cases: [LabelSelectorObject | undefined, string][] = [
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [{ matchLabels: { tier: 'db', app: 'web' } }, 'app=web,tier=db'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'Exists', values: [] },
        ],
      },
      'app=web,!canary,env notin (prod),tier in (a,b),zone',
    ],
    [{ matchExpressions: [{ key: 'x', operator: 'Foo' }] }, '<error>'],
    [{ matchExpressions: [{ key: 'x', operator: 'In', values: [] }] }, '<error>'],
    [{ matchLabels: { app: '-web' } }, '<error>'],
  ];
  for (const [obj, want] of cases) assert.equal(formatLabelSelector(obj), want, JSON.stringify(obj));

  const sel = selectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] });
  assert.equal(matchesLabels(sel, { app: 'web', tier: 'fe' }), true);
  assert.equal(matchesLabels(sel, { app: 'web', tier: 'db' }), false);
  assert.equal(matchesLabels(sel, { app: 'api' }), false);
});

test('LabelSelector object conversion errors', () => {
  const errorOf = (ls: LabelSelectorObject): string => {
    try {
      selectorFromObject(ls);
    } catch (e) {
      assert.ok(e instanceof SelectorParseError);
      return e.message;
    }
    assert.fail('expected an error');
  };
  assert.equal(errorOf({ matchExpressions: [{ key: 'x', operator: 'Seriously' }] }), '"Seriously" is not a valid label selector operator');
  assert.equal(
    errorOf({ matchExpressions: [{ key: 'name', operator: 'In', values: [] }] }),
    "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
  );
  assert.equal(
    errorOf({ matchExpressions: [{ key: 'name', operator: 'Exists', values: ['a', 'b'] }] }),
    'values: Invalid value: []string{"a", "b"}: values set must be empty for exists and does not exist',
  );
  assert.equal(errorOf({ matchLabels: { 'a:b': 'x' } }), `key: Invalid value: "a:b": ${NAME_PART_REGEX}`);
  assert.equal(errorOf({ matchLabels: { a: 'x y' } }), `values[0][a]: Invalid value: "x y": ${LABEL_VALUE_REGEX}`);
});

test('validateLabelSelector (metav1validation.ValidateLabelSelector)', () => {
  const path = FieldPath.root('spec').child('selector');
  const lines = (ls: LabelSelectorObject | undefined, allow = false) =>
    validateLabelSelector(ls, path, { allowInvalidLabelValueInSelector: allow }).map(errorLine);
  assert.deepEqual(lines(undefined), []);
  assert.deepEqual(lines({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }), []);
  assert.deepEqual(lines({ matchExpressions: [{ key: 'a', operator: 'In' }] }), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
  ]);
  assert.deepEqual(lines({ matchExpressions: [{ key: 'a', operator: 'In', values: ['ok'] }, { key: 'b', operator: 'Exists', values: ['x'] }] }), [
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
  ]);
  assert.deepEqual(lines({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] }), [
    'spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
  ]);
  assert.deepEqual(lines({ matchExpressions: [{ key: 'a:b', operator: 'In', values: ['-x'] }] }), [
    `spec.selector.matchExpressions[0].key: Invalid value: "a:b": ${NAME_PART_REGEX}`,
    `spec.selector.matchExpressions[0].values[0]: Invalid value: "-x": ${LABEL_VALUE_REGEX}`,
  ]);
  assert.deepEqual(lines({ matchExpressions: [{ key: 'a', operator: 'In', values: ['-x'] }] }, true), []);
  assert.deepEqual(lines({ matchLabels: { 'a:b': '-x' } }), [
    `spec.selector.matchLabels: Invalid value: "a:b": ${NAME_PART_REGEX}`,
    `spec.selector.matchLabels: Invalid value: "-x": ${LABEL_VALUE_REGEX}`,
  ]);
});
