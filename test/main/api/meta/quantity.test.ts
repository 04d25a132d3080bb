import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_REGEX_ERROR,
  QUANTITY_SUFFIX_ERROR,
  addQuantities,
  canonicalQuantity,
  canonicalizeQuantity,
  compareQuantities,
  formatQuantity,
  newQuantity,
  parseQuantity,
  quantityError,
  quantityIntValue,
  quantityMilliValue,
  quantityValue,
  subtractQuantities,
  type Quantity,
} from '../../../../main/api/meta/quantity.js';

const q = (s: string | number): Quantity => {
  const r = parseQuantity(s);
  assert.ok(r, `expected ${String(s)} to parse`);
  return r;
};

test('input → string the API server echoes back (Go String())', () => {
  const cases: [string, string][] = [
    // canonicalization
    ['1000m', '1'],
    ['0.5', '500m'],
    ['0.1', '100m'],
    ['1.5Gi', '1536Mi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['307200Ki', '300Mi'],
    ['0.5Mi', '512Ki'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['1.5e3', '1500'],
    ['1000u', '1m'],
    ['0.001T', '1G'],
    ['5000m', '5'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['100.035Ki', '102435840m'],
    ['-0', '0'],
    ['0Ki', '0'],
    ['0.000', '0'],
    ['.', '0'],
    ['-1.5Gi', '-1536Mi'],
    ['-1000m', '-1'],
    // already canonical: kept verbatim
    ['0', '0'],
    ['100M', '100M'],
    ['100m', '100m'],
    ['1e3', '1e3'],
    ['12e6', '12e6'],
    ['1Ki', '1Ki'],
    ['8Ki', '8Ki'],
    ['1Gi', '1Gi'],
    ['300Mi', '300Mi'],
    ['-1', '-1'],
    ['80e-3', '80e-3'],
    // upstream keeps these spellings too (its fast path only checks the shape)
    ['+1', '+1'],
    ['01', '01'],
    ['1E3', '1E3'],
    ['1e+3', '1e+3'],
    ['1.001', '1.001'],
    ['1.000001', '1.000001'],
    ['1.', '1.'],
    // rounding up to nano
    ['0.0000000001', '1n'],
    ['0.0000000005', '1n'],
    ['0.9n', '1n'],
    ['3.001n', '4n'],
    ['0.00000012345', '124n'],
    ['1.1E-9', '2e-9'],
    ['1e-1000', '1e-9'],
    // binary cap and fallbacks
    ['9Ei', '9223372036854775807'],
    ['-9Ei', '-9223372036854775807'],
    ['9223372036854775807Ki', '9223372036854775807'],
    ['1000E', '1e21'],
    ['1e4294967297', '10'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('canonical form ignores kept text (CanonicalizeBytes)', () => {
  const cases: [string, string][] = [
    ['+1', '1'],
    ['01', '1'],
    ['1E3', '1e3'],
    ['1.001', '1001m'],
    ['1.000001', '1000001u'],
    ['1e0', '1'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalizeQuantity(q(input)), want, input);
});

test('formats computed quantities by format', () => {
  const cases: [Quantity, string][] = [
    [{ mantissa: 1024n * 1024n * 1024n, exponent10: 0, format: 'BinarySI' }, '1Gi'],
    [{ mantissa: 1001n * 1024n ** 3n, exponent10: 0, format: 'BinarySI' }, '1001Gi'],
    [{ mantissa: 5n, exponent10: 0, format: 'BinarySI' }, '5'],
    [{ mantissa: 500n, exponent10: -3, format: 'BinarySI' }, '500m'],
    [{ mantissa: 1025n, exponent10: 0, format: 'BinarySI' }, '1025'],
    [{ mantissa: 1234567n, exponent10: -3, format: 'BinarySI' }, '1234567m'],
    [{ mantissa: 1000n, exponent10: 6, format: 'DecimalSI' }, '1G'],
    [{ mantissa: 108n, exponent10: -2, format: 'DecimalSI' }, '1080m'],
    [{ mantissa: 10800n, exponent10: -10, format: 'DecimalSI' }, '1080n'],
    [{ mantissa: 1234567n, exponent10: 6, format: 'DecimalSI' }, '1234567M'],
    [{ mantissa: 1n, exponent10: 9, format: 'DecimalExponent' }, '1e9'],
    [{ mantissa: 300n, exponent10: 6, format: 'DecimalExponent' }, '300e6'],
    [{ mantissa: 0n, exponent10: 0, format: 'DecimalExponent' }, '0'],
    [{ mantissa: -901n, exponent10: -2, format: 'DecimalSI' }, '-9010m'],
  ];
  for (const [value, want] of cases) assert.equal(formatQuantity(value), want, want);
});

test('parsed values and formats', () => {
  const cases: [string, bigint, number, Quantity['format']][] = [
    ['1Ki', 1024n, 0, 'BinarySI'],
    ['3Ei', 3n * 1024n ** 6n, 0, 'BinarySI'],
    ['50k', 50n, 3, 'DecimalSI'],
    ['1E', 1n, 18, 'DecimalSI'],
    ['1E-3', 1n, -3, 'DecimalExponent'],
    ['1.3E+6', 13n, 5, 'DecimalExponent'],
    ['100.035k', 100035n, 0, 'DecimalSI'],
    ['0.0005k', 5n, -1, 'DecimalSI'],
    ['1.G', 1n, 9, 'DecimalSI'],
    ['0.000000000001Ki', 2n, -9, 'DecimalSI'],
    ['0.05Gi', 536870912n, -1, 'BinarySI'],
  ];
  for (const [input, m, e, format] of cases) {
    const got = q(input);
    assert.equal(compareQuantities(got, { mantissa: m, exponent10: e, format }), 0, input);
    assert.equal(got.format, format, input);
    // negated and explicitly signed spellings parse to the same magnitude and format
    const neg = q(`-${input}`);
    assert.equal(compareQuantities(neg, { mantissa: -m, exponent10: e, format }), 0, `-${input}`);
    assert.equal(q(`+${input}`).format, format);
  }
});

test('invalid quantities and upstream error texts', () => {
  const cases: [string, string][] = [
    ['', QUANTITY_REGEX_ERROR],
    ['1.1.M', QUANTITY_REGEX_ERROR],
    ['1+1.0M', QUANTITY_REGEX_ERROR],
    ['aoeu', QUANTITY_REGEX_ERROR],
    ['-3.01e-', QUANTITY_SUFFIX_ERROR],
    ['0.1mi', QUANTITY_SUFFIX_ERROR],
    ['0.1am', QUANTITY_REGEX_ERROR],
    ['.5i', QUANTITY_SUFFIX_ERROR],
    ['1i', QUANTITY_SUFFIX_ERROR],
    ['-3.01i', QUANTITY_SUFFIX_ERROR],
    ['1ki', QUANTITY_SUFFIX_ERROR],
    ['1e', QUANTITY_SUFFIX_ERROR],
    ['Pi', QUANTITY_NUMERIC_ERROR],
    ['e-10', QUANTITY_NUMERIC_ERROR],
  ];
  for (const [input, message] of cases) {
    assert.equal(parseQuantity(input), undefined, input);
    assert.equal(quantityError(input), message, input);
    assert.equal(canonicalQuantity(input), undefined, input);
  }
  // ParseQuantity rejects blanks; JSON decoding (canonicalQuantity/quantityError) trims them.
  assert.equal(parseQuantity(' 1'), undefined);
  assert.equal(parseQuantity('1 '), undefined);
  assert.equal(canonicalQuantity(' 1'), '1');
  assert.equal(quantityError('1 '), undefined);
  assert.equal(parseQuantity(Number.NaN), undefined);
});

test('JSON numbers', () => {
  assert.equal(canonicalQuantity(1), '1');
  assert.equal(canonicalQuantity(0.5), '500m');
  assert.equal(canonicalQuantity(-1), '-1');
  assert.equal(canonicalQuantity(1024), '1024');
  assert.equal(canonicalQuantity(2.5e-10), '1e-9');
});

test('value, int value and milli value round up', () => {
  assert.equal(quantityValue(q('100m')), 0.1);
  assert.equal(quantityValue(q('1Gi')), 1073741824);
  assert.equal(quantityIntValue(q('100m')), 1);
  assert.equal(quantityIntValue(q('1Ki')), 1024);
  assert.equal(quantityMilliValue(q('100m')), 100);
  assert.equal(quantityMilliValue(q('1')), 1000);
  assert.equal(quantityMilliValue(q('1n')), 1);
  assert.equal(quantityMilliValue(q('1.0001')), 1001);
  assert.equal(quantityMilliValue(q('2Gi')), 2147483648000);
});

test('compare', () => {
  const cases: [string, string, number][] = [
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['-1', '1n', -1],
    ['-2', '-1', -1],
    ['1e1000', '1e999', 1],
    ['-1e1000', '1', -1],
    ['800m', '79e-2', 1],
  ];
  for (const [a, b, want] of cases) {
    assert.equal(compareQuantities(q(a), q(b)), want, `${a} vs ${b}`);
    assert.equal(compareQuantities(q(b), q(a)), -want || 0, `${b} vs ${a}`);
  }
});

test('add and subtract are exact and keep the format of the non-zero side', () => {
  assert.equal(formatQuantity(addQuantities(q('100m'), q('900m'))), '1');
  assert.equal(formatQuantity(addQuantities(q('1Gi'), q('512Mi'))), '1536Mi');
  assert.equal(formatQuantity(addQuantities(q('0.1'), q('0.2'))), '300m');
  assert.equal(formatQuantity(addQuantities(q('100m'), q('0'))), '100m');
  assert.equal(formatQuantity(addQuantities(q('0'), q('1Gi'))), '1Gi');
  assert.equal(formatQuantity(addQuantities(q('1'), q('-1'))), '0');
  assert.equal(formatQuantity(subtractQuantities(q('1Gi'), q('1Mi'))), '1023Mi');
  assert.equal(formatQuantity(subtractQuantities(q('0'), q('100m'))), '-100m');
  assert.equal(formatQuantity(newQuantity(1000)), '1k');
  assert.equal(formatQuantity(newQuantity(1024, 'BinarySI')), '1Ki');
  assert.equal(formatQuantity(newQuantity(1, 'DecimalSI', -3)), '1m');
  assert.equal(formatQuantity(newQuantity(1024, 'BinarySI', -3)), '1024m');
});
