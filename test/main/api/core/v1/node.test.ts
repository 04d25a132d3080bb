import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodes, type Node } from '../../../../../main/api/core/v1/node.js';
import { errorLine } from '../../../../../main/api/meta/field-errors.js';

const node = (spec: Node['spec']): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec });

test('podCIDRs may only be set once, providerID likewise', () => {
  const old = node({ podCIDRs: ['10.244.1.0/24'], providerID: 'kind://node-1' });
  const next = node({ podCIDRs: ['10.244.9.0/24'], providerID: 'kind://other' });
  assert.deepEqual(nodes.strategy!.validateUpdate!(next, old).map(errorLine), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  assert.deepEqual(nodes.strategy!.validateUpdate!(node({ podCIDRs: ['10.244.1.0/24'] }), node({})).map(errorLine), []);
});

test('spec.unschedulable field selector renders a Go bool', () => {
  assert.equal(nodes.fieldSelectors!['spec.unschedulable']!(node({ unschedulable: true })), 'true');
  assert.equal(nodes.fieldSelectors!['spec.unschedulable']!(node({})), 'false');
});

test('the same taint key may carry different effects', () => {
  const n = node({ taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoExecute' }] });
  assert.deepEqual(nodes.strategy!.validate!(n), []);
});
