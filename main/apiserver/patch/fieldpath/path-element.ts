/**
 * Path elements of structured-merge-diff field paths, as stored in `managedFields[].fieldsV1`:
 *   f:<name>        a field of a map/struct
 *   k:<json object> an element of an associative list, identified by its key fields (sorted by name)
 *   v:<json value>  an element of a set (list of scalars)
 *   i:<index>       an element of a list by position
 * Ordering (used for serialization) is: fields < keys < values < indices, each compared by content.
 */

export type PathElement =
  | { field: string }
  | { key: [string, unknown][] }
  | { value: unknown }
  | { index: number };

export type Path = PathElement[];

function rank(pe: PathElement): number {
  if ('field' in pe) return 0;
  if ('key' in pe) return 1;
  if ('value' in pe) return 2;
  return 3;
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order over JSON values: numbers < strings < bools < lists < maps < null (smd value.Compare). */
export function compareValues(a: unknown, b: unknown): number {
  const r = (v: unknown): number =>
    typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : v === null || v === undefined ? 5 : 4;
  const ra = r(a);
  const rb = r(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return cmp(a as number, b as number);
    case 1:
      return cmp(a as string, b as string);
    case 2:
      return cmp(Number(a), Number(b));
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: {
      const ea = Object.entries(a as Record<string, unknown>).sort(([x], [y]) => cmp(x, y));
      const eb = Object.entries(b as Record<string, unknown>).sort(([x], [y]) => cmp(x, y));
      for (let i = 0; i < Math.min(ea.length, eb.length); i++) {
        const c = cmp(ea[i]![0], eb[i]![0]) || compareValues(ea[i]![1], eb[i]![1]);
        if (c !== 0) return c;
      }
      return ea.length - eb.length;
    }
    default:
      return 0;
  }
}

export function comparePathElements(a: PathElement, b: PathElement): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if ('field' in a) return cmp(a.field, (b as { field: string }).field);
  if ('key' in a) {
    const ka = a.key;
    const kb = (b as { key: [string, unknown][] }).key;
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = cmp(ka[i]![0], kb[i]![0]) || compareValues(ka[i]![1], kb[i]![1]);
      if (c !== 0) return c;
    }
    return ka.length - kb.length;
  }
  if ('value' in a) return compareValues(a.value, (b as { value: unknown }).value);
  return cmp(a.index, (b as { index: number }).index);
}

/** A key-element from name/value pairs, with the pairs sorted by name as upstream requires. */
export function keyElement(pairs: [string, unknown][]): PathElement {
  return { key: [...pairs].sort(([x], [y]) => cmp(x, y)) };
}

export interface Step {
  pe: PathElement;
  /** serializePathElement(pe) */
  key: string;
}

const FIELD_STEPS_MAX = 20_000;
const fieldSteps = new Map<string, Step>();

/**
 * The `f:<name>` step, interned (bounded): field names repeat across every object written, and field-path walks
 * run on every write. Steps are shared: never mutate one.
 */
export function fieldStep(name: string): Step {
  let step = fieldSteps.get(name);
  if (!step) {
    step = { pe: { field: name }, key: `f:${name}` };
    if (fieldSteps.size < FIELD_STEPS_MAX) fieldSteps.set(name, step);
  }
  return step;
}

/** The fieldsV1 spelling: `f:name`, `k:{"name":"a"}`, `v:"x"`, `i:0`. Also the identity used in sets. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:${JSON.stringify(Object.fromEntries(pe.key))}`;
  if ('value' in pe) return `v:${JSON.stringify(pe.value)}`;
  return `i:${pe.index}`;
}

/** Parses a fieldsV1 key; undefined for unknown prefixes (ignored, as upstream does). */
export function parsePathElement(s: string): PathElement | undefined {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'k:': {
      const o = JSON.parse(body) as Record<string, unknown>;
      return keyElement(Object.entries(o));
    }
    case 'v:':
      return { value: JSON.parse(body) as unknown };
    case 'i:':
      return { index: Number.parseInt(body, 10) };
    default:
      return undefined;
  }
}

/** Go `%v`-style rendering of a value inside printed paths (strings quoted). */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${k}=${valueString((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return String(v);
}

/** Human form used in conflict messages: `.spec`, `[name="nginx"]`, `[="x"]`, `[0]`. */
export function pathElementString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

export function pathString(path: Path): string {
  return path.map(pathElementString).join('');
}
