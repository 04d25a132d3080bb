import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../../../main/api/meta/object.js';
import { columnDefinitions, columnsOf, tableRow, toTable } from '../../../../main/apiserver/table/table-convert.js';
import { descriptor } from '../../../helpers/apiserver-unit.js';

const cms = descriptor('', 'v1', 'configmaps');
const limitRanges = descriptor('', 'v1', 'limitranges');
const pods = descriptor('', 'v1', 'pods');

const now = Date.parse('2026-01-02T03:04:05Z');
const cm: KObject = {
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-01-02T02:04:05Z', labels: { a: 'b' } },
  data: { x: '1', y: '2' },
} as KObject;

test('table: column definitions of a kind with a printer', () => {
  assert.deepEqual(columnDefinitions(cms), [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Cannot be updated.', priority: 0 },
    { name: 'Data', type: 'string', format: '', description: 'Number of data and binaryData entries.', priority: 0 },
    { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
  ]);
  // Wide columns carry priority 1 (kubectl shows them with -o wide only).
  assert.ok(columnDefinitions(pods).some((c) => c.priority === 1));
});

test('table: kinds without a printer get upstream\'s default Name / Created At', () => {
  assert.deepEqual(columnDefinitions(limitRanges), [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Cannot be updated.', priority: 0 },
    { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
  ]);
  const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', creationTimestamp: '2026-01-01T00:00:00Z' } } as KObject;
  assert.deepEqual(tableRow(limitRanges, lr, 'None', 'meta.k8s.io/v1', now).cells, ['lr', '2026-01-01T00:00:00Z']);
  assert.equal(columnsOf(limitRanges).length, 2);
});

test('table: includeObject None / Metadata / Object', () => {
  const none = tableRow(cms, cm, 'None', 'meta.k8s.io/v1', now);
  assert.deepEqual(none, { cells: ['cfg', 2, '60m'], object: null });
  const meta = tableRow(cms, cm, 'Metadata', 'meta.k8s.io/v1', now);
  assert.deepEqual(meta.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata });
  const beta = tableRow(cms, cm, 'Metadata', 'meta.k8s.io/v1beta1', now);
  assert.equal((beta.object as { apiVersion: string }).apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(tableRow(cms, cm, 'Object', 'meta.k8s.io/v1', now).object, cm);
});

test('table: the Table envelope, list metadata and header suppression (watch events after the first)', () => {
  const t = toTable(cms, [cm, { ...cm, metadata: { ...cm.metadata, name: 'two' } }], {
    include: 'None', tableApiVersion: 'meta.k8s.io/v1', now, resourceVersion: '9', continue: 'tok', remainingItemCount: 4,
  });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '9', continue: 'tok', remainingItemCount: 4 });
  assert.equal(t.columnDefinitions.length, 3);
  assert.deepEqual(t.rows.map((r) => r.cells[0]), ['cfg', 'two']);
  const bare = toTable(cms, [cm], { include: 'Metadata', tableApiVersion: 'meta.k8s.io/v1', now, withHeaders: false });
  assert.deepEqual(bare.columnDefinitions, []);
  assert.deepEqual(bare.metadata, {});
  assert.deepEqual(toTable(cms, [], { include: 'Metadata', tableApiVersion: 'meta.k8s.io/v1', now }).rows, []);
});

test('table: a cell that throws renders as <error> instead of failing the request', () => {
  const broken = { ...cms, columns: [{ name: 'Boom', type: 'string' as const, description: 'x', cell: () => { throw new Error('x'); } }] };
  assert.deepEqual(tableRow(broken, cm, 'None', 'meta.k8s.io/v1', now).cells, ['<error>']);
});
