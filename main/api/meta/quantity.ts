/**
 * resource.Quantity: parsing, canonical serialization and comparison, as apimachinery does it.
 *
 * A quantity is held exactly as `mantissa * 10^exponent10` (bigint mantissa, binary suffixes expanded), so no
 * float ever touches the value. The rules follow apimachinery's resource package:
 *  - parsing goes through its scanner (sign, digits, optional fraction, suffix letters, optional signed digits),
 *    so odd inputs such as ".", "1." or "+" behave as upstream;
 *  - values finer than a nano are rounded away from zero to the next nano ("0.0000000001" → "1n");
 *  - binary-suffixed values are capped at 2^63-1 and become DecimalSI when 0 < |v| < 1;
 *  - when the input is already in upstream's "canonical looking" form (its fast path), the text is kept verbatim
 *    and echoed back (`Quantity.text`) exactly like Go's cached string; otherwise the canonical form is computed
 *    (CanonicalizeBytes: as large a suffix as possible without losing precision, no fraction digits).
 */
export interface Quantity {
  /** Exact value: mantissa * 10^exponent10 (binary suffixes are expanded to decimal). */
  mantissa: bigint;
  exponent10: number;
  /** The suffix family the canonical string is written in. */
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
  /**
   * The original text when upstream would keep it verbatim (e.g. "1", "100m", "1Ki", "1e3", but also "+1" or
   * "1.001"); formatQuantity returns it unchanged. Absent on computed quantities.
   */
  text?: string;
}

export type QuantityFormat = Quantity['format'];

export const QUANTITY_REGEX_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** Upstream's error when the numeric part cannot be read (e.g. "Pi" with no digits in the slow path). */
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
/** Upstream's error for an unknown suffix ("1ki", "0.1mi"). */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

const INT64_MAX = (1n << 63n) - 1n;
const NANO = -9;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const SUFFIX_LETTERS = 'eEinumkKMGTP';

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const pow10 = (n: number) => 10n ** BigInt(n);
const abs = (v: bigint) => (v < 0n ? -v : v);

interface Scanned {
  negative: boolean;
  /** The numeric prefix as written (sign included), used by the slow path. */
  value: string;
  /** Integer digits without leading zeros ("0" when none). */
  num: string;
  denom: string;
  suffix: string;
}

/** The upstream scanner; undefined means the text is not of the quantity shape. */
function scan(str: string): Scanned | undefined {
  const end = str.length;
  let pos = 0;
  let negative = false;
  if (str[0] === '-') {
    negative = true;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { negative, value: '0', num: '0', denom: '', suffix: '' };

  const numStart = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { negative, value: str, num: str.slice(numStart), denom: '', suffix: '' };
  const num = str.slice(numStart, pos) || '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
    if (pos >= end) return { negative, value: str, num, denom, suffix: '' };
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && SUFFIX_LETTERS.includes(str[pos]!)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) return undefined;
  return { negative, value, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(s: string): Suffix | undefined {
  if (s in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[s]!, format: 'DecimalSI' };
  if (s in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[s]!, format: 'BinarySI' };
  if (s.length > 1 && (s[0] === 'e' || s[0] === 'E')) {
    const digits = s.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const n = BigInt(digits);
    if (n > INT64_MAX || n < -INT64_MAX - 1n) return undefined;
    // Upstream parses an int64 and then narrows it to int32; the wrap-around is reproduced.
    return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
  }
  return undefined;
}

type ParseResult = { ok: true; q: Quantity } | { ok: false; error: string };

function parse(str: string): ParseResult {
  if (str.length === 0) return { ok: false, error: QUANTITY_REGEX_ERROR };
  if (str === '0') return { ok: true, q: { mantissa: 0n, exponent10: 0, format: 'DecimalSI', text: '0' } };
  const sc = scan(str);
  if (!sc) return { ok: false, error: QUANTITY_REGEX_ERROR };
  const sfx = interpretSuffix(sc.suffix);
  if (!sfx) return { ok: false, error: QUANTITY_SUFFIX_ERROR };
  let format = sfx.format;

  // Fast path: the value fits an int64 at a scale no finer than nano.
  let precision: number;
  let scale = 0;
  let multiplier = 1n;
  if (sfx.base === 10) {
    scale = sfx.exponent;
    precision = 18 - sc.num.length - sc.denom.length;
  } else if (sc.denom === '') {
    multiplier = 1n << BigInt(sfx.exponent);
    precision = 15 - sc.num.length - Math.trunc((sfx.exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0) {
    scale -= sc.denom.length;
    if (scale >= NANO) {
      const shifted = sc.num + sc.denom;
      const v = BigInt(shifted);
      const product = v * multiplier;
      if (v <= INT64_MAX && product <= INT64_MAX) {
        const q: Quantity = { mantissa: sc.negative ? -product : product, exponent10: scale, format };
        const keepsText =
          sfx.base === 2
            ? (v & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        if (keepsText) q.text = str;
        return { ok: true, q };
      }
    }
  }

  // Slow path: arbitrary precision, rounded up to nano, binary values capped.
  if (!/[0-9]/.test(sc.value)) return { ok: false, error: QUANTITY_NUMERIC_ERROR };
  let mantissa = BigInt(sc.num + sc.denom);
  let exponent10 = -sc.denom.length;
  if (sfx.base === 10) exponent10 += sfx.exponent;
  else mantissa <<= BigInt(sfx.exponent);

  if (mantissa !== 0n && exponent10 < NANO) {
    const shift = NANO - exponent10;
    if (shift > mantissa.toString().length) {
      mantissa = 1n;
    } else {
      const d = pow10(shift);
      mantissa = mantissa / d + (mantissa % d === 0n ? 0n : 1n);
    }
    exponent10 = NANO;
  }
  if (format === 'BinarySI') {
    if (mantissa > INT64_MAX * pow10(Math.max(0, -exponent10))) {
      mantissa = INT64_MAX;
      exponent10 = 0;
    }
    if (mantissa !== 0n && exponent10 < 0 && mantissa < pow10(-exponent10)) format = 'DecimalSI';
  }
  return { ok: true, q: { mantissa: sc.negative ? -mantissa : mantissa, exponent10, format } };
}

/** Text for a JSON number the way Go would see the literal (best effort: JS keeps no original spelling). */
function numberText(n: number): string | undefined {
  return Number.isFinite(n) ? String(n) : undefined;
}

/** Parses "100m", "1Gi", "1e3", "0.5", or a JSON number; undefined when invalid. */
export function parseQuantity(s: string | number): Quantity | undefined {
  const text = typeof s === 'number' ? numberText(s) : s;
  if (text === undefined) return undefined;
  const r = parse(text);
  return r.ok ? r.q : undefined;
}

/**
 * Upstream's error message for an invalid quantity (QUANTITY_REGEX_ERROR / QUANTITY_SUFFIX_ERROR /
 * QUANTITY_NUMERIC_ERROR), or undefined when `s` parses. Leading/trailing blanks are tolerated as in JSON decoding.
 */
export function quantityError(s: string | number): string | undefined {
  const text = typeof s === 'number' ? numberText(s) : s.trim();
  if (text === undefined) return QUANTITY_REGEX_ERROR;
  const r = parse(text);
  return r.ok ? undefined : r.error;
}

/**
 * What the API server stores and echoes for a quantity value found in a JSON body: the string is trimmed
 * (as Quantity.UnmarshalJSON does), parsed, and written back as Go's String() would ("1000m" → "1",
 * "0.5" → "500m", "1024Mi" → "1Gi"; canonical-looking input such as "100M" or "1e3" is kept verbatim).
 * Undefined when invalid.
 */
export function canonicalQuantity(s: string | number): string | undefined {
  const q = parseQuantity(typeof s === 'string' ? s.trim() : s);
  return q ? formatQuantity(q) : undefined;
}

/** Go's Quantity.String(): the kept text when there is one, otherwise the canonical form. */
export function formatQuantity(q: Quantity): string {
  return q.text ?? canonicalizeQuantity(q);
}

/** CanonicalizeBytes: the canonical form computed from the value and format, ignoring any kept text. */
export function canonicalizeQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    // Small or fractional binary values are shown in decimal so nothing is rounded.
    if (compareAbs(q, 1024n) < 0 || !isInteger(q)) format = 'DecimalSI';
  } else if (format !== 'DecimalSI' && format !== 'DecimalExponent') {
    format = 'DecimalExponent';
  }

  if (format === 'BinarySI') {
    let v = q.exponent10 >= 0 ? q.mantissa * pow10(q.exponent10) : q.mantissa / pow10(-q.exponent10);
    let power = 0;
    while (power < BINARY_BY_POWER.length - 1 && abs(v) >= 1024n && v % 1024n === 0n) {
      v /= 1024n;
      power++;
    }
    return `${v}${BINARY_BY_POWER[power]}`;
  }

  let m = q.mantissa;
  let e = q.exponent10;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  // Lower the exponent to a multiple of three.
  const r = ((e % 3) + 3) % 3;
  if (r !== 0) {
    m *= pow10(r);
    e -= r;
  }
  if (format === 'DecimalSI') {
    const sfx = DECIMAL_BY_EXPONENT.get(e);
    // Beyond "E" (or below "n") there is no SI suffix: fall back to e-notation rather than dropping the exponent.
    if (sfx !== undefined) return `${m}${sfx}`;
  }
  return e === 0 ? `${m}` : `${m}e${e}`;
}

function isInteger(q: Quantity): boolean {
  return q.exponent10 >= 0 || q.mantissa % pow10(-q.exponent10) === 0n;
}

/** Compares |q| with a non-negative integer. */
function compareAbs(q: Quantity, n: bigint): -1 | 0 | 1 {
  return compareQuantities({ mantissa: abs(q.mantissa), exponent10: q.exponent10, format: q.format }, {
    mantissa: n,
    exponent10: 0,
    format: 'DecimalSI',
  });
}

/** ceil(q / 10^scale) as an exact bigint (Go's ScaledValue without the int64 overflow). */
export function quantityScaledBigInt(q: Quantity, scale: number): bigint {
  const shift = q.exponent10 - scale;
  if (shift >= 0) return q.mantissa * pow10(shift);
  const d = pow10(-shift);
  const quotient = q.mantissa / d; // truncates toward zero
  return q.mantissa > 0n && q.mantissa % d !== 0n ? quotient + 1n : quotient;
}

/** Value as a float (bytes, cores). */
export function quantityValue(q: Quantity): number {
  return Number(`${q.mantissa}e${q.exponent10}`);
}

/** Value(): the value rounded up to an integer ("100m" → 1, "1Ki" → 1024). */
export function quantityIntValue(q: Quantity): number {
  return Number(quantityScaledBigInt(q, 0));
}

/** Value in thousandths, rounded up (MilliValue): cpu "100m" → 100, "1" → 1000. */
export function quantityMilliValue(q: Quantity): number {
  return Number(quantityScaledBigInt(q, -3));
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const sa = a.mantissa === 0n ? 0 : a.mantissa < 0n ? -1 : 1;
  const sb = b.mantissa === 0n ? 0 : b.mantissa < 0n ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Same sign: compare magnitudes by order of magnitude first, so huge exponents never get expanded.
  const ma = abs(a.mantissa);
  const mb = abs(b.mantissa);
  const oa = ma.toString().length + a.exponent10;
  const ob = mb.toString().length + b.exponent10;
  let c: number;
  if (oa !== ob) {
    c = oa < ob ? -1 : 1;
  } else {
    const diff = a.exponent10 - b.exponent10;
    const xa = diff > 0 ? ma * pow10(diff) : ma;
    const xb = diff < 0 ? mb * pow10(-diff) : mb;
    c = xa === xb ? 0 : xa < xb ? -1 : 1;
  }
  if (c === 0) return 0;
  return (sa < 0 ? -c : c) as -1 | 1;
}

/** Largest exponent gap add() will bridge exactly (10^gap is materialised). */
const MAX_ALIGN = 100_000;

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const e = Math.min(a.exponent10, b.exponent10);
  const da = a.exponent10 - e;
  const db = b.exponent10 - e;
  if (da > MAX_ALIGN || db > MAX_ALIGN) throw new RangeError('quantities too far apart in magnitude to combine exactly');
  return [a.mantissa * pow10(da), b.mantissa * pow10(db), e];
}

/** a + b exactly. The result keeps a's format, or b's when a is zero (as Quantity.Add). */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  if (b.mantissa === 0n) return { mantissa: a.mantissa, exponent10: a.exponent10, format: a.format };
  if (a.mantissa === 0n) return { mantissa: b.mantissa, exponent10: b.exponent10, format: b.format };
  const [x, y, e] = align(a, b);
  return { mantissa: x + y, exponent10: e, format: a.format };
}

/** a - b exactly; format as in addQuantities. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return addQuantities(a, negateQuantity(b));
}

export function negateQuantity(q: Quantity): Quantity {
  return { mantissa: -q.mantissa, exponent10: q.exponent10, format: q.format };
}

/** NewQuantity / NewMilliQuantity / NewScaledQuantity: value * 10^scale in the given format. */
export function newQuantity(value: number | bigint, format: QuantityFormat = 'DecimalSI', scale = 0): Quantity {
  if (typeof value === 'number' && !Number.isInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return { mantissa: BigInt(value), exponent10: scale, format };
}
