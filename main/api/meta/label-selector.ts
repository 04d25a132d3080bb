/**
 * Label selectors: the query-string grammar (`app=web,tier notin (db),!canary`), the LabelSelector object
 * (matchLabels/matchExpressions), matching and formatting — apimachinery's labels package and the metav1
 * helpers around it. Error texts are upstream's, because they reach users verbatim as 400 BadRequest messages
 * (kubectl prefixes them with `Unable to find ... that match label selector ...`).
 */
import { forbidden, invalid, required, type FieldError, type FieldPath } from './field-errors.js';
import { isQualifiedName, isValidLabelValue } from './name-validation.js';

export type Operator =
  | 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** An AND of requirements; [] selects everything. `nothing` selects nothing (a nil selector). */
export type Selector = Requirement[] | 'nothing';

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Thrown for an unparseable selector; `message` is upstream's wording (→ 400 BadRequest). */
export class SelectorParseError extends Error {}

// ---------------------------------------------------------------------------------------------------------
// Go-style rendering used inside field.Error texts.

/** Go's %q for a string (printable characters kept, the usual escapes otherwise). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's %#v for a []string; `undefined` stands for a nil slice. */
function goStringSlice(v: string[] | undefined): string {
  if (v === undefined) return '[]string(nil)';
  return `[]string{${v.map(goQuote).join(', ')}}`;
}

/** utilerrors.NewAggregate(...).Error(): duplicates dropped, one message bare, several bracketed. */
function aggregate(msgs: string[]): string {
  const uniq = [...new Set(msgs)];
  return uniq.length === 1 ? uniq[0]! : `[${uniq.join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------------------
// Requirement construction (labels.NewRequirement) with upstream's field paths, which are relative because
// neither the parser nor LabelSelectorAsSelector passes a base path.

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const ALL_OPERATORS = [...BINARY_OPERATORS, 'exists', '!'];

const INT64_RE = /^[+-]?[0-9]+$/;
function parseInt64(s: string): bigint | undefined {
  if (!INT64_RE.test(s)) return undefined;
  const n = BigInt(s);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

/** Validation messages of labels.NewRequirement; [] when the requirement is valid. */
function requirementErrors(key: string, op: string, vals: string[] | undefined): string[] {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${goQuote(key)}: ${keyErrs.join('; ')}`);
  const values = vals ?? [];
  const bad = (detail: string) => `values: Invalid value: ${goStringSlice(vals)}: ${detail}`;
  switch (op) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(bad("for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(bad('exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(bad('values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(bad("for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined)
          errs.push(`values[${i}]: Invalid value: ${goQuote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
    default:
      errs.push(
        `operator: Unsupported value: ${goQuote(op)}: supported values: ${ALL_OPERATORS.map(goQuote).join(', ')}`,
      );
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(`values[${i}][${key}]: Invalid value: ${goQuote(v)}: ${msgs.join('; ')}`);
  });
  return errs;
}

function newRequirement(key: string, op: Operator, vals: string[] | undefined): Requirement {
  const errs = requirementErrors(key, op, vals);
  if (errs.length) throw new SelectorParseError(aggregate(errs));
  return { key, operator: op, values: vals ?? [] };
}

/** Selector.Add: requirements ordered by key (stable, as Go's sort is for small selectors). */
function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------
// Lexer and parser of the query-string grammar.

type Token =
  | 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'ident' | 'in' | '<' | '!=' | 'notin' | '(';

const LITERAL_TOKENS: Record<string, Token> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};
const lookupToken = (s: string): Token | undefined => (Object.hasOwn(LITERAL_TOKENS, s) ? LITERAL_TOKENS[s] : undefined);

interface Item {
  tok: Token;
  lit: string;
}

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of symbols that still forms an operator ("!=", "==", ...).
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        const tok = lookupToken(buf + s[pos]);
        if (tok) {
          buf += s[pos];
          last = { tok, lit: buf };
          pos++;
        } else if (last) {
          break;
        } else {
          buf += s[pos];
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) pos++;
      const word = s.slice(start, pos);
      items.push({ tok: lookupToken(word) ?? 'ident', lit: word });
    }
  }
}

type Context = 'keyAndOperator' | 'values';

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  private view(i: number, ctx: Context): Item {
    const it = this.items[Math.min(i, this.items.length - 1)]!;
    // In value position the keywords `in`/`notin` are ordinary identifiers.
    if (ctx === 'values' && (it.tok === 'in' || it.tok === 'notin')) return { tok: 'ident', lit: it.lit };
    return it;
  }
  lookahead(ctx: Context): Item {
    return this.view(this.pos, ctx);
  }
  consume(ctx: Context): Item {
    return this.view(this.pos++, ctx);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead('values');
      if (tok === 'eos') return reqs;
      if (tok !== 'ident' && tok !== '!')
        throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const next = this.consume('values');
      if (next.tok === 'eos') return reqs;
      if (next.tok !== ',') throw new SelectorParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.tok !== 'ident' && after.tok !== '!')
        throw new SelectorParseError(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): Requirement {
    let { tok, lit } = this.consume('values');
    let negated = false;
    if (tok === '!') {
      negated = true;
      ({ tok, lit } = this.consume('values'));
    }
    if (tok !== 'ident') throw new SelectorParseError(`found '${lit}', expected: identifier`);
    const keyErrs = isQualifiedName(lit);
    if (keyErrs.length) throw new SelectorParseError(`<nil>: Invalid value: ${goQuote(lit)}: ${keyErrs.join('; ')}`);
    const key = lit;
    const next = this.lookahead('values').tok;
    // `!key` is complete by itself; whatever follows it is then rejected by the caller.
    if (negated) return newRequirement(key, '!', []);
    if (next === 'eos' || next === ',') return newRequirement(key, 'exists', []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume('keyAndOperator');
    switch (tok) {
      case 'in': return 'in';
      case '=': return '=';
      case '==': return '==';
      case '>': return 'gt';
      case '<': return 'lt';
      case 'notin': return 'notin';
      case '!=': return '!=';
      default: throw new SelectorParseError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.tok !== '(') throw new SelectorParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead('values');
    if (tok === 'ident' || tok === ',') {
      const set = this.parseIdentifiersList();
      // Upstream reports the token seen before the list here, not the offending one.
      if (this.consume('values').tok !== ')') throw new SelectorParseError(`found '${lit}', expected: ')'`);
      return set;
    }
    if (tok === ')') {
      this.consume('values');
      return new Set(['']);
    }
    throw new SelectorParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const set = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume('values');
      if (tok === 'ident') {
        set.add(lit);
        const next = this.lookahead('values');
        if (next.tok === ',') continue;
        if (next.tok === ')') return set;
        throw new SelectorParseError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === ',') {
        // Empty entries (`(,a)`, `(a,)`, `(a,,b)`) stand for the empty value.
        if (set.size === 0) set.add('');
        const next = this.lookahead('values').tok;
        if (next === ')') {
          set.add('');
          return set;
        }
        if (next === ',') {
          this.consume('values');
          set.add('');
        }
        continue;
      }
      throw new SelectorParseError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const ahead = this.lookahead('values').tok;
    if (ahead === 'eos' || ahead === ',') return new Set(['']);
    const { tok, lit } = this.consume('values');
    if (tok === 'ident') return new Set([lit]);
    throw new SelectorParseError(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse. Throws SelectorParseError with upstream's message. "" selects everything. */
export function parseLabelSelector(s: string): Selector {
  return sortByKey(new Parser(lex(s)).parse());
}

/** metav1.LabelSelectorAsSelector: undefined → 'nothing', {} → everything. Throws SelectorParseError. */
export function selectorFromObject(ls: LabelSelectorObject | undefined | null): Selector {
  if (ls === undefined || ls === null) return 'nothing';
  const labels = Object.entries(ls.matchLabels ?? {});
  const exprs = ls.matchExpressions ?? [];
  if (labels.length + exprs.length === 0) return [];
  const reqs: Requirement[] = labels.map(([k, v]) => newRequirement(k, '=', [v]));
  for (const e of exprs) {
    let op: Operator;
    switch (e.operator) {
      case 'In': op = 'in'; break;
      case 'NotIn': op = 'notin'; break;
      case 'Exists': op = 'exists'; break;
      case 'DoesNotExist': op = '!'; break;
      default: throw new SelectorParseError(`${goQuote(e.operator)} is not a valid label selector operator`);
    }
    reqs.push(newRequirement(e.key, op, e.values && e.values.length ? [...e.values] : undefined));
  }
  return sortByKey(reqs);
}

/** labels.SelectorFromSet: exact match on every pair; an empty or missing set selects everything. */
export function selectorFromSet(set: Record<string, string> | undefined | null): Selector {
  return sortByKey(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key]!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key]!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const actual = parseInt64(labels[r.key]!);
      const bound = parseInt64(r.values[0]!);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

export function matchesLabels(sel: Selector, labels: Record<string, string> | undefined): boolean {
  if (sel === 'nothing') return false;
  const ls = labels ?? {};
  return sel.every((r) => requirementMatches(r, ls));
}

/** True when the selector does not restrict anything (labels.Everything()). */
export function selectsEverything(sel: Selector): boolean {
  return sel !== 'nothing' && sel.length === 0;
}

const OPERATOR_TEXT: Record<Operator, string> = {
  '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '',
};

function requirementToString(r: Requirement): string {
  const head = (r.operator === '!' ? '!' : '') + r.key;
  if (r.operator === 'exists' || r.operator === '!') return head;
  const values = r.values.length === 1 ? r.values[0]! : [...r.values].sort().join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return head + OPERATOR_TEXT[r.operator] + (set ? `(${values})` : values);
}

/** Selector.String(): canonical text of a parsed selector (sorted by key). */
export function selectorToString(sel: Selector): string {
  if (sel === 'nothing') return '';
  return sel.map(requirementToString).join(',');
}

/** metav1.FormatLabelSelector: "app=web,tier in (a,b)"; "<none>" for an empty selector; "<error>" if invalid. */
export function formatLabelSelector(ls: LabelSelectorObject | undefined | null): string {
  let sel: Selector;
  try {
    sel = selectorFromObject(ls);
  } catch (e) {
    if (e instanceof SelectorParseError) return '<error>';
    throw e;
  }
  return selectorToString(sel) || '<none>';
}

export interface LabelSelectorValidationOptions {
  /** Skip label-value checks of matchExpressions values (upstream allows this when the old object had them). */
  allowInvalidLabelValueInSelector?: boolean;
}

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(
  ls: LabelSelectorObject | undefined,
  path: FieldPath,
  opts: LabelSelectorValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  if (!ls) return errs;
  const labelsPath = path.child('matchLabels');
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(labelsPath, k, m));
    for (const m of isValidLabelValue(v)) errs.push(invalid(labelsPath, v, m));
  }
  (ls.matchExpressions ?? []).forEach((sr, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = sr.values ?? [];
    switch (sr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0)
          errs.push(forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(p.child('operator'), sr.operator, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(sr.key)) errs.push(invalid(p.child('key'), sr.key, m));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const m of isValidLabelValue(v)) errs.push(invalid(p.child('values').index(j), v, m));
      });
    }
  });
  return errs;
}
