/**
 * Finds object keys that appear twice in a JSON text (`{"a":1,"a":2}`), which JSON.parse silently collapses to the
 * last one. kube-apiserver reports them like unknown fields (Strict → 400, Warn → warning): `duplicate field "a"`.
 * A single linear scan; paths use the unknown-field notation (`spec.containers[0].name`). Invalid JSON yields no
 * findings (the parser reports it).
 */
export function findDuplicateFields(text: string, parsed?: unknown): string[] {
  // JSON.parse keeps one of each repeated key: when the parsed value has as many keys as the text, none repeat.
  // Counting is allocation-free; only a body that does repeat a key pays for the scan that names the paths.
  if (parsed !== undefined && keysIn(parsed) === keyTokensIn(text)) return [];
  const found: string[] = [];
  type Frame = { kind: 'object'; path: string; keys: Set<string>; key?: string } | { kind: 'array'; path: string; index: number };
  const stack: Frame[] = [];
  let i = 0;
  const n = text.length;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.kind === 'array') return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.key ?? ''}` : top.key ?? '';
  };
  const readString = (): string | undefined => {
    // text[i] === '"'
    let out = '';
    let j = i + 1;
    let start = j;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 34) {
        out += text.slice(start, j);
        i = j + 1;
        return out;
      }
      if (c === 92) {
        out += text.slice(start, j);
        const esc = text[j + 1];
        if (esc === 'u') {
          out += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
          j += 6;
        } else {
          out += esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === 'r' ? '\r' : esc === 'b' ? '\b' : esc === 'f' ? '\f' : esc ?? '';
          j += 2;
        }
        start = j;
        continue;
      }
      j++;
    }
    return undefined;
  };
  while (i < n) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (c === '{') {
      stack.push({ kind: 'object', path: childPath(), keys: new Set() });
      i++;
    } else if (c === '[') {
      stack.push({ kind: 'array', path: childPath(), index: 0 });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ',') {
      if (top?.kind === 'array') top.index++;
      i++;
    } else if (c === '"') {
      const s = readString();
      if (s === undefined) return found;
      // A string is a key when it is followed by ':' inside an object.
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++;
      if (top?.kind === 'object' && text[j] === ':') {
        const path = top.path ? `${top.path}.${s}` : s;
        if (top.keys.has(s)) found.push(path);
        top.keys.add(s);
        top.key = s;
        i = j + 1;
      }
    } else {
      i++;
    }
  }
  return found;
}

/** Number of object keys in a parsed JSON value, nested ones included. */
function keysIn(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let count = 0;
  if (Array.isArray(v)) {
    for (const item of v) count += keysIn(item);
    return count;
  }
  for (const k in v) {
    count++;
    count += keysIn((v as Record<string, unknown>)[k]);
  }
  return count;
}

/** Number of strings in a JSON text that are followed by ':' (object keys), without building any of them. */
function keyTokensIn(text: string): number {
  let count = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) !== 34) continue;
    let j = i + 1;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) j++;
      else if (c === 34) break;
    }
    let k = j + 1;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      k++;
    }
    if (text.charCodeAt(k) === 58) count++;
    i = j;
  }
  return count;
}
