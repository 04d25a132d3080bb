/**
 * Server-side printing (meta.k8s.io Table), which is what makes `kubectl get` show READY, STATUS, ... columns.
 * Rows always carry every column (wide included); kubectl hides priority > 0 columns unless `-o wide`.
 */
import type { KObject } from '../../api/meta/object.js';
import type { Cell, Column, ResourceDescriptor } from '../../api/resource.js';
import { nameColumn } from '../../api/table/columns.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: Cell[];
  object: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

const createdAt: Column = {
  name: 'Created At',
  type: 'date',
  format: '',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o) => o.metadata.creationTimestamp ?? null,
};

/** Columns of a descriptor, or upstream's default (Name, Created At) for kinds without a printer. */
export function columnsOf(d: ResourceDescriptor): Column[] {
  return d.columns ?? [nameColumn(), createdAt];
}

export function columnDefinitions(d: ResourceDescriptor): TableColumnDefinition[] {
  return columnsOf(d).map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format ?? '',
    description: c.description,
    priority: c.priority ?? 0,
  }));
}

function rowObject(obj: KObject, include: IncludeObject, apiVersion: string): unknown {
  if (include === 'None') return null;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

function safeCell(c: Column, obj: KObject, now: number): Cell {
  try {
    return c.cell(obj, now);
  } catch {
    return '<error>';
  }
}

export function tableRow(d: ResourceDescriptor, obj: KObject, include: IncludeObject, tableApiVersion: string, now: number): TableRow {
  const cols = columnsOf(d);
  return { cells: cols.map((c) => safeCell(c, obj, now)), object: rowObject(obj, include, tableApiVersion) };
}

export function toTable(
  d: ResourceDescriptor,
  objects: KObject[],
  opts: { include: IncludeObject; tableApiVersion: string; now: number; withHeaders?: boolean; resourceVersion?: string; continue?: string; remainingItemCount?: number },
): Table {
  const table: Table = {
    kind: 'Table',
    apiVersion: opts.tableApiVersion,
    metadata: {},
    columnDefinitions: opts.withHeaders === false ? [] : columnDefinitions(d),
    rows: objects.map((o) => tableRow(d, o, opts.include, opts.tableApiVersion, opts.now)),
  };
  if (opts.resourceVersion) table.metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) table.metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) table.metadata.remainingItemCount = opts.remainingItemCount;
  return table;
}
