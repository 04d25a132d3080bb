/**
 * The Node IPAM controller: nodes without a pod CIDR get the next /24 of the cluster CIDR, existing assignments
 * are respected, a deleted node's range is freed, exhaustion gives CIDRNotAvailable; CidrSet rules.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Node } from '../../../main/api/core/v1/node.js';
import { EVENTS, NODES } from '../../../main/client/kube-client.js';
import { nodeIpamControllerFactory } from '../../../main/controllers/node-ipam-controller.js';
import { CidrSet } from '../../../main/controllers/node-ipam/cidr-set.js';
import { startControllerTest, waitFor } from './controller-fixture.js';
import { createNode } from './node-fixtures.js';

const cidrOf = async (admin: import('../../../main/client/kube-client.js').KubeClient, name: string) => {
  const n = await admin.get<Node>(NODES, '', name);
  return n.spec?.podCIDR ? [n.spec.podCIDR, ...(n.spec.podCIDRs ?? [])] : undefined;
};

test('node-ipam: assigns /24s from the cluster CIDR, respects existing ones, reports exhaustion', async () => {
  const t = await startControllerTest([nodeIpamControllerFactory], { clusterCIDR: '10.100.0.0/23', nodeCIDRMaskSize: 24 });
  try {
    await createNode(t.admin, 'pre', { podCIDR: '10.100.0.0/24', podCIDRs: ['10.100.0.0/24'] });
    await createNode(t.admin, 'a');
    assert.deepEqual(await waitFor('a gets a CIDR', () => cidrOf(t.admin, 'a'), 20_000), ['10.100.1.0/24', '10.100.1.0/24']);
    await createNode(t.admin, 'b');
    const ev = await waitFor('CIDRNotAvailable', async () =>
      (await t.admin.list<any>(EVENTS, 'default')).items.find((e) => e.reason === 'CIDRNotAvailable' && e.involvedObject.name === 'b'), 20_000);
    assert.equal(ev.message, 'Node b status is now: CIDRNotAvailable');
    assert.equal(ev.source.component, 'cidrAllocator');
    // Deleting a frees its range for b.
    await t.admin.delete(NODES, '', 'a');
    assert.deepEqual(await waitFor('b gets the freed CIDR', () => cidrOf(t.admin, 'b'), 30_000), ['10.100.1.0/24', '10.100.1.0/24']);
  } finally {
    await t.stop();
  }
});

test('CidrSet: round robin, occupy/release, refusals', () => {
  const s = new CidrSet('10.244.0.0/16', 24);
  assert.equal(s.maxSubnets, 256);
  s.occupy('10.244.1.0/24');
  assert.equal(s.allocateNext(), '10.244.0.0/24');
  assert.equal(s.allocateNext(), '10.244.2.0/24');
  s.release('10.244.0.0/24');
  assert.equal(s.allocateNext(), '10.244.3.0/24');
  assert.throws(() => s.occupy('10.245.0.0/24'), /outside the cluster CIDR/);
  assert.throws(() => s.occupy('10.244.0.0/25'), /not a \/24 subnet/);
  assert.throws(() => new CidrSet('10.0.0.0/8', 26), /too big/);
  assert.throws(() => new CidrSet('nope', 24), /invalid IPv4 cluster CIDR/);
});
