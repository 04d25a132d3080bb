import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namespaces, validateNamespaceFinalize, type Namespace } from '../../../../../main/api/core/v1/namespace.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';

const ns = (extra: Partial<Namespace> = {}): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, ...extra });

test('updates keep finalizers and status; the name label is restored', () => {
  const old = ns();
  namespaces.defaults!(old);
  namespaces.strategy!.prepareForCreate!(old);
  const next = ns({ metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'x' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
  namespaces.defaults!(next);
  namespaces.strategy!.prepareForUpdate!(next, old);
  assert.deepEqual(next.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(next.status, { phase: 'Active' });
  assert.equal(next.metadata.labels!['kubernetes.io/metadata.name'], 'team-a');
});

test('status phase must agree with deletionTimestamp', () => {
  const live = ns({ status: { phase: 'Terminating' } });
  assert.deepEqual(namespaces.strategy!.validateStatusUpdate!(live, live).map(errorLine), [
    'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
  ]);
  const dying = ns({ metadata: { name: 'team-a', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Active' } });
  assert.deepEqual(namespaces.strategy!.validateStatusUpdate!(dying, dying).map(errorLine), [
    'status.Phase: Invalid value: "Active": may only be \'Terminating\' if `deletionTimestamp` is not empty',
  ]);
});

test('finalize validates each finalizer with its index', () => {
  assert.deepEqual(validateNamespaceFinalize(ns({ spec: { finalizers: ['kubernetes', 'cleanup'] } })).map(errorLine), [
    'spec.finalizers[1]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('field selector status.phase', () => {
  assert.equal(namespaces.fieldSelectors!['status.phase']!(ns({ status: { phase: 'Active' } })), 'Active');
});
