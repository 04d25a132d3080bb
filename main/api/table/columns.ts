/** Column constructors shared by every descriptor's `columns`. */
import type { Cell, Column, ColumnType } from '../resource.js';
import type { KObject } from '../meta/object.js';
import { age } from './human-duration.js';

const DESCRIBE = {
  name: 'Name must be unique within a namespace. Cannot be updated.',
  age: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

/** Generic column: `col('Ready', readyCell)`, `col('IP', podIP, { priority: 1 })`. */
export function col<T extends KObject>(
  name: string,
  cell: (obj: T, now: number) => Cell,
  opts: { type?: ColumnType; priority?: number; description?: string; format?: string } = {},
): Column<T> {
  return {
    name,
    type: opts.type ?? 'string',
    format: opts.format ?? '',
    description: opts.description ?? name,
    priority: opts.priority ?? 0,
    cell,
  };
}

export const nameColumn = <T extends KObject>(): Column<T> =>
  col<T>('Name', (o) => o.metadata.name ?? '', { format: 'name', description: DESCRIBE.name });

export const ageColumn = <T extends KObject>(): Column<T> =>
  col<T>('Age', (o, now) => age(o.metadata.creationTimestamp, now), { description: DESCRIBE.age });

/** `<none>` for empty values, as upstream printers do. */
export const orNone = (s: string | undefined | null): string => (s ? s : '<none>');

/** `app=web,tier=db` (sorted keys) or `<none>`. */
export function formatLabels(m: Record<string, string> | undefined): string {
  if (!m || Object.keys(m).length === 0) return '<none>';
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join(',');
}
