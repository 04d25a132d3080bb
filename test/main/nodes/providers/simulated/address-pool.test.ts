/** Pod CIDR, node IP and pod IP allocation of simulated nodes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IndexPool, NodeIpPool, PodCidrPool, PodIpPool, parseCidr } from '../../../../../main/nodes/providers/simulated/address-pool.js';

test('pod CIDRs: /24s from 10.244.0.0/16 first, lowest free, reserved ones skipped, then beyond without the Service range', () => {
  const pool = new PodCidrPool();
  pool.reserve('10.244.1.0/24'); // e.g. a real node's
  assert.deepEqual([pool.allocate(), pool.allocate(), pool.allocate()], ['10.244.0.0/24', '10.244.2.0/24', '10.244.3.0/24']);
  pool.release('10.244.0.0/24');
  assert.equal(pool.allocate(), '10.244.0.0/24');
  const many = new PodCidrPool();
  const all = Array.from({ length: 5000 }, () => many.allocate()!);
  assert.equal(new Set(all).size, 5000);
  assert.equal(all[255], '10.244.255.0/24');
  assert.equal(all[256], '10.245.0.0/24');
  assert.ok(all.every((c) => { const second = Number(c.split('.')[1]); return second < 96 || second > 111; }));
});

test('node InternalIPs from 172.18.0.2; pod IPs from .2 of the node CIDR, released IPs reused', () => {
  const nodes = new NodeIpPool();
  nodes.reserve('172.18.0.2');
  assert.equal(nodes.allocate(), '172.18.0.3');
  const pods = new PodIpPool('10.244.7.0/24');
  assert.deepEqual([pods.allocate(), pods.allocate()], ['10.244.7.2', '10.244.7.3']);
  pods.release('10.244.7.2');
  assert.equal(pods.allocate(), '10.244.7.2');
  const tiny = new PodIpPool('10.0.0.0/29'); // 8 addresses: .2 .. .6
  assert.deepEqual(Array.from({ length: 6 }, () => tiny.allocate()), ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', undefined]);
  assert.equal(new PodIpPool('not-a-cidr').allocate(), undefined);
  assert.deepEqual(parseCidr('10.244.3.7/24'), { base: (10 * 2 ** 24) + (244 << 16) + (3 << 8), size: 256 });
  const idx = new IndexPool(2);
  assert.deepEqual([idx.allocate(), idx.allocate(), idx.allocate()], [0, 1, undefined]);
});
