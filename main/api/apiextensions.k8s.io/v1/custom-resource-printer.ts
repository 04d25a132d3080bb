/**
 * Table cells for a CRD's additionalPrinterColumns (apiextensions-apiserver's tableconvertor): a JSONPath
 * subset evaluated against each object, then formatted by the column type.
 *
 * Supported JSONPath: `.a.b`, `.a[0]`, `.a[-1]`, `.a[*].b`, `['key.with.dots']`, and filters
 * `[?(@.type=="Ready")]` (also `!=`, single quotes, numbers, `@.x` alone for existence). Paths may be
 * wrapped in `{...}`. The first match is used, as upstream does.
 */
import type { Cell } from '../../resource.js';
import { isObject } from '../../meta/object.js';
import { humanDuration } from '../../table/human-duration.js';
import type { PrinterColumn } from './custom-resource-definition.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: unknown };

export class JSONPathError extends Error {}

function parseLiteral(s: string): unknown {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = Number(t);
  if (t !== '' && !Number.isNaN(n)) return n;
  throw new JSONPathError(`unrecognized literal ${s}`);
}

/** Parses a JSONPath of the supported subset into steps; throws JSONPathError. */
export function parseJSONPath(path: string): Step[] {
  let s = path.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      i++;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      const name = s.slice(i, j);
      if (name === '*') steps.push({ kind: 'all' });
      else if (name) steps.push({ kind: 'field', name });
      i = j;
    } else if (c === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) throw new JSONPathError(`unterminated [ in ${path}`);
      let body = s.slice(i + 1, end);
      if (body.startsWith('?(')) {
        const close = findFilterEnd(s, i);
        body = s.slice(i + 3, close - 1);
        steps.push(parseFilter(body));
        i = close + 1;
        continue;
      }
      body = body.trim();
      if (body === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(body)) steps.push({ kind: 'index', index: Number(body) });
      else if (/^'.*'$|^".*"$/.test(body)) steps.push({ kind: 'field', name: body.slice(1, -1) });
      else throw new JSONPathError(`unsupported subscript [${body}]`);
      i = end + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    }
  }
  return steps;
}

function findFilterEnd(s: string, start: number): number {
  let depth = 0;
  let quote = '';
  for (let i = start; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ']' && depth === 0) return i;
  }
  throw new JSONPathError('unterminated filter');
}

function parseFilter(body: string): Step {
  const m = /^\s*@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+?)\s*$/.exec(body);
  if (m) return { kind: 'filter', path: m[1]!.slice(1).split('.'), op: m[2] as '==' | '!=', value: parseLiteral(m[3]!) };
  const e = /^\s*@((?:\.[^.=!\s]+)+)\s*$/.exec(body);
  if (e) return { kind: 'filter', path: e[1]!.slice(1).split('.'), op: 'exists' };
  throw new JSONPathError(`unsupported filter ${body}`);
}

function getPath(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Every value the path selects, in document order (missing keys select nothing). */
export function evaluateJSONPath(obj: unknown, steps: Step[]): unknown[] {
  let cur: unknown[] = [obj];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (st.kind === 'field') {
        if (isObject(v) && v[st.name] !== undefined) next.push(v[st.name]);
      } else if (st.kind === 'index') {
        if (Array.isArray(v)) {
          const i = st.index < 0 ? v.length + st.index : st.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (st.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else {
        const list = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [];
        for (const item of list) {
          const got = getPath(item, st.path);
          if (st.op === 'exists' ? got !== undefined : st.op === '==' ? got === st.value : got !== undefined && got !== st.value)
            next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** Go's fmt %v rendering of decoded JSON, which is what jsonpath prints for non-string values. */
function goText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goText).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o).sort().map((k) => `${k}:${goText(o[k])}`).join(' ')}]`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** One cell, formatted by column type like upstream's cellForJSONValue; null when there is nothing to show. */
export function formatPrinterCell(type: string, value: unknown, now: number): Cell {
  if (value === undefined) return null;
  if (type === 'string') return value === null ? '<nil>' : goText(value);
  if (value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(t)) return '<invalid>';
      return humanDuration(now - t);
    }
    default:
      return null;
  }
}

/** Cells of the given printer columns (not the Name column) for one object. */
export function printerColumnCells(obj: unknown, columns: PrinterColumn[], now: number): Cell[] {
  return columns.map((c) => {
    let steps: Step[];
    try {
      steps = parseJSONPath(c.jsonPath ?? '');
    } catch {
      return null;
    }
    const found = evaluateJSONPath(obj, steps);
    return found.length === 0 ? null : formatPrinterCell(c.type ?? 'string', found[0], now);
  });
}
